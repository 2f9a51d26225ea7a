"""Synthetic records for the printout and pack tests: names in many scripts, every kind.

All data is made up. Values are chosen so a test can look for them in a PDF
(each is distinctive) and so consent rules and expiry have something to hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eolcare.domain import codes
from eolcare.domain.entities import (
    CircleMember,
    ContactNote,
    Document,
    Involvement,
    Person,
    RotaSlot,
    Service,
    Task,
    Volunteer,
)
from eolcare.domain.values import Coded, CodedList
from eolcare.store.database import Store
from tests.domain.factories import nhs_numbers

TODAY = date.today()
NHS = nhs_numbers(400, seed=10)

URDU_NAME = "عائشہ خان"  # with heh goal (U+06C1)
ARABIC_NAME = "محمد علي"
HINDI_NAME = "प्रिया शर्मा"
PUNJABI_NAME = "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ"
LATIN_NAMES = ("Siân Llewellyn", "Zoë Ŵyn", "Łukasz Kowalski", "Nguyễn Thị Hương",
               "Σοφία Παπαδοπούλου")

HOSPICE_24_7 = "0161 496 0999"
HOSPICE_DAY = "0161 496 0100"
GP_DAY = "0161 496 0200"
RESPECT_KEPT = "In the blue folder on the kitchen dresser"
CPR_FORM_KEPT = "Pinned inside the front door cupboard"
BOX_KEPT = "Top shelf of the bathroom cabinet, in a green box"
WHAT_MATTERS = "Being at home with my garden and my cat, Mabli"
MOST_FEAR = "Being rushed to hospital at night"
SECRET_NEIGHBOUR = "Horatio Quill"


@dataclass(frozen=True)
class Made:
    person_id: str
    service_ids: tuple[str, ...]


def add_person(store: Store, index: int = 0, *, full_name: str = "Siân Llewellyn",
               consent: str | None = "given", cpr_review: date | None = None,
               respect_review: date | None = None, services: tuple[str, ...] = (),
               volunteer: bool = True, **person: Any) -> Made:
    """One person with a full circle, services, notes, tasks, rota and a document."""
    now = datetime.now(UTC).replace(microsecond=0)
    values: dict[str, Any] = {
        "full_name": full_name, "preferred_name": full_name.split(maxsplit=1)[0],
        "pronouns": "she/her",
        "date_of_birth": date(1941, 3, 9), "sex": Coded("248152002", ""),
        "nhs_number": NHS[index], "address": "12 Heol y Bryn, Pontypridd", "postcode": "CF37 1AA",
        "home_access": "Key safe left of the back door", "phone": "0161 496 0001",
        "mobile": "020 7946 0123", "main_language": "Welsh", "interpreter_needed": False,
        "communication_needs": CodedList(("hearing",), "hearing aid in left ear"),
        "gp_practice": "Bryn Surgery", "gp_practice_code": "W95010",
        "eol_diagnosis": "Heart failure", "other_diagnoses": "Type 2 diabetes",
        "status": Coded("active", ""), "on_register": True, "register_date": TODAY - timedelta(100),
        "surprise_question": Coded("no", ""), "gsf_stage": Coded("845751000000103", "amber"),
        "prognosis": Coded("955231000000109", "weeks"), "person_aware_of_prognosis": True,
        "carer_aware_of_prognosis": True, "akps": 40,
        "what_matters": WHAT_MATTERS, "most_value": "Singing with the chapel choir",
        "most_fear": MOST_FEAR, "spiritual_needs": "Chapel (Welsh Baptist)",
        "rituals": "Hymns sung in Welsh", "funeral_wishes": "Burial at Glyntaff",
        "donation_wishes": "Corneas only", "donor_card_location": "In her purse",
        "preferred_place_of_care": Coded("110481000000108", "in the front room"),
        "preferred_place_of_death": Coded("110481000000108", "at home with the cat"),
        "preferred_place_of_death_2": Coded("108401000000102", "Ty Hafan Hospice"),
        "preferences_discussed_with": "Siân, her daughter and the GP",
        "preferences_date": TODAY - timedelta(60),
        "preferences_review_date": TODAY + timedelta(60),
        "cpr_decision": Coded(codes.NOT_FOR_CPR, "DNACPR signed"),
        "cpr_reason": "CPR would not be successful", "cpr_had_capacity": True,
        "cpr_date": TODAY - timedelta(90),
        "cpr_review_date": cpr_review or TODAY + timedelta(90),
        "cpr_clinician": "Dr Rhys Evans", "cpr_involved": "Siân and her daughter",
        "cpr_family_told": True, "cpr_form_location": CPR_FORM_KEPT,
        "respect_plan": True, "respect_date": TODAY - timedelta(90),
        "respect_location": RESPECT_KEPT, "respect_focus": Coded("comfort", ""),
        "respect_interventions": "No admission for IV antibiotics",
        "adrt": True, "adrt_life_sustaining": False, "adrt_covers": "No tube feeding",
        "adrt_date": TODAY - timedelta(200), "adrt_location": "With the solicitor",
        "welfare_proxy": Coded("lpa_hw", ""), "lpa_registered": True,
        "lpa_attorneys": "Carys Llewellyn (daughter) 020 7946 0456",
        "advance_statement": "I would like my dog to stay with me",
        "advance_statement_date": TODAY - timedelta(150),
        "consent_to_share": Coded(consent, "") if consent else None,
        "consent_date": TODAY - timedelta(100), "consent_recorded_by": "Jo Coordinator",
        "consent_share_with": "Family, GP, hospice",
        "anticipatory_medicines": Coded("376201000000102", ""),
        "anticipatory_medicines_date": TODAY - timedelta(30),
        "medicines_box_location": BOX_KEPT, "medicines_notes": "Syringe driver kit in box",
        "equipment": "Profiling bed, commode",
    }
    values.update(person)
    with store.writing() as w:
        p = w.add(Person(**values))
        if not services:
            hospice = w.add(Service(name="Ty Hafan Hospice at Home",
                                    service_type=Coded("hospice_at_home", ""),
                                    ods_code="W3K2X", phone=HOSPICE_DAY,
                                    phone_24_7=HOSPICE_24_7, email="care@hospice.example.org",
                                    address="Hospice Road", opening_hours="Mon-Fri 9-5"))
            gp = w.add(Service(name="Bryn Surgery", service_type=Coded("gp", ""),
                               ods_code="W95010", phone=GP_DAY, opening_hours="8-6:30"))
            services = (hospice.id, gp.id)
        w.add(Involvement(person_id=p.id, service_id=services[0], professional="Nurse Ffion",
                          role="key worker", direct_phone="0161 496 0111",
                          since=TODAY - timedelta(50)))
        w.add(Involvement(person_id=p.id, service_id=services[1], professional="Dr Rhys Evans",
                          since=TODAY - timedelta(300)))
        vol = w.add(Volunteer(name="Ffion Volunteer", phone="020 7946 0789", area="Treforest",
                              helps_with=CodedList(("companionship",), ""), active=True)) \
            if volunteer else None
        w.add(CircleMember(person_id=p.id, name=URDU_NAME, relationship=Coded("friend", ""),
                           main_carer=True, next_of_kin=False, key_holder=True,
                           phone="020 7946 0321", best_times="evenings",
                           helps_with=CodedList(("meals", "night"), "Sunday lunch"),
                           availability="Weekends", consent_to_share=True,
                           knows_prognosis=True, knows_cpr_decision=True,
                           carer_assessment=Coded("offered", ""),
                           bereavement_risk=Coded("moderate", ""),
                           bereavement_support_wanted=True, notes="Lives two doors away"))
        w.add(CircleMember(person_id=p.id, name=HINDI_NAME, relationship=Coded("daughter", ""),
                           next_of_kin=True, emergency_contact=True, phone="020 7946 0654",
                           helps_with=CodedList(("shopping",), ""), consent_to_share=True))
        w.add(CircleMember(person_id=p.id, name=SECRET_NEIGHBOUR,
                           relationship=Coded("neighbour", ""), phone="020 7946 0987",
                           consent_to_share=False))
        if vol is not None:
            w.add(CircleMember(person_id=p.id, volunteer_id=vol.id, name="Ffion Volunteer",
                               relationship=Coded("volunteer", ""), consent_to_share=True,
                               helps_with=CodedList(("companionship",), "reads aloud")))
        w.add(ContactNote(person_id=p.id, occurred_at=now - timedelta(days=3),
                          contact_type=Coded("visit", ""), with_whom="Siân and daughter",
                          discussed="Talked about the ReSPECT plan", follow_up="Call GP"))
        w.add(Task(person_id=p.id, title="Review ReSPECT plan",
                   task_type=Coded("review_respect", ""),
                   due=respect_review or TODAY + timedelta(120), assigned_to="Jo"))
        w.add(RotaSlot(person_id=p.id, activity=Coded("sitting", ""),
                       starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2),
                       repeat=Coded("weekly", ""), repeat_until=TODAY + timedelta(60)))
        w.add(Document(person_id=p.id, name="Will", location="With the solicitor, Cardiff",
                       dated=TODAY - timedelta(1000)))
    return Made(p.id, services)
