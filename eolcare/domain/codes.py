"""Coded value sets of the record (DATASET.md), with their SNOMED CT codes.

A code is what makes reports and exports exact; the free text beside it keeps
the person's own words. Where the national dataset has a SNOMED CT concept, the
code is that concept id; local choices without one use a short local code and
``system = LOCAL``. Every value set has an "other" member whose use requires
text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

SNOMED = "http://snomed.info/sct"
LOCAL = "https://eolcare.example/CodeSystem/local"


@dataclass(frozen=True)
class Code:
    """One member of a value set."""

    code: str
    display: str
    system: str = SNOMED


@dataclass(frozen=True)
class ValueSet:
    """A named list of codes; ``other`` is the code that needs text beside it."""

    name: str
    codes: tuple[Code, ...]
    other: str | None = None
    _by_code: dict[str, Code] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {c.code: c for c in self.codes})

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Code | None:
        return self._by_code.get(code)

    def display(self, code: str) -> str:
        found = self._by_code.get(code)
        return found.display if found else code


def _local(*pairs: tuple[str, str]) -> tuple[Code, ...]:
    return tuple(Code(code, display, LOCAL) for code, display in pairs)


def _snomed(*pairs: tuple[str, str]) -> tuple[Code, ...]:
    return tuple(Code(code, display) for code, display in pairs)


OTHER = "other"
_OTHER = Code(OTHER, "Other (see text)", LOCAL)

# -- 1. the person ------------------------------------------------------------------

SEX = ValueSet(
    "sex",
    (*_snomed(("248152002", "Female"), ("248153007", "Male")),
     *_local(("indeterminate", "Indeterminate"), ("unknown", "Not known"))),
)

STATUS = ValueSet(
    "status", _local(("active", "Active"), ("discharged", "Discharged"), ("died", "Died"))
)

COMMUNICATION_NEED = ValueSet(
    "communication_need",
    (*_local(
        ("sight", "Sight impairment"),
        ("hearing", "Hearing impairment"),
        ("signing", "Uses sign language"),
        ("learning_disability", "Learning disability"),
        ("dementia", "Dementia or cognitive impairment"),
        ("speech", "Speech difficulty"),
        ("literacy", "Reading or writing difficulty"),
    ), _OTHER),
    other=OTHER,
)

# -- 2. where the person is in their illness ---------------------------------------

GSF_STAGE = ValueSet(
    "gsf_stage",
    _snomed(
        ("845701000000104", "A blue: year plus prognosis"),
        ("845721000000108", "B green: months prognosis"),
        ("845751000000103", "C yellow / amber: weeks prognosis"),
        ("845771000000107", "D red: days prognosis"),
    ),
)

PROGNOSIS = ValueSet(
    "prognosis",
    _snomed(
        ("511401000000102", "Last days of life"),
        ("955231000000109", "Last weeks of life"),
        ("968211000000101", "Last months of life"),
        ("1064691000000106", "About a year of life"),
    ),
)

#: "Aware of prognosis" (444332001): recorded as yes/no for the person and the carer.
AWARE_OF_PROGNOSIS = "444332001"

SURPRISE_QUESTION = ValueSet(
    "surprise_question",
    _local(
        ("no", "No: would not be surprised if the person died in the next year"),
        ("yes", "Yes: would be surprised"),
        ("unsure", "Unsure"),
    ),
)

# -- 4. preferences (also the actual place of death) --------------------------------

PLACE = ValueSet(
    "place",
    (*_snomed(
        ("110481000000108", "Home"),
        ("819211000000102", "Usual place of residence"),
        ("108401000000102", "Hospice"),
        ("109401000000108", "Hospital"),
        ("89751000000108", "Community hospital"),
        ("710571000000101", "Care home"),
        ("89761000000106", "Nursing home"),
        ("512071000000106", "Residential home"),
        ("1060941000000102", "No preference"),
        ("517161000000101", "Undecided"),
        ("766391000000108", "Declined to discuss"),
        ("517111000000103", "Unable to express a preference"),
        ("517131000000106", "Discussion not appropriate"),
    ), _OTHER),
    other=OTHER,
)

#: Codes of PLACE that name a place (the rest record why there is no preference).
ACTUAL_PLACES = frozenset(
    {"110481000000108", "819211000000102", "108401000000102", "109401000000108",
     "89751000000108", "710571000000101", "89761000000106", "512071000000106", OTHER}
)
#: Places that count as "usual place of residence" in the national outcome measure.
USUAL_RESIDENCE = frozenset(
    {"110481000000108", "819211000000102", "710571000000101", "89761000000106",
     "512071000000106"}
)

# -- 5. decisions and legal documents -----------------------------------------------

CPR_DECISION = ValueSet(
    "cpr_decision",
    _snomed(
        ("450475007", "For cardiopulmonary resuscitation"),
        ("450476008", "Not for cardiopulmonary resuscitation"),
    ),
)
NOT_FOR_CPR = "450476008"
FAMILY_TOLD_OF_CPR = "975311000000109"

RESPECT_FOCUS = ValueSet(
    "respect_focus",
    _local(
        ("extend", "Prioritise extending life"),
        ("balance", "Balance extending life with comfort and valued outcomes"),
        ("comfort", "Prioritise comfort"),
    ),
)

ADRT = "816301000000100"
ADRT_LIFE_SUSTAINING = "816321000000109"

CONSENT = ValueSet(
    "consent",
    _local(("given", "Consent given"), ("refused", "Consent refused"))
    + _snomed(
        ("882961000000101", "Best-interest decision to share"),
        ("883001000000106", "Attorney consented"),
    ),
)

WELFARE_PROXY = ValueSet(
    "welfare_proxy",
    (*_local(
        ("lpa_hw", "Lasting power of attorney for health and welfare"),
        ("deputy", "Court-appointed deputy"),
        ("none", "None"),
    ), _OTHER),
    other=OTHER,
)

# -- 6. anticipatory medicines ------------------------------------------------------

ANTICIPATORY_MEDICINES = ValueSet(
    "anticipatory_medicines",
    (*_snomed(
        ("871021000000106", "Anticipatory medicines prescribed"),
        ("376201000000102", "Anticipatory medicines box issued"),
    ), *_local(("none", "Not prescribed"))),
)

# -- 7. circle of support -----------------------------------------------------------

RELATIONSHIP = ValueSet(
    "relationship",
    (*_local(
        ("spouse", "Spouse or civil partner"),
        ("partner", "Partner"),
        ("son", "Son"),
        ("daughter", "Daughter"),
        ("parent", "Parent"),
        ("sibling", "Brother or sister"),
        ("grandchild", "Grandchild"),
        ("relative", "Other relative"),
        ("friend", "Friend"),
        ("neighbour", "Neighbour"),
        ("volunteer", "Compassionate-community volunteer"),
        ("faith", "Faith community"),
        ("paid_carer", "Paid carer"),
    ), _OTHER),
    other=OTHER,
)

HELP = ValueSet(
    "help",
    (*_local(
        ("sitting", "Sitting"),
        ("meals", "Meals"),
        ("shopping", "Shopping"),
        ("transport", "Transport"),
        ("medicines", "Medicines collection"),
        ("pets", "Pets"),
        ("companionship", "Companionship"),
        ("night", "Night cover"),
        ("personal_care", "Personal care"),
        ("housework", "Housework"),
    ), _OTHER),
    other=OTHER,
)

CARER_ASSESSMENT = ValueSet(
    "carer_assessment",
    _local(
        ("not_offered", "Not offered"),
        ("offered", "Offered"),
        ("declined", "Declined"),
        ("done", "Done"),
    ),
)

BEREAVEMENT_RISK = ValueSet(
    "bereavement_risk",
    _local(("low", "Low"), ("moderate", "Moderate"), ("high", "High"), ("unknown", "Not assessed")),
)

# -- 8. services --------------------------------------------------------------------

SERVICE_TYPE = ValueSet(
    "service_type",
    (*_local(
        ("gp", "GP practice"),
        ("district_nursing", "District nursing"),
        ("specialist_palliative", "Specialist palliative care"),
        ("hospice_inpatient", "Hospice (inpatient)"),
        ("hospice_at_home", "Hospice at home"),
        ("out_of_hours", "Out-of-hours GP / 111"),
        ("ambulance", "Ambulance"),
        ("social_care", "Social care"),
        ("care_agency", "Care agency"),
        ("care_home", "Care home"),
        ("pharmacy", "Community pharmacy"),
        ("chaplaincy", "Chaplaincy"),
        ("voluntary", "Voluntary sector"),
        ("bereavement", "Bereavement service"),
    ), _OTHER),
    other=OTHER,
)

# -- 9. contact log, tasks, rota ----------------------------------------------------

CONTACT_TYPE = ValueSet(
    "contact_type",
    (*_local(
        ("visit", "Visit"),
        ("phone", "Phone call"),
        ("video", "Video call"),
        ("mdt", "MDT discussion"),
        ("letter", "Letter"),
        ("email", "Email"),
    ), _OTHER),
    other=OTHER,
)

TASK_TYPE = ValueSet(
    "task_type",
    (*_local(
        ("review_cpr", "Review CPR decision"),
        ("review_preferences", "Review preferences"),
        ("review_respect", "Review ReSPECT plan"),
        ("follow_up", "Follow-up"),
        ("reminder", "Reminder"),
    ), _OTHER),
    other=OTHER,
)

REPEAT = ValueSet(
    "repeat",
    _local(("once", "One-off"), ("daily", "Every day"), ("weekly", "Every week"),
           ("fortnightly", "Every two weeks")),
)
