"""The record of DATASET.md sections 1-9, one dataclass per kind of entity.

A person's record is the ``Person`` (sections 1-6: one of each per person) and
the entities that point at it through ``person_id``: members of the circle of
support, services involved, contact-log notes, tasks, rota slots and other
documents. ``Service`` and ``Volunteer`` are shared directories: entered once,
used for many people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from eolcare.domain import codes
from eolcare.domain.schema import (
    Entity,
    coded,
    day,
    describe,
    flag,
    moment,
    number,
    ref,
    text,
)
from eolcare.domain.values import (
    Coded,
    CodedList,
    normalise_email,
    normalise_nhs_number,
    normalise_ods_code,
    normalise_phone,
)

PERSON = "1. The person"
ILLNESS = "2. Where the person is in their illness"
MATTERS = "3. What matters to me"
PREFERENCES = "4. Preferences"
DECISIONS = "5. Decisions and legal documents"
MEDICINES = "6. Anticipatory medicines"
CIRCLE = "7. Circle of support"
SERVICES = "8. Services and professional contacts"
LOG = "9. Contact log, tasks and help rota"


@describe
@dataclass(kw_only=True)
class Person(Entity):
    """One person on the caseload: identity, illness, wishes, decisions, medicines."""

    KIND: ClassVar[str] = "person"

    # 1. the person
    full_name: str | None = text("Full name", PERSON, required=True, searchable=True)
    preferred_name: str | None = text("Preferred name", PERSON, searchable=True)
    pronouns: str | None = text("Pronouns", PERSON)
    date_of_birth: date | None = day("Date of birth", PERSON)
    sex: Coded | None = coded("Sex", PERSON, codes.SEX)
    gender_identity: str | None = text("Gender identity", PERSON)
    nhs_number: str | None = text(
        "NHS number", PERSON, searchable=True, normalise=normalise_nhs_number
    )
    address: str | None = text("Address", PERSON, searchable=True)
    postcode: str | None = text("Postcode", PERSON, searchable=True)
    home_access: str | None = text("Home access notes (key safe location, not its code)", PERSON)
    phone: str | None = text("Phone", PERSON, normalise=normalise_phone)
    mobile: str | None = text("Mobile", PERSON, normalise=normalise_phone)
    main_language: str | None = text("Main language", PERSON)
    interpreter_needed: bool | None = flag("Interpreter needed", PERSON)
    communication_needs: CodedList | None = coded(
        "Communication needs", PERSON, codes.COMMUNICATION_NEED
    )
    gp_practice: str | None = text("GP practice", PERSON)
    gp_practice_code: str | None = text("GP practice code", PERSON, normalise=normalise_ods_code)
    eol_diagnosis: str | None = text("End-of-life diagnosis", PERSON, significant=True)
    other_diagnoses: str | None = text("Other diagnoses", PERSON)
    disabilities: str | None = text("Disabilities", PERSON)
    status: Coded | None = coded("Status", PERSON, codes.STATUS, significant=True)
    discharged_on: date | None = day("Discharged on", PERSON)
    date_of_death: date | None = day("Date of death", PERSON, significant=True)
    place_of_death: Coded | None = coded(
        "Actual place of death", PERSON, codes.PLACE, significant=True
    )

    # 2. where the person is in their illness
    on_register: bool | None = flag("On the palliative care register", ILLNESS)
    register_date: date | None = day("Added to the register on", ILLNESS)
    surprise_question: Coded | None = coded(
        "Surprise question", ILLNESS, codes.SURPRISE_QUESTION
    )
    surprise_question_date: date | None = day("Surprise question asked on", ILLNESS)
    gsf_stage: Coded | None = coded("GSF stage", ILLNESS, codes.GSF_STAGE, significant=True)
    prognosis: Coded | None = coded("Prognosis", ILLNESS, codes.PROGNOSIS, significant=True)
    person_aware_of_prognosis: bool | None = flag("Person aware of prognosis", ILLNESS)
    carer_aware_of_prognosis: bool | None = flag("Carer aware of prognosis", ILLNESS)
    akps: int | None = number("Australia-modified Karnofsky (AKPS)", ILLNESS,
                              minimum=0, maximum=100)

    # 3. what matters to me
    what_matters: str | None = text("What matters to me", MATTERS, searchable=True)
    most_value: str | None = text("What I most value", MATTERS)
    most_fear: str | None = text("What I most fear or wish to avoid", MATTERS)
    spiritual_needs: str | None = text("Spiritual, religious and cultural needs", MATTERS)
    rituals: str | None = text("Rituals at or after death", MATTERS)
    funeral_wishes: str | None = text("Funeral wishes", MATTERS)
    donation_wishes: str | None = text("Organ and tissue donation wishes", MATTERS)
    donor_card_location: str | None = text("Where the donor card is", MATTERS)

    # 4. preferences
    preferred_place_of_care: Coded | None = coded(
        "Preferred place of care", PREFERENCES, codes.PLACE, significant=True
    )
    preferred_place_of_care_2: Coded | None = coded(
        "Preferred place of care (second choice)", PREFERENCES, codes.PLACE, significant=True
    )
    preferred_place_of_death: Coded | None = coded(
        "Preferred place of death", PREFERENCES, codes.PLACE, significant=True
    )
    preferred_place_of_death_2: Coded | None = coded(
        "Preferred place of death (second choice)", PREFERENCES, codes.PLACE, significant=True
    )
    preferences_discussed_with: str | None = text("Who took part in the discussion", PREFERENCES)
    preferences_date: date | None = day("Preferences discussed on", PREFERENCES)
    preferences_review_date: date | None = day("Preferences review date", PREFERENCES)

    # 5. decisions and legal documents
    cpr_decision: Coded | None = coded(
        "CPR decision", DECISIONS, codes.CPR_DECISION, significant=True
    )
    cpr_reason: str | None = text("Reason for the CPR decision", DECISIONS)
    cpr_had_capacity: bool | None = flag("Person had capacity for the CPR decision", DECISIONS)
    cpr_date: date | None = day("CPR decision date", DECISIONS, significant=True)
    cpr_review_date: date | None = day("CPR decision review date", DECISIONS)
    cpr_clinician: str | None = text("Clinician responsible for the CPR decision", DECISIONS)
    cpr_involved: str | None = text("Who was involved in the CPR decision", DECISIONS)
    cpr_family_told: bool | None = flag("Family told of the CPR decision", DECISIONS)
    cpr_form_location: str | None = text("Where the CPR / DNACPR form is kept", DECISIONS)
    respect_plan: bool | None = flag("ReSPECT plan in place", DECISIONS, significant=True)
    respect_date: date | None = day("ReSPECT plan date", DECISIONS)
    respect_location: str | None = text("Where the ReSPECT form is kept", DECISIONS)
    respect_focus: Coded | None = coded(
        "ReSPECT clinical focus", DECISIONS, codes.RESPECT_FOCUS, significant=True
    )
    respect_interventions: str | None = text("ReSPECT recommended interventions", DECISIONS)
    adrt: bool | None = flag("Advance decision to refuse treatment (ADRT)", DECISIONS,
                             significant=True)
    adrt_life_sustaining: bool | None = flag(
        "ADRT refuses life-sustaining treatment", DECISIONS, significant=True
    )
    adrt_covers: str | None = text("What the ADRT covers", DECISIONS)
    adrt_date: date | None = day("ADRT date", DECISIONS)
    adrt_location: str | None = text("Where the ADRT is kept", DECISIONS)
    welfare_proxy: Coded | None = coded(
        "Health and welfare decisions by", DECISIONS, codes.WELFARE_PROXY, significant=True
    )
    lpa_registered: bool | None = flag("LPA registered with the Office of the Public Guardian",
                                       DECISIONS)
    lpa_attorneys: str | None = text("Attorney(s) or deputy and their contact", DECISIONS)
    advance_statement: str | None = text("Advance statement of wishes", DECISIONS)
    advance_statement_date: date | None = day("Advance statement date", DECISIONS)
    consent_to_share: Coded | None = coded(
        "Consent to share this record", DECISIONS, codes.CONSENT, significant=True
    )
    consent_date: date | None = day("Consent recorded on", DECISIONS)
    consent_recorded_by: str | None = text("Consent recorded by", DECISIONS)
    consent_share_with: str | None = text("May be shared with", DECISIONS)

    # 6. anticipatory medicines
    anticipatory_medicines: Coded | None = coded(
        "Anticipatory medicines", MEDICINES, codes.ANTICIPATORY_MEDICINES, significant=True
    )
    anticipatory_medicines_date: date | None = day("Anticipatory medicines date", MEDICINES)
    medicines_box_location: str | None = text("Where the medicines box is kept", MEDICINES)
    medicines_notes: str | None = text("Medicines notes", MEDICINES)
    equipment: str | None = text("Equipment in the home", MEDICINES)


@describe
@dataclass(kw_only=True)
class Document(Entity):
    """Another document (e.g. a will, a care plan) and where it is kept."""

    KIND: ClassVar[str] = "document"
    OWNER: ClassVar[str | None] = "person_id"

    person_id: str | None = ref("Person", DECISIONS, "person", required=True)
    name: str | None = text("Document", DECISIONS, required=True)
    location: str | None = text("Where it is kept", DECISIONS)
    dated: date | None = day("Dated", DECISIONS)


@describe
@dataclass(kw_only=True)
class Volunteer(Entity):
    """A compassionate-community volunteer in the shared community directory."""

    KIND: ClassVar[str] = "volunteer"

    name: str | None = text("Name", CIRCLE, required=True, searchable=True)
    phone: str | None = text("Phone", CIRCLE, normalise=normalise_phone)
    email: str | None = text("Email", CIRCLE, normalise=normalise_email)
    area: str | None = text("Area", CIRCLE, searchable=True)
    helps_with: CodedList | None = coded("Can help with", CIRCLE, codes.HELP)
    availability: str | None = text("Available", CIRCLE)
    checks_done_on: date | None = day("Checks (DBS, training) done on", CIRCLE)
    active: bool | None = flag("Active", CIRCLE)
    notes: str | None = text("Notes", CIRCLE)


@describe
@dataclass(kw_only=True)
class CircleMember(Entity):
    """Someone in the person's circle of support: family, friend, neighbour, volunteer."""

    KIND: ClassVar[str] = "circle_member"
    OWNER: ClassVar[str | None] = "person_id"

    person_id: str | None = ref("Person", CIRCLE, "person", required=True)
    volunteer_id: str | None = ref("From the community directory", CIRCLE, "volunteer")
    name: str | None = text("Name", CIRCLE, required=True, searchable=True)
    relationship: Coded | None = coded("Relationship", CIRCLE, codes.RELATIONSHIP)
    next_of_kin: bool | None = flag("Next of kin", CIRCLE, significant=True)
    main_carer: bool | None = flag("Main informal carer", CIRCLE, significant=True)
    lpa_attorney: bool | None = flag("LPA attorney", CIRCLE, significant=True)
    key_holder: bool | None = flag("Key holder", CIRCLE)
    emergency_contact: bool | None = flag("Emergency contact", CIRCLE)
    phone: str | None = text("Phone", CIRCLE, normalise=normalise_phone)
    email: str | None = text("Email", CIRCLE, normalise=normalise_email)
    best_times: str | None = text("Best times to contact", CIRCLE)
    lives_with_person: bool | None = flag("Lives with the person", CIRCLE)
    helps_with: CodedList | None = coded("Helps with", CIRCLE, codes.HELP)
    availability: str | None = text("Available", CIRCLE)
    knows_prognosis: bool | None = flag("Knows the prognosis", CIRCLE)
    knows_cpr_decision: bool | None = flag("Knows the CPR decision", CIRCLE)
    consent_to_share: bool | None = flag("Person consents to sharing with them", CIRCLE,
                                         significant=True)
    carer_assessment: Coded | None = coded(
        "Carer's assessment", CIRCLE, codes.CARER_ASSESSMENT
    )
    bereavement_risk: Coded | None = coded("Bereavement risk", CIRCLE, codes.BEREAVEMENT_RISK)
    bereavement_support_wanted: bool | None = flag("Wants bereavement support", CIRCLE)
    notes: str | None = text("Notes", CIRCLE)


