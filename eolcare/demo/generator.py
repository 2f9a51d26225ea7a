"""A synthetic demo caseload: realistic enough to try eolcare, never real data.

Names come from Faker (en_GB mostly, with a share of Welsh, Irish, Polish,
Vietnamese, Arabic, Urdu, Chinese and Hindi names, so diacritics and
non-Latin scripts show up on screen and on paper). Everything else that
could point at a real person is drawn from ranges reserved for tests and
drama: NHS numbers from the 999 range, phone numbers from Ofcom's drama
ranges, email addresses at example.org. The same seed gives the same
caseload. People are written in batches through :func:`bulk.add_many`, so a
20,000-person caseload makes the same operations and history as typing it
in would, in about a minute.

The generator is a producer of data like the command line, above the store:
:func:`generate` is a job (:mod:`eolcare.domain.jobs`) the CLI drives with a
progress bar and the window on a worker thread.
"""

from __future__ import annotations

import random
import time
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import TypeVar

from faker import Faker

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
from eolcare.domain.errors import Problem, ValidationError
from eolcare.domain.jobs import Job, Progress
from eolcare.domain.schema import Entity, uuid7
from eolcare.domain.values import Coded, CodedList
from eolcare.store import bulk
from eolcare.store.database import Store

MAX_PEOPLE = 20_000
#: People per unit of work: big enough for fast multi-row inserts, small enough
#: that progress moves and a failure loses little.
BATCH = 400

T = TypeVar("T")

# -- where names come from -----------------------------------------------------------


@dataclass(frozen=True)
class _Origin:
    """A source of names and the language that goes with them."""

    locale: str | None  # a Faker locale, or None for the curated names below
    weight: float
    language: str
    family_first: bool = False


_ORIGINS: dict[str, _Origin] = {
    "en_GB": _Origin("en_GB", 0.72, "English"),
    "cy": _Origin(None, 0.06, "Welsh"),
    "ga_IE": _Origin("ga_IE", 0.04, "English"),
    "pl_PL": _Origin("pl_PL", 0.05, "Polish"),
    "vi_VN": _Origin("vi_VN", 0.03, "Vietnamese", family_first=True),
    "ar_AA": _Origin("ar_AA", 0.02, "Arabic"),
    "ur": _Origin(None, 0.03, "Urdu"),
    "zh_CN": _Origin("zh_CN", 0.02, "Mandarin", family_first=True),
    "hi_IN": _Origin("hi_IN", 0.03, "Hindi"),
}

#: Names Faker has no locale for (Welsh, Urdu), and British names with diacritics.
_CURATED: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "cy": (("Siân", "Gwenllïan", "Eluned", "Rhiannon", "Zoë", "Chloë", "Nia", "Ffion"),
           ("Dafydd", "Ieuan", "Aneurin", "Rhodri", "Gethin", "Noël", "Emyr", "Iolo"),
           ("Jones", "Williams", "Prichard", "ap Rhys", "Llewelyn", "Bowen", "Huws", "Puw")),
    "ur": (("عائشہ", "فاطمہ", "ثناء", "زینب", "رضیہ"),
           ("محمد", "عمران", "بلال", "اسلم", "طارق"),
           ("خان", "احمد", "حسین", "قریشی", "چوہدری")),
}

_POOL = 300  # names drawn per Faker locale and kind: plenty of variety, built fast


@dataclass(frozen=True)
class _Names:
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    origin: _Origin


def _faker_names(origin: _Origin, seed: int) -> _Names:
    fake = Faker(origin.locale)
    fake.seed_instance(seed)
    return _Names(tuple(fake.first_name_female() for _ in range(_POOL)),
                  tuple(fake.first_name_male() for _ in range(_POOL)),
                  tuple(fake.last_name() for _ in range(_POOL)), origin)


def _name_pools(seed: int) -> dict[str, _Names]:
    pools = {}
    for key, origin in _ORIGINS.items():
        if origin.locale is None:
            pools[key] = _Names(*_CURATED[key], origin)
        else:
            pools[key] = _faker_names(origin, seed)
    return pools


