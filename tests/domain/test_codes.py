"""Value sets against DATASET.md: every SNOMED code it lists is in the right place.

The codes are read from DATASET.md itself where that is straightforward, so a
change to the dataset shows up here; a table of the same codes (as the brief
gave them) keeps the check alive where the dataset file is not at hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eolcare.domain import codes
from eolcare.domain.codes import LOCAL, OTHER, SNOMED, Code, ValueSet

_REPO = Path(__file__).resolve().parents[2]
#: The shared specification beside the repository when it is there (the source), else the
#: copy kept in docs/ (a clone anywhere else, such as a clean CI folder, still checks the
#: codes against it; the copy must not drift: see the test below).
_SHARED = _REPO.parent / "shared" / "DATASET.md"
_COPY = _REPO / "docs" / "DATASET.md"
_CANDIDATES = [_SHARED, _COPY]

VALUE_SETS = {name: vs for name, vs in vars(codes).items() if isinstance(vs, ValueSet)}


def _dataset_text() -> str:
    for path in _CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.fail("DATASET.md is neither in ../shared/ nor in docs/")  # never skip silently


def test_the_copy_in_docs_is_the_shared_dataset() -> None:
    if not _SHARED.is_file():
        pytest.skip("no ../shared/ beside this clone: the copy in docs/ is what there is")
    assert _COPY.read_bytes() == _SHARED.read_bytes(), (
        "docs/DATASET.md differs from ../shared/DATASET.md: copy it again")


@pytest.fixture(scope="module")
def dataset() -> str:
    """DATASET.md sections 1-9 with line breaks folded, so wrapped phrases match."""
    text = _dataset_text()
    start = text.index("## 1.")
    end = text.index("## 10.")
    return re.sub(r"\s+", " ", text[start:end])


def _pairs(fragment: str) -> list[tuple[str, str]]:
    """``"home 110481000000108, hospice 108401000000102"`` -> [("home", "1104..."), ...]."""
    found = re.findall(r"([A-Za-z][A-Za-z ]*?)\s+(\d{6,18})", fragment)
    assert found, f"no codes found in {fragment!r}"
    return [(name.strip(), code) for name, code in found]


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start) + len(start)
    return text[i:text.index(end, i)]


# -- the codes as DATASET.md lists them -----------------------------------------------


def test_gsf_stages_follow_the_dataset(dataset: str) -> None:
    pairs = _pairs(_between(dataset, "SNOMED:", "."))
    assert [letter for letter, _ in pairs] == ["A", "B", "C", "D"]
    assert [c.code for c in codes.GSF_STAGE] == [code for _, code in pairs]
    for letter, code in pairs:
        assert codes.GSF_STAGE.display(code).startswith(letter + " ")


def test_gsf_colours_are_in_the_displays(dataset: str) -> None:
    colours = {"A": "blue", "B": "green", "C": "yellow", "D": "red"}
    for letter, code in _pairs(_between(dataset, "SNOMED:", ".")):
        assert colours[letter] in codes.GSF_STAGE.display(code)


def test_prognosis_follows_the_dataset(dataset: str) -> None:
    pairs = _pairs(_between(dataset, "Prognosis:", ";"))
    assert len(pairs) == 4
    assert {c.code for c in codes.PROGNOSIS} == {code for _, code in pairs}
    for name, code in pairs:
        assert codes.PROGNOSIS.display(code).lower().startswith(name.lower())


def test_places_follow_the_dataset(dataset: str) -> None:
    pairs = _pairs(_between(dataset, "coded:", "Text beside"))
    assert len(pairs) == 13
    place_codes = [c.code for c in codes.PLACE if c.code != OTHER]
    assert place_codes == [code for _, code in pairs]
    for name, code in pairs:
        assert codes.PLACE.display(code).lower().startswith(name.lower())
        assert codes.PLACE.get(code) == Code(code, codes.PLACE.display(code), SNOMED)


def test_cpr_decision_follows_the_dataset(dataset: str) -> None:
    match = re.search(r"for CPR (\d+) / not for CPR (\d+)", dataset)
    assert match
    for_cpr, not_for_cpr = match.groups()
    assert codes.CPR_DECISION.display(for_cpr) == "For cardiopulmonary resuscitation"
    assert codes.CPR_DECISION.display(not_for_cpr) == "Not for cardiopulmonary resuscitation"
    assert not_for_cpr == codes.NOT_FOR_CPR
    assert [c.code for c in codes.CPR_DECISION] == [for_cpr, not_for_cpr]


def test_family_told_of_cpr_follows_the_dataset(dataset: str) -> None:
    match = re.search(r"family was told \((\d+)\)", dataset)
    assert match
    assert match.group(1) == codes.FAMILY_TOLD_OF_CPR


def test_aware_of_prognosis_follows_the_dataset(dataset: str) -> None:
    match = re.search(r"\((\d+) aware of prognosis\)", dataset)
    assert match
    assert match.group(1) == codes.AWARE_OF_PROGNOSIS


def test_adrt_codes_follow_the_dataset(dataset: str) -> None:
    match = re.search(r"ADRT, (\d+); life-sustaining (\d+)", dataset)
    assert match
    assert match.groups() == (codes.ADRT, codes.ADRT_LIFE_SUSTAINING)


def test_consent_follows_the_dataset(dataset: str) -> None:
    best = re.search(r"best-interest decision \((\d+)\)", dataset)
    attorney = re.search(r"attorney consented \((\d+)\)", dataset)
    assert best
    assert attorney
    assert "best-interest" in codes.CONSENT.display(best.group(1)).lower()
    assert "attorney" in codes.CONSENT.display(attorney.group(1)).lower()
    assert {"given", "refused"} <= {c.code for c in codes.CONSENT}


def test_anticipatory_medicines_follow_the_dataset(dataset: str) -> None:
    match = re.search(r"Prescribed \((\d+)\) / box issued \((\d+)\)", dataset)
    assert match
    prescribed, box = match.groups()
    assert "prescribed" in codes.ANTICIPATORY_MEDICINES.display(prescribed).lower()
    assert "box issued" in codes.ANTICIPATORY_MEDICINES.display(box).lower()


def test_respect_focus_uses_the_forms_own_words(dataset: str) -> None:
    quoted = re.findall(r'"([^"]+)"', _between(dataset, "clinical focus", "recommended"))
    assert len(quoted) == 3
    assert [c.display for c in codes.RESPECT_FOCUS] == quoted


def test_every_code_in_the_dataset_is_somewhere_in_codes(dataset: str) -> None:
    listed = set(re.findall(r"\b\d{6,18}\b", dataset))
    assert len(listed) >= 28
    known = {c.code for vs in VALUE_SETS.values() for c in vs}
    known |= {v for v in vars(codes).values() if isinstance(v, str) and v.isdigit()}
    assert listed - known == set()


# -- the same codes as a table (independent of the dataset file) ----------------------

EXPECTED = [
    ("GSF_STAGE", "845701000000104"), ("GSF_STAGE", "845721000000108"),
    ("GSF_STAGE", "845751000000103"), ("GSF_STAGE", "845771000000107"),
    ("PROGNOSIS", "511401000000102"), ("PROGNOSIS", "955231000000109"),
    ("PROGNOSIS", "968211000000101"), ("PROGNOSIS", "1064691000000106"),
    ("PLACE", "110481000000108"), ("PLACE", "819211000000102"), ("PLACE", "108401000000102"),
    ("PLACE", "109401000000108"), ("PLACE", "89751000000108"), ("PLACE", "710571000000101"),
    ("PLACE", "89761000000106"), ("PLACE", "512071000000106"), ("PLACE", "1060941000000102"),
    ("PLACE", "517161000000101"), ("PLACE", "766391000000108"), ("PLACE", "517111000000103"),
    ("PLACE", "517131000000106"),
    ("CPR_DECISION", "450475007"), ("CPR_DECISION", "450476008"),
    ("CONSENT", "882961000000101"), ("CONSENT", "883001000000106"),
    ("ANTICIPATORY_MEDICINES", "871021000000106"),
    ("ANTICIPATORY_MEDICINES", "376201000000102"),
]


@pytest.mark.parametrize(("valueset", "code"), EXPECTED)
def test_code_is_in_its_value_set_as_snomed(valueset: str, code: str) -> None:
    found = VALUE_SETS[valueset].get(code)
    assert found is not None
    assert found.system == SNOMED
    assert found.display


def test_sizes_of_the_national_value_sets() -> None:
    assert len(codes.GSF_STAGE.codes) == 4
    assert len(codes.PROGNOSIS.codes) == 4
    assert len(codes.PLACE.codes) == 14  # 13 national codes and "other"
    assert len(codes.CPR_DECISION.codes) == 2


def test_code_constants() -> None:
    assert codes.ADRT == "816301000000100"
    assert codes.ADRT_LIFE_SUSTAINING == "816321000000109"
    assert codes.FAMILY_TOLD_OF_CPR == "975311000000109"
    assert codes.NOT_FOR_CPR == "450476008"
    assert codes.AWARE_OF_PROGNOSIS == "444332001"


# -- shape of every value set ---------------------------------------------------------

_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def _is_sctid(code: str) -> bool:
    """A SNOMED CT identifier: 6-18 digits, concept partition, Verhoeff check digit."""
    if not re.fullmatch(r"[1-9]\d{5,17}", code) or code[-3:-1] not in ("00", "10"):
        return False
    check = 0
    for i, digit in enumerate(reversed(code)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(digit)]]
    return check == 0


def test_sctid_check_catches_a_typo() -> None:
    assert _is_sctid("450476008")
    assert not _is_sctid("450476009")
    assert not _is_sctid("450467008")


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_snomed_codes_are_well_formed_concept_ids(name: str) -> None:
    for code in VALUE_SETS[name]:
        if code.system == SNOMED:
            assert _is_sctid(code.code), code
        else:
            assert code.system == LOCAL
            assert not code.code.isdigit(), code


def test_code_constants_are_well_formed_concept_ids() -> None:
    for value in (codes.ADRT, codes.ADRT_LIFE_SUSTAINING, codes.FAMILY_TOLD_OF_CPR,
                  codes.AWARE_OF_PROGNOSIS, codes.NOT_FOR_CPR):
        assert _is_sctid(value), value


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_value_set_codes_are_unique_and_displayed(name: str) -> None:
    vs = VALUE_SETS[name]
    all_codes = [c.code for c in vs]
    assert len(all_codes) == len(set(all_codes))
    assert len({c.display for c in vs}) == len(all_codes)
    for c in vs:
        assert c.code in vs
        assert vs.get(c.code) is c
        assert vs.display(c.code) == c.display
        assert c.display.strip() == c.display != ""


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_other_is_a_member_where_declared(name: str) -> None:
    vs = VALUE_SETS[name]
    if vs.other is not None:
        assert vs.other == OTHER
        assert vs.get(OTHER) is not None
        assert vs.get(OTHER).system == LOCAL  # type: ignore[union-attr]
    else:
        assert OTHER not in vs


def test_value_set_lookups_of_unknown_codes() -> None:
    assert "999999999" not in codes.PLACE
    assert codes.PLACE.get("999999999") is None
    assert codes.PLACE.display("999999999") == "999999999"
    assert 110481000000108 not in codes.PLACE  # codes are text, not numbers


def test_actual_places_are_the_places_that_name_a_place() -> None:
    not_places = {"1060941000000102", "517161000000101", "766391000000108",
                  "517111000000103", "517131000000106"}
    place_codes = {c.code for c in codes.PLACE}
    assert place_codes - not_places == codes.ACTUAL_PLACES
    assert codes.USUAL_RESIDENCE < codes.ACTUAL_PLACES
    assert {"108401000000102", "109401000000108", "89751000000108"}.isdisjoint(
        codes.USUAL_RESIDENCE)  # hospice and hospitals are not usual residence
    assert {"110481000000108", "819211000000102"} <= codes.USUAL_RESIDENCE


def test_status_choices() -> None:
    assert [c.code for c in codes.STATUS] == ["active", "discharged", "died"]


def test_communication_needs_cover_the_dataset() -> None:
    needed = {"sight", "hearing", "signing", "learning_disability", "dementia"}
    assert needed <= {c.code for c in codes.COMMUNICATION_NEED}


def test_relationships_and_help_cover_the_dataset() -> None:
    assert {"spouse", "daughter", "neighbour", "friend", "volunteer", "faith"} <= {
        c.code for c in codes.RELATIONSHIP}
    assert {"sitting", "meals", "shopping", "transport", "medicines", "pets",
            "companionship", "night"} <= {c.code for c in codes.HELP}


def test_service_types_cover_the_dataset() -> None:
    displays = " | ".join(c.display.lower() for c in codes.SERVICE_TYPE)
    for kind in ("gp practice", "district nursing", "specialist palliative", "hospice",
                 "out-of-hours", "111", "ambulance", "social care", "care agency",
                 "care home", "pharmacy", "chaplaincy", "voluntary", "bereavement"):
        assert kind in displays


def test_contact_types_cover_the_dataset() -> None:
    assert {"visit", "phone", "mdt", "letter"} <= {c.code for c in codes.CONTACT_TYPE}
