"""The shared display layer: how values read, the record's sections, JSON for scripts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eolcare.domain import display
from eolcare.domain.entities import (
    CIRCLE,
    DECISIONS,
    LOG,
    PERSON,
    PREFERENCES,
    SERVICES,
    CircleMember,
    ContactNote,
    Document,
    Involvement,
    Person,
    Service,
)
from eolcare.domain.record import PersonRecord, ServiceInvolved
from eolcare.domain.schema import FieldSpec, FieldType
from eolcare.domain.values import Coded, CodedList
from tests.domain.factories import full, minimal


def _spec(name: str) -> FieldSpec:
    return Person.FIELDS[name]


def test_values_read_as_a_coordinator_reads_them() -> None:
    place = next(iter(_spec("preferred_place_of_death").valueset or ()))
    assert display.show_value(_spec("preferred_place_of_death"), Coded(place.code)) \
        == place.display
    assert display.show_value(_spec("preferred_place_of_death"),
                              Coded(place.code, "in her own bed")) \
        == f"{place.display} (in her own bed)"
    assert display.show_value(_spec("nhs_number"), "9434765919") == "943 476 5919"
    assert display.show_value(_spec("date_of_birth"), date(1940, 2, 3)) == "03 Feb 1940"
    assert display.show_value(_spec("interpreter_needed"), True) == "Yes"
    assert display.show_value(_spec("interpreter_needed"), False) == "No"
    assert display.show_value(_spec("address"), None) == ""
    assert display.show_json_value(_spec("address"), None) == "(not recorded)"
    assert display.show_json_value(_spec("date_of_birth"), "1940-02-03") == "03 Feb 1940"
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert display.format_moment(moment) == moment.astimezone().strftime("%d %b %Y %H:%M")


def test_coded_lists_show_every_label_and_the_free_text() -> None:
    spec = _spec("communication_needs")
    assert spec.valueset is not None
    first, second = list(spec.valueset)[:2]
    shown = display.show_value(spec, CodedList((first.code, second.code), "left ear"))
    assert shown == f"{first.display}, {second.display}; left ear"


@pytest.mark.parametrize(("born", "today", "years"), [
    (date(1940, 2, 3), date(2026, 2, 2), 85),
    (date(1940, 2, 3), date(2026, 2, 3), 86),
    (date(1940, 2, 29), date(2026, 2, 28), 85),
    (None, date(2026, 1, 1), None),
])
def test_age_in_whole_years(born: date | None, today: date, years: int | None) -> None:
    assert display.age(born, today) == years


def test_display_name_adds_a_different_preferred_name() -> None:
    assert display.display_name(minimal(Person, full_name="Margaret Jones",
                                        preferred_name="Peggy")) == "Margaret Jones (Peggy)"
    assert display.display_name(minimal(Person, full_name="Zoë Smith",
                                        preferred_name="Zoë Smith")) == "Zoë Smith"


def _record() -> PersonRecord:
    person = full(Person)
    plain = full(Service, name="Day centre", phone_24_7=None)
    always = full(Service, name="Hospice at home")
    return PersonRecord(
        person=person,
        circle=[full(CircleMember, person_id=person.id, name="Dafydd")],
        services=[
            ServiceInvolved(full(Involvement, person_id=person.id, service_id=plain.id,
                                 professional=None), plain),
            ServiceInvolved(full(Involvement, person_id=person.id, service_id=always.id,
                                 professional="Nurse Ann"), always),
        ],
        contacts=[full(ContactNote, person_id=person.id, amends=None)],
        documents=[full(Document, person_id=person.id, name="Will")],
    )


def test_record_sections_follow_the_dataset_order_with_field_labels() -> None:
    sections = display.record_sections(_record())
    titles = [s.title for s in sections]
    assert titles == [*display.section_titles(Person), CIRCLE, SERVICES, LOG]
    assert titles == sorted(titles, key=lambda t: int(t.split(".")[0]))
    person_rows = [r for s in sections for r in s.rows]
    # every label is the field spec's own; the name is the title, not a row
    assert all(r.label == Person.FIELDS[r.name].label for r in person_rows)
    assert "full_name" not in {r.name for r in person_rows}
    assert {r.name for r in person_rows} == set(Person.FIELDS) - {"full_name"}
    significant = {r.name for r in person_rows if r.significant}
    assert significant == {n for n, s in Person.FIELDS.items() if s.significant}


def test_documents_sit_under_decisions_and_24_7_services_come_first() -> None:
    sections = {s.title: s for s in display.record_sections(_record())}
    assert [i.title for i in sections[DECISIONS].items] == ["Will"]
    services = [i.title for i in sections[SERVICES].items]
    assert services == ["Hospice at home - Nurse Ann", "Day centre"]
    assert [i.title for i in sections[CIRCLE].items] == ["Dafydd"]
    assert all(r.name != "person_id" for i in sections[CIRCLE].items for r in i.rows)


def test_empty_sections_are_left_out_unless_asked_for() -> None:
    bare = PersonRecord(person=minimal(Person, full_name="Ann Other"))
    assert display.record_sections(bare) == []
    every = display.record_sections(bare, include_empty=True)
    assert [s.title for s in every][:2] == [PERSON, "2. Where the person is in their illness"]
    preferences = next(s for s in every if s.title == PREFERENCES)
    assert all(r.text == "" for r in preferences.rows)
    assert len(preferences.rows) == sum(
        1 for s in Person.FIELDS.values() if s.section == PREFERENCES)


def test_entity_sections_group_by_section_in_order() -> None:
    person = full(Person)
    sections = display.entity_sections(person)
    assert [s.title for s in sections] == display.section_titles(Person)
    assert sum(len(s.rows) for s in sections) == len(
        [s for s in Person.FIELDS.values() if s.type is not FieldType.REF])


def test_json_carries_code_label_and_text() -> None:
    spec = _spec("preferred_place_of_death")
    place = next(iter(spec.valueset or ()))
    assert display.json_value(spec, Coded(place.code, "own bed")) == {
        "code": place.code, "label": place.display, "text": "own bed"}
    needs = _spec("communication_needs")
    first = next(iter(needs.valueset or ()))
    assert display.json_value(needs, CodedList((first.code,), "")) == {
        "codes": [first.code], "labels": [first.display], "text": ""}
    data = display.entity_json(full(Person, preferred_place_of_death=Coded(place.code)))
    assert data["preferred_place_of_death"]["label"] == place.display
    born = full(Person).date_of_birth
    assert born is not None
    assert data["date_of_birth"] == born.isoformat()