# -- synthetic identifiers -----------------------------------------------------------

#: Ofcom's ranges for drama and tests: valid to libphonenumber, never anyone's line.
_DRAMA_RANGES = ("020 7946 0", "0113 496 0", "0114 496 0", "0116 496 0", "0117 496 0",
                 "0118 496 0", "0121 496 0", "0131 496 0", "0141 496 0", "0151 496 0",
                 "0161 496 0", "0191 498 0", "029 2018 0")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def synthetic_nhs_number(rng: random.Random) -> str:
    """A valid NHS number from the 999 range, which the NHS keeps for testing."""
    while True:
        nine = f"999{rng.randrange(10**6):06d}"
        check = (11 - sum(int(d) * w for d, w in zip(nine, _NHS_WEIGHTS, strict=True)) % 11) % 11
        if check != 10:
            return f"{nine[:3]} {nine[3:6]} {nine[6:]}{check}"


# -- words --------------------------------------------------------------------------

_DIAGNOSES = ("Metastatic lung cancer", "Pancreatic cancer", "Advanced heart failure",
              "COPD, oxygen dependent", "Motor neurone disease", "Advanced dementia",
              "Metastatic breast cancer", "End-stage kidney disease", "Frailty",
              "Prostate cancer with bone metastases", "Bowel cancer", "Parkinson's disease")
_MATTERS = ("Being at home with my cat and my garden", "Seeing my grandchildren every week",
            "Staying in my own bed as long as I can", "Being able to pray at home",
            "Not being a burden on my daughter", "Listening to the cricket on the radio",
            "Having my family around me, and music playing")
_VALUES = ("My independence", "Time with family", "My faith", "Being comfortable",
           "Keeping my sense of humour", "My dog, Bess")
_FEARS = ("Going back into hospital", "Being in pain", "Dying alone",
          "Being breathless at night", "Losing my mind before the end")
_SPIRITUAL = ("Church of England; would like the vicar to visit", "Roman Catholic; last rites",
              "Muslim; family to wash the body", "Buddhist; quiet space", "No religion",
              "Sikh; the Sukhmani Sahib read at home", "Jewish; burial within a day")
_FUNERAL = ("Cremation, simple service", "Burial beside my husband",
            "Woodland burial, no flowers", "Has a prepaid funeral plan (Co-op)", "Not discussed")
_BOX_PLACES = ("Kitchen, top shelf of the cupboard by the kettle",
               "Bedroom, on the chest of drawers", "Living room, in the dresser drawer",
               "Hall table, in the blue tin")
_FORM_PLACES = ("Behind the front door in the red folder", "On the fridge",
                "In the hall, in the yellow folder", "With the medicines box")
_HOME_ACCESS = ("Key safe by the front door: code held by the district nurses",
                "Key with the neighbour at number 12", "Ring and wait: slow to the door",
                "Side gate, back door usually open in the day")
_EQUIPMENT = ("Hospital bed, pressure mattress", "Hoist and commode", "Syringe driver",
              "Oxygen concentrator", "Wheelchair, rollator")
_DISCUSSED = ("Pain better since dose change; reviewed medicines with daughter",
              "Discussed preferred place of death; wants to stay at home",
              "Carer exhausted; arranged night sitting twice a week",
              "MDT: agreed to refer to hospice at home", "Reviewed ReSPECT form with GP",
              "Breathlessness worse at night; fan and oramorph discussed",
              "Family meeting: prognosis explained, questions answered",
              "Letter to GP about anticipatory medicines", "Phoned to check on weekend plans")
_FOLLOW_UPS = ("Call back Friday", "Ask GP to review", "Refer to bereavement service",
               "Check medicines box", "", "")
_DOCUMENTS = ("Will", "Care plan", "Advance statement (signed copy)", "Funeral plan",
              "Letter of wishes")