@describe
@dataclass(kw_only=True)
class Service(Entity):
    """An organisation or team in the shared service directory."""

    KIND: ClassVar[str] = "service"

    name: str | None = text("Name", SERVICES, required=True, searchable=True)
    service_type: Coded | None = coded("Type", SERVICES, codes.SERVICE_TYPE, required=True)
    ods_code: str | None = text("Organisation (ODS) code", SERVICES, normalise=normalise_ods_code)
    phone: str | None = text("Phone", SERVICES, normalise=normalise_phone)
    phone_24_7: str | None = text("24/7 number", SERVICES, normalise=normalise_phone)
    email: str | None = text("Email", SERVICES, normalise=normalise_email)
    address: str | None = text("Address", SERVICES)
    opening_hours: str | None = text("Opening hours", SERVICES)


@describe
@dataclass(kw_only=True)
class Involvement(Entity):
    """A service involved in a person's care, with the named professional."""

    KIND: ClassVar[str] = "involvement"
    OWNER: ClassVar[str | None] = "person_id"

    person_id: str | None = ref("Person", SERVICES, "person", required=True)
    service_id: str | None = ref("Service", SERVICES, "service", required=True)
    professional: str | None = text("Named professional", SERVICES, searchable=True)
    role: str | None = text("Role (e.g. key worker)", SERVICES)
    direct_phone: str | None = text("Direct phone", SERVICES, normalise=normalise_phone)
    since: date | None = day("Involved since", SERVICES)
    until: date | None = day("Involved until", SERVICES)


