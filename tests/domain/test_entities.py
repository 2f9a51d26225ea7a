"""Entities and their field specs: FIELDS derived right, JSON forms round-trip."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from eolcare.domain import codes, entities
from eolcare.domain.entities import (
    ENTITY_TYPES,
    KINDS,
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
from eolcare.domain.schema import (
    Entity,
    FieldSpec,
    FieldType,
    describe,
    from_json,
    new_id,
    text,
    to_json,
)
from eolcare.domain.validation import validated
from eolcare.domain.values import Coded, CodedList, normalise_nhs_number, normalise_phone

from .factories import TODAY, full, minimal

SECTIONS = [entities.PERSON, entities.ILLNESS, entities.MATTERS, entities.PREFERENCES,
            entities.DECISIONS, entities.MEDICINES, entities.CIRCLE, entities.SERVICES,
            entities.LOG]

_ANNOTATION_TYPES = {str: FieldType.TEXT, date: FieldType.DATE, datetime: FieldType.DATETIME,
                     bool: FieldType.BOOL, int: FieldType.INT, Coded: FieldType.CODED,
                     CodedList: FieldType.CODES}

ALL = pytest.mark.parametrize("cls", ENTITY_TYPES, ids=lambda c: c.KIND)


def test_the_nine_kinds() -> None:
    assert set(KINDS) == {"person", "document", "volunteer", "circle_member", "service",
                          "involvement", "contact", "task", "rota_slot"}
    assert all(KINDS[cls.KIND] is cls for cls in ENTITY_TYPES)


def test_sections_are_numbered_like_the_dataset() -> None:
    assert [s.split(".")[0] for s in SECTIONS] == [str(n) for n in range(1, 10)]


def test_every_dataset_section_has_fields() -> None:
    used = {spec.section for cls in ENTITY_TYPES for spec in cls.FIELDS.values()}
    assert used == set(SECTIONS)


@ALL
def test_fields_are_derived_from_the_declarations(cls: type[Entity]) -> None:
    declared = {f.name for f in dataclasses.fields(cls)} - {
        f.name for f in dataclasses.fields(Entity)}
    assert declared
    assert set(cls.FIELDS) == declared
    assert "id" not in cls.FIELDS
    hints = typing.get_type_hints(cls)
    for name, spec in cls.FIELDS.items():
        assert spec.name == name
        assert spec.label.strip() == spec.label != ""
        assert spec.section in SECTIONS
        if spec.type is FieldType.REF:
            assert spec.ref in KINDS
            base: Any = str
        else:
            assert spec.ref is None
            args = [a for a in typing.get_args(hints[name]) if a is not type(None)]
            assert isinstance(hints[name], types.UnionType)
            assert len(args) == 1
            base = args[0]
            assert spec.type is _ANNOTATION_TYPES[base], name
        assert (spec.valueset is not None) == (spec.type in (FieldType.CODED, FieldType.CODES))
        assert (spec.minimum is not None) == (spec.type is FieldType.INT)
        assert getattr(cls(), name) is None  # every field starts empty


@ALL
def test_labels_are_unique_within_a_kind(cls: type[Entity]) -> None:
    labels = [spec.label for spec in cls.FIELDS.values()]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize(
    ("cls", "name", "ftype"),
    [
        (Person, "full_name", FieldType.TEXT), (Person, "nhs_number", FieldType.TEXT),
        (Person, "date_of_birth", FieldType.DATE), (Person, "interpreter_needed", FieldType.BOOL),
        (Person, "akps", FieldType.INT), (Person, "sex", FieldType.CODED),
        (Person, "communication_needs", FieldType.CODES), (Person, "gsf_stage", FieldType.CODED),
        (Person, "place_of_death", FieldType.CODED), (Person, "cpr_decision", FieldType.CODED),
        (Document, "person_id", FieldType.REF), (Volunteer, "helps_with", FieldType.CODES),
        (CircleMember, "volunteer_id", FieldType.REF), (CircleMember, "main_carer", FieldType.BOOL),
        (Service, "service_type", FieldType.CODED), (Involvement, "service_id", FieldType.REF),
        (Involvement, "since", FieldType.DATE), (ContactNote, "occurred_at", FieldType.DATETIME),
        (ContactNote, "amends", FieldType.REF), (Task, "due", FieldType.DATE),
        (RotaSlot, "starts_at", FieldType.DATETIME), (RotaSlot, "helper_id", FieldType.REF),
    ],
)
def test_field_types(cls: type[Entity], name: str, ftype: FieldType) -> None:
    assert cls.FIELDS[name].type is ftype


def test_value_sets_of_coded_fields() -> None:
    f = Person.FIELDS
    assert f["gsf_stage"].valueset is codes.GSF_STAGE
    assert f["prognosis"].valueset is codes.PROGNOSIS
    assert f["cpr_decision"].valueset is codes.CPR_DECISION
    assert f["consent_to_share"].valueset is codes.CONSENT
    assert f["anticipatory_medicines"].valueset is codes.ANTICIPATORY_MEDICINES
    assert f["respect_focus"].valueset is codes.RESPECT_FOCUS
    # the actual place of death uses the same code list as the preferred place
    for name in ("place_of_death", "preferred_place_of_care", "preferred_place_of_care_2",
                 "preferred_place_of_death", "preferred_place_of_death_2"):
        assert f[name].valueset is codes.PLACE
    assert RotaSlot.FIELDS["activity"].valueset is codes.HELP
    assert ContactNote.FIELDS["contact_type"].valueset is codes.CONTACT_TYPE


def test_normalisers_are_attached() -> None:
    assert Person.FIELDS["nhs_number"].normalise is normalise_nhs_number
    for cls, name in ((Person, "phone"), (Person, "mobile"), (Service, "phone_24_7"),
                      (CircleMember, "phone"), (Volunteer, "phone"),
                      (Involvement, "direct_phone")):
        assert cls.FIELDS[name].normalise is normalise_phone


def test_akps_range() -> None:
    spec = Person.FIELDS["akps"]
    assert (spec.minimum, spec.maximum) == (0, 100)


@pytest.mark.parametrize(
    ("cls", "required"),
    [
        (Person, {"full_name"}), (Document, {"person_id", "name"}), (Volunteer, {"name"}),
        (CircleMember, {"person_id", "name"}), (Service, {"name", "service_type"}),
        (Involvement, {"person_id", "service_id"}),
        (ContactNote, {"person_id", "occurred_at", "contact_type", "discussed"}),
        (Task, {"title", "due"}), (RotaSlot, {"person_id", "activity", "starts_at", "ends_at"}),
    ],
)
def test_required_fields(cls: type[Entity], required: set[str]) -> None:
    assert {n for n, s in cls.FIELDS.items() if s.required} == required


def test_clinically_significant_fields() -> None:
    significant = {n for n, s in Person.FIELDS.items() if s.significant}
    assert {"cpr_decision", "preferred_place_of_death", "gsf_stage", "date_of_death",
            "adrt", "consent_to_share", "anticipatory_medicines"} <= significant
    assert "pronouns" not in significant
    assert CircleMember.FIELDS["main_carer"].significant


def test_owners_and_directories() -> None:
    for cls in ENTITY_TYPES:
        if cls.OWNER is not None:
            spec = cls.FIELDS[cls.OWNER]
            assert (spec.type, spec.ref) == (FieldType.REF, "person")
    assert Person.OWNER is None
    assert Service.OWNER is None
    assert Volunteer.OWNER is None
    assert [cls.KIND for cls in ENTITY_TYPES if cls.IMMUTABLE] == ["contact"]


def test_owner_id() -> None:
    person = Person(full_name="Ada")
    assert person.owner_id == person.id
    note = ContactNote(person_id=person.id)
    assert note.owner_id == person.id
    assert Task().owner_id is None  # a caseload-wide task
    assert Service(name="Hospice").owner_id is None
    assert Volunteer(name="Bea").owner_id is None


def test_ids_are_new_uuids() -> None:
    ids = {new_id() for _ in range(50)} | {Person().id, Person().id}
    assert len(ids) == 52
    assert all(len(i) == 36 and i[14] == "7" for i in ids)  # UUIDv7: tests/domain/test_ids.py


@ALL
def test_values_lists_every_field_but_not_the_id(cls: type[Entity]) -> None:
    entity = full(cls)
    values = entity.values()
    assert set(values) == set(cls.FIELDS)
    assert entity.id not in values.values()
    assert all(values[name] == getattr(entity, name) for name in values)


def test_unsupported_annotations_are_refused() -> None:
    with pytest.raises(TypeError, match="unsupported field type"):

        @describe
        @dataclasses.dataclass(kw_only=True)
        class Odd(Entity):
            KIND: typing.ClassVar[str] = "odd"
            tags: list[str] | None = text("Tags", entities.PERSON)  # noqa: RUF009

    with pytest.raises(TypeError, match="unsupported field type"):

        @describe
        @dataclasses.dataclass(kw_only=True)
        class Odder(Entity):
            KIND: typing.ClassVar[str] = "odder"
            either: str | int | None = text("Either", entities.PERSON)


# -- the factories and the JSON forms -------------------------------------------------


@ALL
def test_full_example_fills_every_field_and_is_valid(cls: type[Entity]) -> None:
    entity = full(cls)
    assert all(value is not None for value in entity.values().values())
    assert validated(entity, TODAY) == entity  # valid and already normalised


@ALL
def test_minimal_example_is_valid(cls: type[Entity]) -> None:
    entity = minimal(cls)
    filled = {n for n, v in entity.values().items() if v is not None}
    assert filled == {n for n, s in cls.FIELDS.items() if s.required}
    assert validated(entity, TODAY) == entity


def test_examples_cover_every_field_type() -> None:
    used = {spec.type for cls in ENTITY_TYPES for spec in cls.FIELDS.values()}
    assert used == set(FieldType)


@ALL
def test_every_field_round_trips_through_json(cls: type[Entity]) -> None:
    entity = full(cls)
    as_json = {name: to_json(spec, getattr(entity, name)) for name, spec in cls.FIELDS.items()}
    over_the_wire = json.loads(json.dumps(as_json))
    assert over_the_wire == as_json
    back = cls(id=entity.id, **{name: from_json(spec, over_the_wire[name])
                                for name, spec in cls.FIELDS.items()})
    assert back == entity
    for name in cls.FIELDS:  # same types too, not just equal values
        assert type(getattr(back, name)) is type(getattr(entity, name)), name


@ALL
def test_empty_fields_round_trip_as_null(cls: type[Entity]) -> None:
    for spec in cls.FIELDS.values():
        assert to_json(spec, None) is None
        assert from_json(spec, None) is None


def _spec(ftype: FieldType) -> FieldSpec:
    return FieldSpec(name="x", label="X", section=entities.PERSON, type=ftype,
                     valueset=codes.PLACE if ftype in (FieldType.CODED, FieldType.CODES) else None)


@pytest.mark.parametrize(
    ("ftype", "value", "expected"),
    [
        (FieldType.TEXT, "Ünïcødé نص", "Ünïcødé نص"),
        (FieldType.REF, "abc", "abc"),
        (FieldType.BOOL, False, False),
        (FieldType.INT, 0, 0),
        (FieldType.DATE, date(1999, 12, 31), "1999-12-31"),
        (FieldType.DATETIME, datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
         "2024-03-31T01:30:00+00:00"),
        (FieldType.DATETIME, datetime(2024, 7, 1, 9, 0, 0, 1234,
                                      tzinfo=timezone(timedelta(hours=1))),
         "2024-07-01T09:00:00.001234+01:00"),
        (FieldType.CODED, Coded("108401000000102"), {"code": "108401000000102", "text": ""}),
        (FieldType.CODED, Coded(codes.OTHER, "sister's"), {"code": "other", "text": "sister's"}),
        (FieldType.CODES, CodedList(()), {"codes": [], "text": ""}),
        (FieldType.CODES, CodedList(("a", "b"), "t"), {"codes": ["a", "b"], "text": "t"}),
    ],
)
def test_json_forms(ftype: FieldType, value: object, expected: object) -> None:
    spec = _spec(ftype)
    assert to_json(spec, value) == expected
    back = from_json(spec, expected)
    assert back == value
    assert type(back) is type(value)
    if isinstance(value, datetime):
        assert isinstance(back, datetime)
        assert back.utcoffset() == value.utcoffset()


def test_coded_json_without_text_reads_as_empty_text() -> None:
    assert from_json(_spec(FieldType.CODED), {"code": "x"}) == Coded("x", "")
    assert from_json(_spec(FieldType.CODES), {"codes": ["x"]}) == CodedList(("x",), "")