_TASKS = (("review_cpr", "Review CPR decision"), ("review_preferences", "Review preferences"),
          ("follow_up", "Follow-up call to carer"), ("reminder", "Check medicines box expiry"),
          ("review_respect", "Review ReSPECT plan"))
#: Who a coordinator deals with at each kind of service.
_ROLES = {"gp": "GP", "district_nursing": "District nurse",
          "specialist_palliative": "Palliative care CNS", "hospice_at_home": "Key worker",
          "out_of_hours": "Out-of-hours GP", "pharmacy": "Pharmacist",
          "social_care": "Social worker", "care_agency": "Care manager",
          "chaplaincy": "Chaplain"}
_AREAS = ("Headingley", "Chapel Allerton", "Armley", "Roundhay", "Horsforth", "Beeston")

# -- the coded values used often ----------------------------------------------------

HOME, USUAL, HOSPICE, HOSPITAL = ("110481000000108", "819211000000102", "108401000000102",
                                  "109401000000108")
CARE_HOME, NURSING_HOME, UNDECIDED = "710571000000101", "89761000000106", "517161000000101"
_PREFERRED = ((HOME, 50), (HOSPICE, 18), (CARE_HOME, 8), (NURSING_HOME, 5), (USUAL, 6),
              (HOSPITAL, 3), (UNDECIDED, 6), ("766391000000108", 2), ("1060941000000102", 2))
_PLACE_WORDS = {HOME: "At home, in my own bed", HOSPICE: "At St Gemma's if home gets too much",
                CARE_HOME: "Here, where the staff know me", HOSPITAL: "Wherever I am safest",
                UNDECIDED: "Has not made up her mind yet"}
_STAGES = (("845701000000104", "1064691000000106", 30), ("845721000000108", "968211000000101", 35),
           ("845751000000103", "955231000000109", 25), ("845771000000107", "511401000000102", 10))
_RELATIVES = ("son", "daughter", "sibling", "grandchild", "relative", "friend", "neighbour",
              "faith")
_HELP = tuple(c.code for c in codes.HELP if c.code != codes.OTHER)