@describe
@dataclass(kw_only=True)
class ContactNote(Entity):
    """One entry of the contact log. Notes are never edited, only added to."""

    KIND: ClassVar[str] = "contact"
    OWNER: ClassVar[str | None] = "person_id"
    IMMUTABLE: ClassVar[bool] = True

    person_id: str | None = ref("Person", LOG, "person", required=True)
    occurred_at: datetime | None = moment("When", LOG, required=True)
    contact_type: Coded | None = coded("Type", LOG, codes.CONTACT_TYPE, required=True)
    with_whom: str | None = text("Who", LOG)
    discussed: str | None = text("What was discussed", LOG, required=True, searchable=True)
    follow_up: str | None = text("Follow-up", LOG)
    amends: str | None = ref("Corrects an earlier note", LOG, "contact")


@describe
@dataclass(kw_only=True)
class Task(Entity):
    """A task or reminder: a review due, a follow-up."""

    KIND: ClassVar[str] = "task"
    OWNER: ClassVar[str | None] = "person_id"

    person_id: str | None = ref("Person", LOG, "person")
    title: str | None = text("Task", LOG, required=True)
    task_type: Coded | None = coded("Type", LOG, codes.TASK_TYPE)
    due: date | None = day("Due", LOG, required=True)
    done_on: date | None = day("Done on", LOG)
    assigned_to: str | None = text("Assigned to", LOG)
    notes: str | None = text("Notes", LOG)


@describe
@dataclass(kw_only=True)
class RotaSlot(Entity):
    """A slot of the help rota: what help, when, who signed up (none is a gap)."""

    KIND: ClassVar[str] = "rota_slot"
    OWNER: ClassVar[str | None] = "person_id"

    person_id: str | None = ref("Person", LOG, "person", required=True)
    activity: Coded | None = coded("Help needed", LOG, codes.HELP, required=True)
    starts_at: datetime | None = moment("Starts", LOG, required=True)
    ends_at: datetime | None = moment("Ends", LOG, required=True)
    repeat: Coded | None = coded("Repeats", LOG, codes.REPEAT)
    repeat_until: date | None = day("Repeats until", LOG)
    helper_id: str | None = ref("Signed up (circle member)", LOG, "circle_member")
    notes: str | None = text("Notes", LOG)


ENTITY_TYPES: tuple[type[Entity], ...] = (
    Person, Document, Volunteer, CircleMember, Service, Involvement, ContactNote, Task, RotaSlot,
)
KINDS: dict[str, type[Entity]] = {cls.KIND: cls for cls in ENTITY_TYPES}
