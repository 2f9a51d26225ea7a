"""Coded values typed as a coordinator says them: labels in full or in part, or codes."""

from __future__ import annotations

from datetime import date

import pytest

from eolcare.cli.values import allowed, code_for, parse, parse_json
from eolcare.domain import codes
from eolcare.domain.entities import CircleMember, Person, Task
from eolcare.domain.errors import ValidationError
from eolcare.domain.values import Coded, CodedList


@pytest.mark.parametrize(("valueset", "typed", "code"), [
    (codes.PLACE, "home", "110481000000108"),
    (codes.PLACE, "HOSPICE", "108401000000102"),
    (codes.PLACE, "usual", "819211000000102"),
    (codes.PLACE, "110481000000108", "110481000000108"),
    (codes.CPR_DECISION, "not for CPR", "450476008"),
    (codes.CPR_DECISION, "for CPR", "450475007"),  # the label in full wins over "Not for"
    (codes.CPR_DECISION, "DNACPR", "450476008"),
    (codes.GSF_STAGE, "D red", "845771000000107"),
    (codes.GSF_STAGE, "amber", "845751000000103"),
    (codes.RELATIONSHIP, "daughter", "daughter"),
    (codes.RELATIONSHIP, "spouse", "spouse"),
    (codes.SERVICE_TYPE, "district nursing", "district_nursing"),
])
def test_labels_and_codes(valueset: codes.ValueSet, typed: str, code: str) -> None:
    assert code_for(valueset, typed) == code


@pytest.mark.parametrize(("valueset", "typed"), [
    (codes.PLACE, "the moon"), (codes.PLACE, "ho"),  # home, hospice, hospital
    (codes.CPR_DECISION, "CPR"), (codes.PLACE, ""),
])
def test_unclear_labels_are_not_guessed(valueset: codes.ValueSet, typed: str) -> None:
    assert code_for(valueset, typed) is None


def test_an_unclear_label_lists_the_labels_not_codes() -> None:
    with pytest.raises(ValidationError) as raised:
        parse(Person.FIELDS["cpr_decision"], "maybe")
    message = str(raised.value)
    assert "For cardiopulmonary resuscitation, Not for cardiopulmonary resuscitation" in message
    assert "450" not in message


def test_text_beside_codes_and_lists() -> None:
    assert parse(Person.FIELDS["preferred_place_of_death"], "home: in her own bed") == \
        Coded("110481000000108", "in her own bed")
    assert parse(CircleMember.FIELDS["helps_with"], "shopping, night: weekends") == \
        CodedList(("shopping", "night"), "weekends")
    assert parse(Person.FIELDS["preferred_place_of_death"], "-") is None


def test_json_values() -> None:
    spec = Person.FIELDS["preferred_place_of_death"]
    assert parse_json(spec, {"code": "108401000000102", "label": "x", "text": "St Ann's"}) == \
        Coded("108401000000102", "St Ann's")
    assert parse_json(Person.FIELDS["communication_needs"], ["hearing", "Sight impairment"]) \
        == CodedList(("hearing", "sight"))
    assert parse_json(Person.FIELDS["akps"], 40) == 40
    with pytest.raises(ValidationError):
        parse_json(Person.FIELDS["akps"], True)
    assert parse_json(Task.FIELDS["due"], "today") == date.today()


def test_allowed_values_in_words() -> None:
    assert allowed(Person.FIELDS["akps"]) == "a whole number from 0 to 100 in steps of 10"
    assert allowed(Person.FIELDS["sex"]).startswith("Female, Male")
    assert allowed(Person.FIELDS["cpr_date"]) == "a date, e.g. 2025-03-31"
