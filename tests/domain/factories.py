"""Valid examples of every kind of entity, built from the field specs.

``full(Person)`` fills *every* field of its spec with a value that passes
:func:`eolcare.domain.validation.validated` and is already in normalised form
(so ``validated(full(cls)) == full(cls)``); ``minimal(cls)`` fills only the
required ones. Store, sync and CLI tests can reuse them; keyword arguments
override single fields. Also here: an NHS number Modulus 11 implementation of
our own, written independently of ``eolcare.domain.values``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from eolcare.domain import codes
from eolcare.domain.entities import Person
from eolcare.domain.schema import Entity, FieldSpec, FieldType
from eolcare.domain.values import (
    Coded,
    CodedList,
    normalise_email,
    normalise_nhs_number,
    normalise_ods_code,
    normalise_phone,
)

E = TypeVar("E", bound=Entity)

#: The "today" the validation tests pass in; every date the factories make is before it.
TODAY = date(2025, 6, 30)

_FIRST_DAY = date(2024, 1, 1)
_FIRST_MOMENT = datetime(2023, 11, 6, 9, 30, tzinfo=UTC)
_NAMESPACE = uuid.UUID("5b0b3a62-8f0e-4c43-9d0f-2d1c1f1a0e11")

# -- NHS numbers ---------------------------------------------------------------------

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def nhs_check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit of nine digits, or None when it would be 10 (unusable)."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True)) % 11
    check = (11 - remainder) % 11  # 11 - 0 = 11 stands for 0
    return None if check == 10 else check


def nhs_numbers(count: int, seed: int = 1580) -> list[str]:
    """``count`` different valid NHS numbers (10 digits, no spaces), reproducibly."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        nine = f"{rng.randrange(10**9):09d}"
        check = nhs_check_digit(nine)
        if check is not None:
            found[nine + str(check)] = None
    return list(found)


def nines_with_check_ten(count: int, seed: int = 10) -> list[str]:
    """Nine-digit starts whose check digit would be 10: no tenth digit makes them valid."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        nine = f"{rng.randrange(10**9):09d}"
        if nhs_check_digit(nine) is None:
            found[nine] = None
    return list(found)


# -- values for one field ------------------------------------------------------------

_NHS_NUMBER = "9434765919"


def _text(spec: FieldSpec, index: int) -> str:
    if spec.normalise is normalise_nhs_number:
        return _NHS_NUMBER
    if spec.normalise is normalise_phone:
        return f"020 7946 0{index:03d}"  # Ofcom's drama range for London, valid in libphonenumber
    if spec.normalise is normalise_email:
        return f"{spec.name.replace('_', '.')}@example.org"
    if spec.normalise is normalise_ods_code:
        return f"A8{index:04d}"
    assert spec.normalise is None, f"no example text for {spec.normalise!r}: add one"
    return f"{spec.label} ({spec.name})"


def _first_code(spec: FieldSpec) -> str:
    assert spec.valueset is not None
    return next(c.code for c in spec.valueset if c.code != spec.valueset.other)


def example_value(spec: FieldSpec, index: int = 0, kind: str = "x") -> Any:
    """A valid, normalised value for ``spec``; ``index`` makes values differ between fields."""
    builders: dict[FieldType, Callable[[], Any]] = {
        FieldType.TEXT: lambda: _text(spec, index),
        FieldType.REF: lambda: str(uuid.uuid5(_NAMESPACE, f"{kind}.{spec.name}")),
        FieldType.DATE: lambda: _FIRST_DAY + timedelta(days=index),
        FieldType.DATETIME: lambda: _FIRST_MOMENT + timedelta(hours=index, minutes=15),
        FieldType.BOOL: lambda: True,
        FieldType.INT: lambda: ((spec.minimum or 0) + (spec.maximum or 100)) // 2,
        FieldType.CODED: lambda: Coded(_first_code(spec), f"words beside {spec.name}"),
        FieldType.CODES: lambda: _codes(spec),
    }
    return builders[spec.type]()


def _codes(spec: FieldSpec) -> CodedList:
    assert spec.valueset is not None
    chosen = [c.code for c in spec.valueset if c.code != spec.valueset.other][:2]
    if spec.valueset.other:
        chosen.append(spec.valueset.other)
    return CodedList(tuple(chosen), f"words beside {spec.name}")


#: Values that the cross-field rules need (e.g. a date of death needs status "died").
_OVERRIDES: dict[type[Entity], dict[str, Any]] = {
    Person: {
        "date_of_birth": date(1940, 5, 17),
        "status": Coded("died", "at home, peacefully"),
        "place_of_death": Coded("110481000000108", "in her own bed"),
        "preferred_place_of_death": Coded("110481000000108", "at home with the cat"),
        "preferred_place_of_death_2": Coded("108401000000102", "St Mary's Hospice"),
        "preferred_place_of_care_2": Coded(codes.OTHER, "daughter's house"),
        "cpr_decision": Coded(codes.NOT_FOR_CPR, "DNACPR signed by GP"),
        "prognosis": Coded("511401000000102", "days"),
        "gsf_stage": Coded("845771000000107", "red"),
    },
}


def _entity(cls: type[E], which: Callable[[FieldSpec], bool], overrides: dict[str, Any]) -> E:
    values: dict[str, Any] = {}
    for index, (name, spec) in enumerate(cls.FIELDS.items()):
        if which(spec):
            values[name] = example_value(spec, index, cls.KIND)
    values.update({k: v for k, v in _OVERRIDES.get(cls, {}).items() if k in values})
    values.update(overrides)
    entity_id = values.pop("id", str(uuid.uuid5(_NAMESPACE, cls.KIND)))
    return cls(id=entity_id, **values)


def full(cls: type[E], **overrides: Any) -> E:
    """An entity with every field filled, valid and already normalised."""
    return _entity(cls, lambda spec: True, overrides)


def minimal(cls: type[E], **overrides: Any) -> E:
    """An entity with only its required fields filled (valid)."""
    return _entity(cls, lambda spec: spec.required, overrides)


def fields_of_type(cls: type[Entity], ftype: FieldType) -> Iterator[FieldSpec]:
    return (spec for spec in cls.FIELDS.values() if spec.type is ftype)
