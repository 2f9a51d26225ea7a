"""Checks a whole entity before it is saved, collecting every problem at once.

Field checks come from the field specs (type, value set, "other needs text",
required fields, ranges, NHS number and phone formats); rules that relate
fields to each other (no death before birth, no review before the decision)
are listed per kind below. A coordinator sees all problems in one message,
each naming the field by its label: the rules run even when a field is wrong,
except those that read it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from eolcare.domain import codes
from eolcare.domain.entities import ContactNote, Involvement, Person, RotaSlot
from eolcare.domain.errors import Problem, ValidationError
from eolcare.domain.schema import Entity, FieldSpec, FieldType
from eolcare.domain.values import Coded, CodedList

E = TypeVar("E", bound=Entity)

_PYTHON_TYPES: dict[FieldType, type | tuple[type, ...]] = {
    FieldType.TEXT: str,
    FieldType.REF: str,
    FieldType.DATE: date,
    FieldType.DATETIME: datetime,
    FieldType.BOOL: bool,
    FieldType.INT: int,
    FieldType.CODED: Coded,
    FieldType.CODES: CodedList,
}

#: Whole-number fields taken in steps (the AKPS scale goes 0, 10, ... 100).
STEPS: dict[str, int] = {"akps": 10}

_TYPE_NAMES = {
    FieldType.TEXT: "text", FieldType.REF: "a record id", FieldType.DATE: "a date",
    FieldType.DATETIME: "a date and time", FieldType.BOOL: "yes or no",
    FieldType.INT: "a whole number", FieldType.CODED: "a coded value",
    FieldType.CODES: "a list of coded values",
}


def normalise_value(spec: FieldSpec, value: Any) -> Any:
    """Tidy one value (trim text, format NHS and phone numbers, make times aware).

    Raises ValueError with a plain sentence when the value cannot be right.
    """
    if value is None:
        return None
    expected = _PYTHON_TYPES[spec.type]
    wrong_type = not isinstance(value, expected) or (
        spec.type is FieldType.INT and isinstance(value, bool)
    ) or (spec.type is FieldType.DATE and isinstance(value, datetime))
    if wrong_type:
        raise ValueError(f"must be {_TYPE_NAMES[spec.type]}")
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        return spec.normalise(value) if spec.normalise else value
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.astimezone(UTC)  # a time without a zone is local time
    if isinstance(value, Coded):
        if not isinstance(value.code, str) or not isinstance(value.text, str):
            raise ValueError(f"must be {_TYPE_NAMES[spec.type]}")
        coded_value = Coded(value.code.strip(), value.text.strip())
        return _check_coded(spec, coded_value, (coded_value.code,))
    if isinstance(value, CodedList):
        if not isinstance(value.text, str) or not all(isinstance(c, str) for c in value.codes):
            raise ValueError(f"must be {_TYPE_NAMES[spec.type]}")
        listed = CodedList(tuple(dict.fromkeys(c.strip() for c in value.codes)),
                           value.text.strip())
        return _check_coded(spec, listed, listed.codes)
    low, high = spec.minimum, spec.maximum
    if isinstance(value, int) and low is not None and high is not None \
            and not low <= value <= high:
        raise ValueError(f"must be between {spec.minimum} and {spec.maximum}")
    step = STEPS.get(spec.name)
    if isinstance(value, int) and step and value % step:
        raise ValueError(f"goes in steps of {step} ({low or 0}, {(low or 0) + step}, ... {high})")
    return value


def _check_coded(spec: FieldSpec, value: Any, codes_used: tuple[str, ...]) -> Any:
    assert spec.valueset is not None
    for code in codes_used:
        if code not in spec.valueset:
            raise ValueError(f"'{code}' is not one of the choices for this field")
    if spec.valueset.other in codes_used and not value.text:
        raise ValueError('"Other" needs a few words of text to say what it is')
    return value


def validated(entity: E, today: date | None = None) -> E:
    """Return a normalised copy of ``entity`` or raise ValidationError with every problem."""
    problems: list[Problem] = []
    changed: dict[str, Any] = {}
    for name, spec in entity.FIELDS.items():
        value = getattr(entity, name)
        try:
            clean = normalise_value(spec, value)
        except ValueError as exc:
            problems.append(Problem(spec.label, str(exc)))
            continue
        if spec.required and clean is None:
            problems.append(Problem(spec.label, "is required"))
        if clean is not value:
            changed[name] = clean
    invalid = {name for name, spec in entity.FIELDS.items()
               if any(p.field == spec.label for p in problems)}
    result = dataclasses.replace(entity, **changed)  # a copy: callers keep what they passed
    problems += _rule_problems(result, invalid, today or date.today())
    if problems:
        raise ValidationError(problems)
    return result


# -- rules relating fields to each other --------------------------------------------
#
# Each rule is a small check reading a few fields. A check that reads a field which
# failed its own check is skipped (its problem would only echo the first one); all
# the others run, so field and rule problems come in one message.

Check = Callable[[Any, date], Iterator[Problem]]


class _InvalidFieldRead(Exception):  # noqa: N818 (control flow, never raised out)
    """A check read a field whose value is not valid."""


class _Known:
    """The entity as the checks see it: reading an invalid field stops the check."""

    def __init__(self, entity: Entity, invalid: set[str]) -> None:
        self._entity, self._invalid = entity, invalid

    def __getattr__(self, name: str) -> Any:
        if name in self._invalid:
            raise _InvalidFieldRead(name)
        return getattr(self._entity, name)


def _rule_problems(entity: Entity, invalid: set[str], today: date) -> list[Problem]:
    view = _Known(entity, invalid) if invalid else entity  # the usual case: all fields valid
    found: list[Problem] = []
    for check in _RULES.get(type(entity), ()):
        try:
            found += check(view, today)
        except _InvalidFieldRead:
            continue
    return found


def _label(entity: Entity, name: str) -> str:
    return entity.FIELDS[name].label


def _not_before(later: str, earlier: str) -> Check:
    def check(entity: Any, today: date) -> Iterator[Problem]:
        first, second = getattr(entity, earlier), getattr(entity, later)
        if first is not None and second is not None and second < first:
            yield Problem(_label(entity, later),
                          f"cannot be before the {_label(entity, earlier).lower()}")
    return check


def _not_future(name: str) -> Check:
    def check(entity: Any, today: date) -> Iterator[Problem]:
        value = getattr(entity, name)
        if value is not None and value > today:
            yield Problem(_label(entity, name), "cannot be in the future")
    return check


def _died(p: Person) -> bool:
    return p.status is not None and p.status.code == "died"


def _date_of_death_needs_died(p: Person, today: date) -> Iterator[Problem]:
    if p.date_of_death is not None and not _died(p):
        yield Problem(_label(p, "status"), 'must be "Died" when a date of death is recorded')


def _died_needs_a_date_of_death(p: Person, today: date) -> Iterator[Problem]:
    if _died(p) and p.date_of_death is None:
        yield Problem(_label(p, "date_of_death"), "is required when the person has died")


def _place_of_death_once_died(p: Person, today: date) -> Iterator[Problem]:
    if p.place_of_death is not None and not _died(p):
        yield Problem(_label(p, "place_of_death"),
                      "can only be recorded once the person has died")


def _place_of_death_is_a_place(p: Person, today: date) -> Iterator[Problem]:
    if p.place_of_death is not None and p.place_of_death.code not in codes.ACTUAL_PLACES:
        yield Problem(_label(p, "place_of_death"), "must be a place (home, hospice, ...)")


def _life_sustaining_needs_an_adrt(p: Person, today: date) -> Iterator[Problem]:
    if p.adrt_life_sustaining and not p.adrt:
        yield Problem(_label(p, "adrt_life_sustaining"), "needs an ADRT to be recorded")


def _rota_ends_after_it_starts(r: RotaSlot, today: date) -> Iterator[Problem]:
    if r.starts_at and r.ends_at and r.ends_at <= r.starts_at:
        yield Problem(_label(r, "ends_at"), "must be after the start")


def _rota_repeats_after_it_starts(r: RotaSlot, today: date) -> Iterator[Problem]:
    if r.starts_at and r.repeat_until and r.repeat_until < r.starts_at.date():
        yield Problem(_label(r, "repeat_until"), "cannot be before the first slot")


def _contact_not_in_the_future(c: ContactNote, today: date) -> Iterator[Problem]:
    if c.occurred_at is not None and c.occurred_at.date() > today:
        yield Problem(_label(c, "occurred_at"), "a contact-log entry cannot be in the future")


_RULES: dict[type[Entity], tuple[Check, ...]] = {
    Person: (
        _not_future("date_of_birth"),
        _not_future("date_of_death"),
        *(_not_before(later, "date_of_birth")
          for later in ("date_of_death", "register_date", "discharged_on")),
        _not_before("cpr_review_date", "cpr_date"),
        _not_before("preferences_review_date", "preferences_date"),
        _date_of_death_needs_died,
        _died_needs_a_date_of_death,
        _place_of_death_once_died,
        _place_of_death_is_a_place,
        _life_sustaining_needs_an_adrt,
    ),
    Involvement: (_not_before("until", "since"),),
    RotaSlot: (_rota_ends_after_it_starts, _rota_repeats_after_it_starts),
    ContactNote: (_contact_not_in_the_future,),
}
