"""One person per NHS number, checked by the writer (so the window and the CLI both get it),
and records named by the end or the start of their id, or by name."""

from __future__ import annotations

import pytest

from eolcare.domain.entities import CircleMember, Person, Service
from eolcare.domain.errors import AmbiguousReferenceError, NotFoundError
from eolcare.domain.schema import uuid7
from eolcare.domain.values import Coded
from eolcare.store import caseload, identity
from eolcare.store.database import Store
from tests.domain.factories import TODAY

NHS = "9434765919"


def _add(store: Store, entity: object, *, allow: bool = False) -> None:
    with store.writing(TODAY) as w:
        w.allow_duplicate_nhs = allow
        w.add(entity)  # type: ignore[type-var]


def test_a_second_person_with_the_same_number_is_refused(store: Store) -> None:
    first = Person(full_name="Siân Evans", nhs_number=NHS)
    _add(store, first)
    with pytest.raises(identity.DuplicateNhsNumberError) as raised:
        _add(store, Person(full_name="Sian Evans", nhs_number="943 476 5919"))
    assert raised.value.existing_id == first.id
    assert "943" not in str(raised.value)  # no NHS number in a message that may be logged
    with store.reading() as s:
        assert identity.people_with_nhs_number(s, NHS) == [first.id]
        assert len(caseload.list_people(s)) == 1


def test_the_override_lets_a_duplicate_through(store: Store) -> None:
    _add(store, Person(full_name="Siân Evans", nhs_number=NHS))
    _add(store, Person(full_name="Siân Evans", nhs_number=NHS), allow=True)
    with store.reading() as s:
        assert len(identity.people_with_nhs_number(s, NHS)) == 2


def test_changing_to_a_number_another_person_has_is_refused(store: Store) -> None:
    _add(store, Person(full_name="Siân Evans", nhs_number=NHS))
    other = Person(full_name="Ann Jones")
    _add(store, other)
    with pytest.raises(identity.DuplicateNhsNumberError), store.writing(TODAY) as w:
        w.update(Person, other.id, nhs_number=NHS)
    with store.writing(TODAY) as w:  # other fields of a person with a duplicate still change
        assert w.update(Person, other.id, pronouns="she/her").pronouns == "she/her"
    with store.reading() as s:
        assert caseload.load_record(s, other.id).person.nhs_number is None


def test_a_deleted_persons_number_is_free(store: Store) -> None:
    first = Person(full_name="Siân Evans", nhs_number=NHS)
    _add(store, first)
    with store.writing(TODAY) as w:
        w.delete(Person, first.id)
    _add(store, Person(full_name="Siân Evans", nhs_number=NHS))


def test_records_named_by_id_start_or_name(store: Store) -> None:
    person = Person(full_name="Siân Evans")
    _add(store, person)
    made = 1_796_083_200_000  # two ids made a millisecond apart: the same first 8 characters
    dafydd = CircleMember(id=uuid7(made, 0x1234_5678_9ABC), person_id=person.id,
                          name="Dafydd Evans", relationship=Coded("son"))
    _add(store, dafydd)
    _add(store, CircleMember(id=uuid7(made + 1, 0xFEDC_BA98_7654), person_id=person.id,
                             name="Dafydd Jones"))
    nurses = Service(name="Riverside District Nurses", service_type=Coded("district_nursing"))
    _add(store, nurses)
    with store.reading() as s:
        assert identity.resolve_id(s, "circle_member", dafydd.id[-6:]) == dafydd.id
        assert identity.resolve_id(s, "circle_member", dafydd.id[-8:].upper()) == dafydd.id
        assert identity.resolve_id(s, "circle_member", dafydd.id) == dafydd.id
        assert identity.resolve_named(s, "circle_member", "dafydd ev",
                                      person_id=person.id) == dafydd.id
        assert identity.resolve_named(s, "service", "Riverside") == nurses.id
        with pytest.raises(AmbiguousReferenceError):
            identity.resolve_named(s, "circle_member", "Dafydd", person_id=person.id)
        with pytest.raises(NotFoundError):
            identity.resolve_id(s, "circle_member", "abc")  # too short to be an id
        with pytest.raises(NotFoundError):
            identity.resolve_id(s, "circle_member", dafydd.id[-8:], deleted=True)
        with pytest.raises(AmbiguousReferenceError):  # ids made the same minute start alike
            identity.resolve_id(s, "circle_member", dafydd.id[:8])


def test_older_random_ids_are_still_named_by_their_start(store: Store) -> None:
    person = Person(full_name="Siân Evans", id="3fa4c2d1-9b0e-4c1a-8d2f-5e6a7b8c9d0e")
    _add(store, person)
    _add(store, Person(full_name="Ann Jones", id="3fa4c2d1-1111-4222-8333-444455556666"))
    with store.reading() as s:
        assert identity.resolve_id(s, "person", "3fa4c2d1-9b") == person.id
        assert identity.resolve_id(s, "person", "7b8c9d0e") == person.id  # the end first
        with pytest.raises(AmbiguousReferenceError) as raised:
            identity.resolve_id(s, "person", "3fa4c2d1")
        assert "give more of the id" in str(raised.value)


def test_the_end_of_an_id_names_a_record_before_the_start_of_another(store: Store) -> None:
    """A short id as shown (an id's end) names its record even when another id starts
    with the same characters."""
    shown = Person(full_name="Siân Evans", id=uuid7(1_796_083_200_000, 0x7B8C_9D0E))
    _add(store, shown)
    _add(store, Person(full_name="Ann Jones", id="7b8c9d0e-1111-4222-8333-444455556666"))
    with store.reading() as s:
        assert shown.id.endswith("7b8c9d0e")
        assert identity.resolve_id(s, "person", "7b8c9d0e") == shown.id
        assert caseload.resolve_person(s, "7b8c9d0e") == shown.id