#: Services of every type, with how many the directory has of each.
_SERVICE_KINDS = (
    ("gp", 10, ("Surgery", "Medical Practice", "Health Centre")),
    ("district_nursing", 4, ("District Nursing Team",)),
    ("specialist_palliative", 2, ("Specialist Palliative Care Team",)),
    ("hospice_inpatient", 2, ("Hospice Inpatient Unit",)),
    ("hospice_at_home", 2, ("Hospice at Home",)),
    ("out_of_hours", 1, ("NHS 111 and Out-of-hours GP",)),
    ("ambulance", 1, ("Ambulance Service",)),
    ("social_care", 2, ("Adult Social Care",)),
    ("care_agency", 4, ("Home Care",)),
    ("care_home", 4, ("Care Home",)),
    ("pharmacy", 5, ("Pharmacy",)),
    ("chaplaincy", 2, ("Chaplaincy",)),
    ("voluntary", 3, ("Compassionate Neighbours",)),
    ("bereavement", 2, ("Bereavement Support",)),
    ("other", 1, ("Lymphoedema Clinic",)),
)
_DAY_AND_NIGHT = frozenset({"district_nursing", "specialist_palliative", "hospice_inpatient",
                            "hospice_at_home", "out_of_hours", "ambulance"})


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate` wrote, and how long it took."""

    people: int
    rows: int
    died: int
    services: int
    volunteers: int
    seconds: float


def generate(store: Store, people: int = 60, seed: int | None = None,
             today: date | None = None) -> Job[DemoSummary]:
    """A job adding a synthetic caseload of ``people`` people, with its service and
    community directories, to ``store``; it yields progress once per batch of people.

    Everything is written in one unit of work: closing the job before the end
    (cancelling) leaves the store as it was, as does a ``people`` out of range
    (refused before anything is written).
    """
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError(Problem(
            "people", f"a demo caseload has 1 to {MAX_PEOPLE:,} people, not {people:,}"))
    started = time.perf_counter()
    maker = _Maker(random.Random(seed), today or date.today())
    services, volunteers = maker.services(), maker.volunteers(max(5, people // 20))
    yield Progress(0, people, "people")
    with store.writing(maker.today) as w, closing(_batches(maker, people)) as batches:
        rows = bulk.add_many(w, [*services, *volunteers])
        died = done = 0
        for batch in batches:
            died += sum(1 for record in batch if _has_died(record[0]))
            rows += bulk.add_many(w, [e for record in batch for e in record])
            done += len(batch)
            yield Progress(done, people, "people")
    return DemoSummary(people, rows, died, len(services), len(volunteers),
                       time.perf_counter() - started)


def _batches(maker: _Maker, people: int) -> Generator[list[list[Entity]], None, None]:
    """People's records in batches, the next batch made on a second thread while
    this one is written: SQLite lets go of the GIL while it works, so both cores help."""
    sizes = [min(BATCH, people - first) for first in range(0, people, BATCH)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(maker.records, sizes[0])
        for size in sizes[1:]:
            ready = pending.result()
            pending = pool.submit(maker.records, size)
            yield ready
        yield pending.result()


def _has_died(entity: Entity) -> bool:
    return isinstance(entity, Person) and entity.date_of_death is not None


class _Quota:
    """A yes/no draw at ``rate`` whose running share never strays far from it.

    Each draw is random, but the count of yeses stays within one of ``rate``
    times the draws, so a small caseload shows the same rates as a large one
    (a demo with 40 people still has about the national share of deaths in
    the preferred place).
    """

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.rng, self.rate, self.draws, self.hits = rng, rate, 0, 0

    def draw(self) -> bool:
        self.draws += 1
        short = self.rate * self.draws - self.hits  # yeses missing if this is a no
        hit = short >= 1 or (short > 0 and self.rng.random() < short)
        self.hits += hit
        return hit


#: Rates of the demo caseload (national figures where there are any).
DIED_IN_PREFERRED_PLACE = 0.68  # England: about 55-80% of those with a recorded preference
NO_PREFERENCE_RECORDED = 0.12
REVIEW_OVERDUE = 0.04  # each review date; a person has two or three
TASK_OVERDUE = 0.06
ROTA_GAP = 0.10
#: Circle of support sizes (people besides volunteers) and their weights.
_CIRCLE_SIZES = ((0, 5), (1, 15), (2, 24), (3, 22), (4, 15), (5, 10), (6, 5), (7, 3), (8, 1))


class _Maker:
    """Makes the entities of the caseload from one random stream (so: one seed)."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self._midnight_ms = int(datetime.combine(today, clock_time(), UTC).timestamp() * 1000)
        self._ids = 0
        self.names = _name_pools(rng.randrange(2**31))
        self._origins = list(self.names)
        self._origin_weights = [o.weight for o in _ORIGINS.values()]
        self._places = _faker_places(rng.randrange(2**31))
        self._nhs_numbers: set[str] = set()
        self._services: dict[str, list[Service]] = {}
        self._volunteers: list[Volunteer] = []
        self._achieved = _Quota(rng, DIED_IN_PREFERRED_PLACE)
        self._no_preference = _Quota(rng, NO_PREFERENCE_RECORDED)
        self._review_overdue = _Quota(rng, REVIEW_OVERDUE)
        self._task_overdue = _Quota(rng, TASK_OVERDUE)
        self._rota_gap = _Quota(rng, ROTA_GAP)

    # -- small draws -----------------------------------------------------------------

    def new_id(self) -> str:
        """Time-ordered like the app's own ids (one millisecond apart from midnight of
        ``today``), and the same for the same seed."""
        self._ids += 1
        return uuid7(self._midnight_ms + self._ids, self.rng.getrandbits(128) & (2**74 - 1))

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def review_date(self) -> date:
        """When a decision is next reviewed: over the coming six months, a few overdue."""
        if self._review_overdue.draw():
            return self.days_ago(1, 28)
        return self.today + timedelta(days=self.rng.randint(1, 180))

    def moment(self, day: date, first_hour: int = 8, last_hour: int = 18) -> datetime:
        at = clock_time(self.rng.randint(first_hour, last_hour), self.rng.choice((0, 15, 30, 45)))
        return datetime.combine(day, at, UTC)

    def phone(self) -> str:
        return f"{self.pick(_DRAMA_RANGES)}{self.rng.randrange(1000):03d}"

    def name(self, female: bool | None = None, origin: str | None = None) -> str:
        pool = self.names[origin or self.origin()]
        female = self.chance(0.5) if female is None else female
        given, family = self.pick(pool.female if female else pool.male), self.pick(pool.family)
        return f"{family} {given}" if pool.origin.family_first else f"{given} {family}"

    def origin(self) -> str:
        return self.rng.choices(self._origins, self._origin_weights)[0]

    def nhs_number(self) -> str:
        while (number := synthetic_nhs_number(self.rng)) in self._nhs_numbers:
            pass
        self._nhs_numbers.add(number)
        return number

    # -- the shared directories ------------------------------------------------------

    def services(self) -> list[Service]:
        for kind, count, suffixes in _SERVICE_KINDS:
            self._services[kind] = [self.service(kind, self.pick(suffixes), n)
                                    for n in range(count)]
        return [s for listed in self._services.values() for s in listed]

    def service(self, kind: str, suffix: str, n: int) -> Service:
        town = self.pick(self._places.towns)
        phone = "111" if kind == "out_of_hours" else self.phone()
        hours = ("Every day, day and night" if kind in _DAY_AND_NIGHT
                 else "Monday to Friday 8:00-18:30")
        return Service(
            id=self.new_id(), name=f"{town} {suffix}" + (f" {n + 1}" if n else ""),
            service_type=Coded(kind, "Lymphoedema clinic" if kind == codes.OTHER else ""),
            ods_code=f"{self.pick('ABCDEFGHJKLMNP')}{self.rng.randrange(81000, 89999)}"
            if kind == "gp" else None,
            phone=phone,
            phone_24_7=("111" if kind == "out_of_hours" else self.phone())
            if kind in _DAY_AND_NIGHT else None,
            email=f"{kind.replace('_', '.')}.{n + 1}@example.org",
            address=f"{self.pick(self._places.streets)}, {town}, "
                    f"{self.pick(self._places.postcodes)}",
            opening_hours=hours,
        )

    def volunteers(self, count: int) -> list[Volunteer]:
        self._volunteers = [self.volunteer(n) for n in range(count)]
        return list(self._volunteers)

    def volunteer(self, n: int) -> Volunteer:
        return Volunteer(
            id=self.new_id(), name=self.name(), phone=self.phone(),
            email=f"volunteer{n + 1}@example.org", area=self.pick(_AREAS),
            helps_with=CodedList(tuple(self.rng.sample(_HELP, self.rng.randint(1, 3)))),
            availability=self.pick(("Weekday mornings", "Evenings", "Weekends", "Any time")),
            checks_done_on=self.days_ago(30, 900), active=self.chance(0.9),
        )

    # -- one person's record ---------------------------------------------------------

    def records(self, count: int) -> list[list[Entity]]:
        return [self.record() for _ in range(count)]

    def record(self) -> list[Entity]:
        """A person and everything linked to them, in an order add_many accepts."""
        origin = self.origin()
        person = self.person(origin)
        circle = self.circle(person, origin)
        return [person, *circle, *self.involvements(person), *self.contacts(person),
                *self.tasks(person), *self.rota(person, circle), *self.documents(person)]

    def person(self, origin: str) -> Person:
        female = self.chance(0.52)
        born = self.days_ago(365 * 45, 365 * 101)
        registered = self.days_ago(7, 700)
        stage, prognosis, _ = self.rng.choices(_STAGES, [s[2] for s in _STAGES])[0]
        language = _ORIGINS[origin].language
        name = self.name(female, origin)
        person = Person(
            id=self.new_id(), full_name=name,
            preferred_name=name.split()[0] if self.chance(0.3) else None,
            pronouns="she/her" if female else "he/him",
            date_of_birth=born, sex=Coded("248152002" if female else "248153007"),
            nhs_number=self.nhs_number() if self.chance(0.93) else None,
            address=self.pick(self._places.streets) + ", " + self.pick(self._places.towns),
            postcode=self.pick(self._places.postcodes), home_access=self.pick(_HOME_ACCESS),
            phone=self.phone(), mobile=self.phone() if self.chance(0.5) else None,
            main_language=language,
            interpreter_needed=language not in ("English", "Welsh") and self.chance(0.5),
            communication_needs=CodedList(("hearing",), "Hearing aid, left ear")
            if self.chance(0.15) else None,
            eol_diagnosis=self.pick(_DIAGNOSES), status=Coded("active"),
            on_register=True, register_date=registered,
            surprise_question=Coded("no"), surprise_question_date=registered,
            gsf_stage=Coded(stage), prognosis=Coded(prognosis),
            person_aware_of_prognosis=self.chance(0.8), carer_aware_of_prognosis=self.chance(0.85),
            akps=self.rng.randrange(10, 80, 10),
            what_matters=self.pick(_MATTERS), most_value=self.pick(_VALUES),
            most_fear=self.pick(_FEARS), spiritual_needs=self.pick(_SPIRITUAL),
            funeral_wishes=self.pick(_FUNERAL),
            donation_wishes="Corneas only" if self.chance(0.1) else None,
            equipment=self.pick(_EQUIPMENT) if self.chance(0.6) else None,
        )
        for fill in (self.preferences, self.decisions, self.medicines, self.outcome):
            fill(person)
        return person

    def preferences(self, p: Person) -> None:
        if self._no_preference.draw():
            return  # not yet discussed: the caseload filter "no preferred place" finds them
        place = self.rng.choices([c for c, _ in _PREFERRED], [w for _, w in _PREFERRED])[0]
        p.preferred_place_of_death = Coded(place, _PLACE_WORDS.get(place, ""))
        p.preferred_place_of_care = Coded(HOME if place == HOSPICE else place,
                                          _PLACE_WORDS.get(place, ""))
        if place == HOME and self.chance(0.4):
            p.preferred_place_of_death_2 = Coded(HOSPICE, "If it gets too much for the family")
        p.preferences_discussed_with = "The person, their main carer and the coordinator"
        p.preferences_date = self.days_ago(30, 400)
        p.preferences_review_date = self.review_date()

    def decisions(self, p: Person) -> None:
        if self.chance(0.85):
            p.cpr_decision = Coded("450476008" if self.chance(0.85) else "450475007")
            p.cpr_reason = "CPR would not be successful given the underlying illness"
            p.cpr_had_capacity = self.chance(0.8)
            p.cpr_date = self.days_ago(30, 500)
            p.cpr_review_date = self.review_date()
            p.cpr_clinician = "Dr " + self.name(origin="en_GB")
            p.cpr_involved = "The person and their family"
            p.cpr_family_told = self.chance(0.9)
            p.cpr_form_location = self.pick(_FORM_PLACES)
        if self.chance(0.6):
            p.respect_plan, p.respect_date = True, self.days_ago(5, 500)
            p.respect_location = self.pick(_FORM_PLACES)
            p.respect_focus = Coded(self.pick(("comfort", "comfort", "balance", "extend")))
            p.respect_interventions = "No admission to intensive care; treat infections at home"
        if self.chance(0.12):
            p.adrt, p.adrt_life_sustaining = True, self.chance(0.7)
            p.adrt_covers = "Refuses artificial ventilation and tube feeding"
            p.adrt_date, p.adrt_location = self.days_ago(30, 1500), "With the GP and a copy at home"
        if self.chance(0.3):
            p.welfare_proxy = Coded("lpa_hw")
            p.lpa_registered = self.chance(0.8)
            p.lpa_attorneys = self.name(origin="en_GB") + ", " + self.phone()
        p.consent_to_share = Coded(self.rng.choices(
            ("given", "refused", "882961000000101", "883001000000106"), (85, 3, 8, 4))[0])
        p.consent_date, p.consent_recorded_by = p.register_date, "Care coordinator"
        p.consent_share_with = "GP, district nurses, hospice, out-of-hours services"

    def medicines(self, p: Person) -> None:
        if self.chance(0.7):
            issued = self.chance(0.7)
            p.anticipatory_medicines = Coded("376201000000102" if issued else "871021000000106")
            p.anticipatory_medicines_date = self.days_ago(1, 200)
            p.medicines_box_location = self.pick(_BOX_PLACES) if issued else None
            p.medicines_notes = "Morphine, midazolam, levomepromazine, glycopyrronium"

    def outcome(self, p: Person) -> None:
        """About one in ten has died (most where they wished); a few were discharged."""
        roll = self.rng.random()
        if roll < 0.10:
            place = self.place_of_death(p)
            registered = p.register_date or self.today
            p.status, p.place_of_death = Coded("died"), Coded(place)
            p.date_of_death = registered + timedelta(
                days=self.rng.randint(0, (self.today - registered).days))
        elif roll < 0.13:
            p.status = Coded("discharged", "Condition stable")
            p.discharged_on = self.days_ago(0, 90)

    def place_of_death(self, p: Person) -> str:
        """Where a person died: the preferred place at the national rate, else most
        often hospital."""
        wished = p.preferred_place_of_death.code if p.preferred_place_of_death else None
        if wished in codes.ACTUAL_PLACES and self._achieved.draw():
            return wished
        others = [(HOSPITAL, 55), (HOME, 20), (HOSPICE, 15), (CARE_HOME, 10)]
        places = [place for place, _ in others if place != wished]
        return self.rng.choices(places, [w for place, w in others if place != wished])[0]

    def circle(self, p: Person, origin: str) -> list[CircleMember]:
        """A circle of support of 0 to 8 people (the first is the main carer), and
        sometimes a volunteer from the community directory."""
        size = self.rng.choices([n for n, _ in _CIRCLE_SIZES], [w for _, w in _CIRCLE_SIZES])[0]
        members = [self.main_carer(p, origin)] if size else []
        for _ in range(size - 1):
            members.append(self.relative(p, origin))
        if self._volunteers and self.chance(0.25):
            members.append(self.volunteer_member(p))
        return members

    def main_carer(self, p: Person, origin: str) -> CircleMember:
        relationship = self.pick(("spouse", "spouse", "daughter", "son", "partner"))
        return CircleMember(
            id=self.new_id(), person_id=p.id, name=self.name(origin=origin),
            relationship=Coded(relationship), next_of_kin=True, main_carer=True,
            lpa_attorney=p.welfare_proxy is not None, key_holder=True, emergency_contact=True,
            phone=self.phone(), best_times="Any time", lives_with_person=relationship != "son",
            helps_with=CodedList(("personal_care", "medicines", "meals")),
            knows_prognosis=True, knows_cpr_decision=p.cpr_decision is not None,
            consent_to_share=True, carer_assessment=Coded(self.pick(("offered", "done"))),
            bereavement_risk=Coded(self.pick(("low", "moderate", "high"))),
            bereavement_support_wanted=self.chance(0.5),
        )

    def relative(self, p: Person, origin: str) -> CircleMember:
        return CircleMember(
            id=self.new_id(), person_id=p.id, name=self.name(origin=origin),
            relationship=Coded(self.pick(_RELATIVES)), phone=self.phone(),
            best_times=self.pick(("Evenings", "Weekends", "Before 9am")),
            helps_with=CodedList(tuple(self.rng.sample(_HELP, 2))),
            knows_prognosis=self.chance(0.6), consent_to_share=self.chance(0.8),
        )

    def volunteer_member(self, p: Person) -> CircleMember:
        volunteer = self.pick(self._volunteers)
        return CircleMember(
            id=self.new_id(), person_id=p.id, volunteer_id=volunteer.id, name=volunteer.name,
            relationship=Coded("volunteer"), phone=volunteer.phone,
            helps_with=volunteer.helps_with, availability=volunteer.availability,
            consent_to_share=True,
        )

    def involvements(self, p: Person) -> list[Involvement]:
        wanted = ["gp", *self.rng.sample(("district_nursing", "specialist_palliative",
                                          "hospice_at_home", "out_of_hours", "pharmacy",
                                          "social_care", "care_agency", "chaplaincy"),
                                         self.rng.choices((1, 2, 3, 4, 5), (30, 30, 20, 12, 8))[0])]
        found = []
        for kind in wanted:
            service = self.pick(self._services[kind])
            if kind == "gp":
                p.gp_practice, p.gp_practice_code = service.name, service.ods_code
            found.append(Involvement(
                id=self.new_id(), person_id=p.id, service_id=service.id,
                professional=self.name(origin="en_GB"), role=_ROLES[kind],
                direct_phone=self.phone() if self.chance(0.3) else None,
                since=p.register_date,
            ))
        return found

    def contacts(self, p: Person) -> Iterator[ContactNote]:
        last = p.date_of_death or p.discharged_on or self.today
        span = max(0, (last - (p.register_date or last)).days)
        for _ in range(self.rng.choices(range(3, 11), (30, 20, 14, 10, 8, 7, 6, 5))[0]):
            yield ContactNote(
                id=self.new_id(), person_id=p.id,
                occurred_at=self.moment(last - timedelta(days=self.rng.randint(0, span)), 8, 17),
                contact_type=Coded(self.pick(("visit", "phone", "phone", "mdt", "letter"))),
                with_whom=self.pick(("Main carer", "The person", "GP", "District nurse")),
                discussed=self.pick(_DISCUSSED), follow_up=self.pick(_FOLLOW_UPS) or None,
            )

    def tasks(self, p: Person) -> Iterator[Task]:
        for _ in range(self.rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0]):
            code, title = self.pick(_TASKS)
            done = self.chance(0.35)  # done in the last month, or still to do
            if done:
                due = self.days_ago(1, 30)
            elif self._task_overdue.draw():
                due = self.days_ago(1, 14)
            else:
                due = self.today + timedelta(days=self.rng.randint(0, 60))
            yield Task(id=self.new_id(), person_id=p.id, title=title, task_type=Coded(code),
                       due=due, done_on=due if done else None, assigned_to="Care coordinator")

    def rota(self, p: Person, circle: list[CircleMember]) -> Iterator[RotaSlot]:
        if p.status is not None and p.status.code != "active":
            return
        for _ in range(self.rng.choices((0, 1, 2, 3), (30, 30, 25, 15))[0]):
            starts = self.moment(self.today + timedelta(days=self.rng.randint(0, 10)), 9, 20)
            weekly = self.chance(0.5)
            gap = self._rota_gap.draw() or not circle  # nobody found for this slot yet
            helper = None if gap else self.pick(circle)
            yield RotaSlot(
                id=self.new_id(), person_id=p.id, activity=Coded(self.pick(_HELP)),
                starts_at=starts, ends_at=starts + timedelta(hours=self.rng.choice((1, 2, 3))),
                repeat=Coded("weekly" if weekly else "once"),
                repeat_until=starts.date() + timedelta(weeks=8) if weekly else None,
                helper_id=helper.id if helper else None,
            )

    def documents(self, p: Person) -> Iterator[Document]:
        if self.chance(0.3):
            yield Document(id=self.new_id(), person_id=p.id, name=self.pick(_DOCUMENTS),
                           location=self.pick(_FORM_PLACES), dated=self.days_ago(30, 2000))


@dataclass(frozen=True)
class _Places:
    towns: tuple[str, ...]
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]


def _faker_places(seed: int) -> _Places:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return _Places(tuple(fake.city() for _ in range(40)),
                   tuple(fake.street_address() for _ in range(_POOL)),
                   tuple(fake.postcode() for _ in range(_POOL)))
