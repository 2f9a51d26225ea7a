"""Validation of whole entities: normalising, field checks, cross-field rules, messages."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from eolcare.domain import codes
from eolcare.domain.entities import (
    ENTITY_TYPES,
    CircleMember,
    ContactNote,
    Involvement,
    Person,
    RotaSlot,
    Service,
    Volunteer,
)
from eolcare.domain.errors import EolcareError, Problem, ValidationError
from eolcare.domain.schema import Entity, FieldSpec, FieldType
from eolcare.domain.validation import normalise_value, validated
from eolcare.domain.values import Coded, CodedList, normalise_phone

from .factories import TODAY, full, minimal

ALL = pytest.mark.parametrize("cls", ENTITY_TYPES, ids=lambda c: c.KIND)


def problems_of(entity: Entity, today: date = TODAY) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        validated(entity, today)
    assert caught.value.problems, "a ValidationError must say what is wrong"
    return caught.value.problems


def only_problem(entity: Entity, today: date = TODAY) -> Problem:
    found = problems_of(entity, today)
    assert len(found) == 1, found
    return found[0]


def label(cls: type[Entity], name: str) -> str:
    return cls.FIELDS[name].label


def every_field() -> Iterator[tuple[type[Entity], str]]:
    for cls in ENTITY_TYPES:
        for name in cls.FIELDS:
            yield cls, name


def _id(param: Any) -> str:
    return str(getattr(param, "KIND", param))


# -- a valid example normalises ---------------------------------------------------------


def _untidy(spec: FieldSpec, value: Any) -> Any:
    """The same value as a person might type it: padded, other spellings, duplicates."""
    if spec.type is FieldType.TEXT and spec.normalise is normalise_phone:
        return "+44 " + value[1:].replace(" ", "")  # 020 7946 0123 -> +44 2079460123
    if spec.type is FieldType.TEXT and spec.name == "nhs_number":
        return f" {value[:3]}-{value[3:6]}-{value[6:]} "
    if spec.type is FieldType.TEXT and spec.name.endswith("ods_code"):
        return value.lower()
    if spec.type in (FieldType.TEXT, FieldType.REF):
        return f"  {value}\n"
    if spec.type is FieldType.CODED:
        return Coded(f" {value.code} ", f" {value.text}  ")
    if spec.type is FieldType.CODES:
        return CodedList((*value.codes, value.codes[0]), f"\t{value.text} ")
    return value


@ALL
def test_a_valid_example_normalises(cls: type[Entity]) -> None:
    tidy = full(cls)
    untidy = dataclasses.replace(tidy, **{
        name: _untidy(spec, getattr(tidy, name)) for name, spec in cls.FIELDS.items()})
    assert untidy != tidy
    result = validated(untidy, TODAY)
    assert result == tidy
    assert result is not untidy
    assert result.id == untidy.id
    assert untidy.values() != tidy.values()  # the input is left as it was


def test_person_normalising_in_detail() -> None:
    person = validated(Person(
        full_name="  Ada Lovelace ", preferred_name="   ", nhs_number="401-023-2137",
        phone="(0113) 496 0000", mobile="+44 20 7946 0999", gp_practice_code=" b82005",
        sex=Coded("248152002 ", "  "),
        communication_needs=CodedList((" sight", "hearing", "sight"), ""),
    ), TODAY)
    assert person.full_name == "Ada Lovelace"
    assert person.preferred_name is None  # blank text is no text
    assert person.nhs_number == "4010232137"
    assert person.phone == "0113 496 0000"
    assert person.mobile == "020 7946 0999"
    assert person.gp_practice_code == "B82005"
    assert person.sex == Coded("248152002", "")
    assert person.communication_needs == CodedList(("sight", "hearing"), "")


def test_values_outside_text_are_kept() -> None:
    person = validated(Person(full_name="A", akps=0, interpreter_needed=False,
                              date_of_birth=date(1950, 1, 1)), TODAY)
    assert person.akps == 0
    assert person.interpreter_needed is False
    assert person.date_of_birth == date(1950, 1, 1)


@pytest.fixture
def london_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("london_time")
@pytest.mark.parametrize(
    ("naive", "utc"),
    [(datetime(2024, 7, 1, 12, 0), datetime(2024, 7, 1, 11, 0, tzinfo=UTC)),  # BST
     (datetime(2024, 1, 15, 12, 0), datetime(2024, 1, 15, 12, 0, tzinfo=UTC))],  # GMT
)
def test_naive_datetimes_are_local_time_made_aware(naive: datetime, utc: datetime) -> None:
    note = validated(minimal(ContactNote, occurred_at=naive), TODAY)
    assert note.occurred_at is not None
    assert note.occurred_at.tzinfo is not None
    assert note.occurred_at.utcoffset() == timedelta(0)
    assert note.occurred_at == utc


def test_aware_datetimes_keep_their_instant() -> None:
    moment = datetime(2024, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    note = validated(minimal(ContactNote, occurred_at=moment), TODAY)
    assert note.occurred_at == moment
    assert note.occurred_at.utcoffset() == timedelta(hours=2)


def test_rota_with_naive_times_compares_after_normalising() -> None:
    slot = validated(minimal(RotaSlot, starts_at=datetime(2024, 5, 1, 10, 0),
                             ends_at=datetime(2024, 5, 1, 12, 0)), TODAY)
    assert slot.starts_at.tzinfo is not None  # type: ignore[union-attr]
    assert slot.ends_at - slot.starts_at == timedelta(hours=2)  # type: ignore[operator]


# -- required fields ------------------------------------------------------------------

REQUIRED = [(cls, name) for cls, name in every_field() if cls.FIELDS[name].required]


@pytest.mark.parametrize(("cls", "name"), REQUIRED, ids=_id)
def test_required_field_missing(cls: type[Entity], name: str) -> None:
    problem = only_problem(minimal(cls, **{name: None}))
    assert problem == Problem(label(cls, name), "is required")


@pytest.mark.parametrize(
    ("cls", "name"),
    [(c, n) for c, n in REQUIRED if c.FIELDS[n].type in (FieldType.TEXT, FieldType.REF)],
    ids=_id,
)
def test_required_text_that_is_blank_is_missing(cls: type[Entity], name: str) -> None:
    problem = only_problem(minimal(cls, **{name: " \t\n "}))
    assert problem == Problem(label(cls, name), "is required")


@ALL
def test_every_missing_required_field_is_reported_at_once(cls: type[Entity]) -> None:
    required = [s.label for s in cls.FIELDS.values() if s.required]
    found = problems_of(cls())
    assert [p.field for p in found] == required
    assert all(p.message == "is required" for p in found)


def test_a_person_needs_only_a_name() -> None:
    assert validated(Person(full_name="Ada"), TODAY).full_name == "Ada"


# -- wrong types ----------------------------------------------------------------------

WRONG: dict[FieldType, list[Any]] = {
    FieldType.TEXT: [123, 4.5, b"bytes", ["a"], date(2024, 1, 1)],
    FieldType.REF: [123, Coded("x")],
    FieldType.DATE: ["2024-01-01", datetime(2024, 1, 1, tzinfo=UTC), 20240101],
    FieldType.DATETIME: ["2024-01-01T10:00", date(2024, 1, 1), 1_700_000_000],
    FieldType.BOOL: ["yes", 1, 0, "false"],
    FieldType.INT: ["50", 50.0, True, False, None.__class__],
    FieldType.CODED: ["450475007", CodedList(("450475007",)), Coded(450475007),  # type: ignore[arg-type]
                      Coded("x", None)],  # type: ignore[arg-type]
    FieldType.CODES: [Coded("meals"), ("meals",), "meals", CodedList((1,))],  # type: ignore[arg-type]
}
EXPECTED_WORDS = {
    FieldType.TEXT: "must be text", FieldType.REF: "must be a record id",
    FieldType.DATE: "must be a date", FieldType.DATETIME: "must be a date and time",
    FieldType.BOOL: "must be yes or no", FieldType.INT: "must be a whole number",
    FieldType.CODED: "must be a coded value", FieldType.CODES: "must be a list of coded values",
}


@pytest.mark.parametrize(("cls", "name"), list(every_field()), ids=_id)
def test_wrong_types_give_a_problem_naming_the_field(cls: type[Entity], name: str) -> None:
    spec = cls.FIELDS[name]
    for wrong in WRONG[spec.type]:
        problem = only_problem(full(cls, **{name: wrong}))
        assert problem.field == spec.label
        assert problem.message == EXPECTED_WORDS[spec.type], wrong
        assert str(problem) == f"{spec.label}: {EXPECTED_WORDS[spec.type]}"


def test_normalise_value_on_its_own() -> None:
    spec = Person.FIELDS["akps"]
    assert normalise_value(spec, None) is None
    assert normalise_value(spec, 100) == 100
    with pytest.raises(ValueError, match="whole number"):
        normalise_value(spec, True)


# -- all problems at once -------------------------------------------------------------


def test_all_field_problems_are_reported_at_once() -> None:
    person = Person(
        full_name=None, nhs_number="943 476 5918", phone="12345", akps=101,
        sex=Coded("nonbinary-ish"), date_of_birth="17/05/1940",  # type: ignore[arg-type]
        preferred_place_of_death=Coded(codes.OTHER),
    )
    found = problems_of(person)
    assert {p.field for p in found} == {
        "Full name", "NHS number", "Phone", "Australia-modified Karnofsky (AKPS)", "Sex",
        "Date of birth", "Preferred place of death"}
    assert len(found) == 7
    # in the order of the form
    order = list(Person.FIELDS)
    positions = [order.index(next(n for n, s in Person.FIELDS.items() if s.label == p.field))
                 for p in found]
    assert positions == sorted(positions)


def test_all_rule_problems_are_reported_at_once() -> None:
    person = Person(
        full_name="A", date_of_birth=date(1950, 1, 1), date_of_death=date(1949, 1, 1),
        status=Coded("active"), cpr_date=date(2024, 5, 1), cpr_review_date=date(2024, 4, 1),
        adrt_life_sustaining=True,
    )
    fields = {p.field for p in problems_of(person)}
    assert fields == {label(Person, "date_of_death"), label(Person, "status"),
                      label(Person, "cpr_review_date"), label(Person, "adrt_life_sustaining")}


def test_field_and_rule_problems_are_reported_together() -> None:
    """One message for everything: a coordinator fixes a form once, not twice."""
    person = Person(
        full_name="A", nhs_number="943 476 5918", date_of_birth=date(1950, 1, 1),
        date_of_death=date(1949, 1, 1), status=Coded("died"),
        cpr_date=date(2024, 5, 1), cpr_review_date=date(2024, 4, 1),
    )
    found = problems_of(person)
    assert {p.field for p in found} == {label(Person, "nhs_number"),
                                        label(Person, "date_of_death"),
                                        label(Person, "cpr_review_date")}
    assert len(found) == 3


def test_a_rule_adds_nothing_about_a_field_that_is_already_wrong() -> None:
    # the status code is not in the value set: no second problem that it is not "Died"
    person = Person(full_name="A", status=Coded("deceased"), date_of_death=date(2024, 1, 1),
                    date_of_birth="yesterday")  # type: ignore[arg-type]
    found = problems_of(person)
    assert sorted(p.field for p in found) == sorted([label(Person, "status"),
                                                     label(Person, "date_of_birth")])
    assert "Died" not in " ".join(p.message for p in found)


def test_validation_error_message_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        validated(Service(name=" ", service_type=Coded("spaceship")), TODAY)
    error = caught.value
    assert isinstance(error, EolcareError)
    assert error.exit_code == 2
    assert str(error) == ("Nothing was saved: Name: is required; "
                          "Type: 'spaceship' is not one of the choices for this field")


# -- coded values: choices and "other" ------------------------------------------------

CODED_FIELDS = [(c, n) for c, n in every_field()
                if c.FIELDS[n].type in (FieldType.CODED, FieldType.CODES)]
WITH_OTHER = [(c, n) for c, n in CODED_FIELDS if c.FIELDS[n].valueset.other]  # type: ignore[union-attr]


def _coded(spec: FieldSpec, code: str, words: str = "") -> Coded | CodedList:
    return Coded(code, words) if spec.type is FieldType.CODED else CodedList((code,), words)


@pytest.mark.parametrize(("cls", "name"), CODED_FIELDS, ids=_id)
def test_codes_outside_the_value_set_are_refused(cls: type[Entity], name: str) -> None:
    spec = cls.FIELDS[name]
    for stranger in ("999999999", "Home", "", codes.FAMILY_TOLD_OF_CPR):
        problem = only_problem(full(cls, **{name: _coded(spec, stranger, "x")}))
        assert problem.field == spec.label
        assert "not one of the choices" in problem.message


@pytest.mark.parametrize(("cls", "name"), CODED_FIELDS, ids=_id)
def test_every_code_of_the_value_set_is_accepted(cls: type[Entity], name: str) -> None:
    spec = cls.FIELDS[name]
    assert spec.valueset is not None
    for member in spec.valueset:
        if cls is Person and name == "place_of_death" and member.code not in codes.ACTUAL_PLACES:
            continue  # refused by a rule, tested below
        if cls is Person and name == "status" and member.code != "died":
            continue  # full(Person) has a date of death
        entity = validated(full(cls, **{name: _coded(spec, member.code, "words")}), TODAY)
        assert getattr(entity, name) == _coded(spec, member.code, "words")


def test_the_value_sets_with_other() -> None:
    names = {c.FIELDS[n].valueset.name for c, n in WITH_OTHER}  # type: ignore[union-attr]
    assert names == {"communication_need", "place", "welfare_proxy", "relationship", "help",
                     "service_type", "contact_type", "task_type"}


@pytest.mark.parametrize(("cls", "name"), WITH_OTHER, ids=_id)
def test_other_needs_text(cls: type[Entity], name: str) -> None:
    spec = cls.FIELDS[name]
    for blank in ("", "   "):
        problem = only_problem(full(cls, **{name: _coded(spec, codes.OTHER, blank)}))
        assert problem == Problem(spec.label, '"Other" needs a few words of text to say what it is')
    ok = validated(full(cls, **{name: _coded(spec, codes.OTHER, " a barge ")}), TODAY)
    assert getattr(ok, name) == _coded(spec, codes.OTHER, "a barge")


def test_other_among_several_codes_needs_text_too() -> None:
    problem = only_problem(full(Volunteer, helps_with=CodedList(("meals", codes.OTHER))))
    assert problem.field == "Can help with"
    assert "Other" in problem.message


def test_codes_other_than_other_need_no_text() -> None:
    person = validated(Person(full_name="A", preferred_place_of_death=Coded("108401000000102")),
                       TODAY)
    assert person.preferred_place_of_death == Coded("108401000000102", "")


# -- AKPS -----------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 10, 50, 100])
def test_akps_in_range(score: int) -> None:
    assert validated(Person(full_name="A", akps=score), TODAY).akps == score


@pytest.mark.parametrize("score", [-10, -1, 101, 110, 1000])
def test_akps_out_of_range(score: int) -> None:
    problem = only_problem(Person(full_name="A", akps=score))
    assert problem == Problem("Australia-modified Karnofsky (AKPS)", "must be between 0 and 100")


@pytest.mark.parametrize("score", [1, 5, 15, 55, 99])
def test_akps_goes_in_steps_of_ten(score: int) -> None:
    problem = only_problem(Person(full_name="A", akps=score))
    assert problem == Problem("Australia-modified Karnofsky (AKPS)",
                              "goes in steps of 10 (0, 10, ... 100)")


@pytest.mark.parametrize("flag", [True, False])
def test_akps_is_not_a_yes_or_no(flag: bool) -> None:
    problem = only_problem(Person(full_name="A", akps=flag))
    assert problem.message == "must be a whole number"


# -- cross-field rules: the person ----------------------------------------------------

BORN = date(1940, 5, 17)


def person(**values: Any) -> Person:
    return Person(full_name="Ada", date_of_birth=BORN, **values)


def died(on: date, **values: Any) -> Person:
    return person(status=Coded("died"), date_of_death=on, **values)


def test_death_before_birth() -> None:
    problem = only_problem(died(BORN - timedelta(days=1)))
    assert problem == Problem("Date of death", "cannot be before the date of birth")


def test_death_on_the_day_of_birth_is_possible() -> None:
    assert validated(died(BORN), TODAY).date_of_death == BORN


@pytest.mark.parametrize("name", ["register_date", "discharged_on"])
def test_other_dates_before_birth(name: str) -> None:
    problem = only_problem(person(**{name: BORN - timedelta(days=1)}))
    assert problem == Problem(label(Person, name), "cannot be before the date of birth")


def test_death_in_the_future() -> None:
    problem = only_problem(died(TODAY + timedelta(days=1)))
    assert problem == Problem("Date of death", "cannot be in the future")
    assert validated(died(TODAY), TODAY).date_of_death == TODAY


def test_birth_in_the_future() -> None:
    problem = only_problem(Person(full_name="Ada", date_of_birth=TODAY + timedelta(days=1)))
    assert problem == Problem("Date of birth", "cannot be in the future")
    assert validated(Person(full_name="Ada", date_of_birth=TODAY), TODAY)


def test_today_defaults_to_the_real_today() -> None:
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        validated(Person(full_name="Ada", date_of_birth=tomorrow))
    assert validated(Person(full_name="Ada", date_of_birth=date.today()))


@pytest.mark.parametrize(
    ("decision", "review"),
    [("cpr_date", "cpr_review_date"), ("preferences_date", "preferences_review_date")],
)
def test_review_before_the_decision(decision: str, review: str) -> None:
    problem = only_problem(person(**{decision: date(2024, 5, 2), review: date(2024, 5, 1)}))
    assert problem.field == label(Person, review)
    assert problem.message == f"cannot be before the {label(Person, decision).lower()}"
    same_day = person(**{decision: date(2024, 5, 2), review: date(2024, 5, 2)})
    assert validated(same_day, TODAY)
    assert validated(person(**{review: date(2020, 1, 1)}), TODAY)  # no decision date: no rule


def test_a_date_of_death_needs_status_died() -> None:
    for status in (None, Coded("active"), Coded("discharged")):
        problem = only_problem(person(status=status, date_of_death=date(2024, 1, 1)))
        assert problem == Problem("Status", 'must be "Died" when a date of death is recorded')


def test_status_died_needs_a_date_of_death() -> None:
    problem = only_problem(person(status=Coded("died")))
    assert problem == Problem("Date of death", "is required when the person has died")


def test_place_of_death_only_once_died() -> None:
    problem = only_problem(person(status=Coded("active"),
                                  place_of_death=Coded("110481000000108")))
    assert problem == Problem("Actual place of death",
                              "can only be recorded once the person has died")


@pytest.mark.parametrize("place", sorted(codes.ACTUAL_PLACES))
def test_place_of_death_can_be_any_actual_place(place: str) -> None:
    p = validated(died(date(2024, 2, 1), place_of_death=Coded(place, "words")), TODAY)
    assert p.place_of_death == Coded(place, "words")


@pytest.mark.parametrize(
    "place", sorted({c.code for c in codes.PLACE} - codes.ACTUAL_PLACES))
def test_place_of_death_must_be_an_actual_place(place: str) -> None:
    problem = only_problem(died(date(2024, 2, 1), place_of_death=Coded(place)))
    assert problem == Problem("Actual place of death", "must be a place (home, hospice, ...)")


def test_no_preference_is_fine_as_a_preferred_place() -> None:
    p = validated(person(preferred_place_of_death=Coded("1060941000000102")), TODAY)
    assert p.preferred_place_of_death == Coded("1060941000000102")


@pytest.mark.parametrize("adrt", [None, False])
def test_adrt_life_sustaining_needs_an_adrt(adrt: bool | None) -> None:
    problem = only_problem(person(adrt=adrt, adrt_life_sustaining=True))
    assert problem == Problem("ADRT refuses life-sustaining treatment",
                              "needs an ADRT to be recorded")
    assert validated(person(adrt=True, adrt_life_sustaining=True), TODAY)
    assert validated(person(adrt=adrt, adrt_life_sustaining=False), TODAY)


# -- cross-field rules: the other kinds -----------------------------------------------


def test_involvement_until_before_since() -> None:
    problem = only_problem(minimal(Involvement, since=date(2024, 3, 2), until=date(2024, 3, 1)))
    assert problem == Problem("Involved until", "cannot be before the involved since")
    assert validated(minimal(Involvement, since=date(2024, 3, 2), until=date(2024, 3, 2)), TODAY)
    assert validated(minimal(Involvement, until=date(2024, 3, 2)), TODAY)


START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("ends", [START, START - timedelta(minutes=1), START - timedelta(days=1)])
def test_rota_slot_must_end_after_it_starts(ends: datetime) -> None:
    problem = only_problem(minimal(RotaSlot, starts_at=START, ends_at=ends))
    assert problem == Problem("Ends", "must be after the start")


def test_rota_slot_times_in_different_zones() -> None:
    # 10:30 in Paris (+2) is 08:30 UTC: before a 10:00 UTC start
    paris = datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))
    assert only_problem(minimal(RotaSlot, starts_at=START, ends_at=paris)).field == "Ends"


def test_repeat_until_before_the_first_slot() -> None:
    problem = only_problem(minimal(RotaSlot, starts_at=START, ends_at=START + timedelta(hours=1),
                                   repeat=Coded("weekly"), repeat_until=date(2024, 4, 30)))
    assert problem == Problem("Repeats until", "cannot be before the first slot")
    ok = minimal(RotaSlot, starts_at=START, ends_at=START + timedelta(hours=1),
                 repeat=Coded("weekly"), repeat_until=date(2024, 5, 1))
    assert validated(ok, TODAY)


def test_rota_problems_together() -> None:
    slot = minimal(RotaSlot, starts_at=START, ends_at=START, repeat_until=date(2024, 1, 1))
    assert {p.field for p in problems_of(slot)} == {"Ends", "Repeats until"}


def test_contact_note_in_the_future() -> None:
    tomorrow = datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), UTC)
    problem = only_problem(minimal(ContactNote, occurred_at=tomorrow))
    assert problem == Problem("When", "a contact-log entry cannot be in the future")
    late_today = datetime.combine(TODAY, datetime.max.time(), UTC)
    assert validated(minimal(ContactNote, occurred_at=late_today), TODAY)


# -- no personal data in messages -----------------------------------------------------

SECRETS: dict[str, Any] = {
    "full_name": "Margaret Thistlethwaite",
    "nhs_number": "401 023 2138",
    "phone": "0113 496 000",
    "mobile": "07700 900123",
    "gp_practice_code": "Thistle-7",
    "postcode": 4242,
    "what_matters": 31337,
}


def test_messages_never_contain_the_entered_personal_data() -> None:
    with pytest.raises(ValidationError) as caught:
        validated(Person(**SECRETS), TODAY)
    found = caught.value.problems
    assert {p.field for p in found} == {label(Person, n) for n in SECRETS} - {"Full name"}
    text = str(caught.value) + " ".join(p.message for p in found)
    for value in SECRETS.values():
        assert str(value) not in text
    assert "Thistle" not in text
    assert "2138" not in text
    assert "900123" not in text


def test_rule_messages_never_contain_the_dates() -> None:
    with pytest.raises(ValidationError) as caught:
        validated(Person(full_name="Margaret Thistlethwaite", date_of_birth=date(1940, 5, 17),
                         status=Coded("died"), date_of_death=date(1939, 12, 25)), TODAY)
    text = str(caught.value)
    assert "Thistlethwaite" not in text
    for shown in ("1940", "1939", "12-25", "25/12"):
        assert shown not in text


def test_messages_of_contact_notes_never_contain_the_note() -> None:
    note = minimal(ContactNote, discussed=12345, with_whom="Dr Who",
                   occurred_at=datetime(2099, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError) as caught:
        validated(note, TODAY)
    assert "12345" not in str(caught.value)
    assert "Dr Who" not in str(caught.value)


def test_circle_member_email_problem_names_the_field_not_the_address() -> None:
    problem = only_problem(minimal(CircleMember, email="jo.bloggs@nowhere"))
    assert problem.field == "Email"
    assert "jo.bloggs" not in problem.message
