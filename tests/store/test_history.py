"""Field history: who changed what, from what, to what, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eolcare.domain.entities import CircleMember, Person
from eolcare.domain.errors import NotFoundError
from eolcare.domain.values import Coded
from eolcare.store import caseload
from eolcare.store.database import Store
from eolcare.store.writes import DELETED, Writer
from tests.domain.factories import TODAY, full, minimal
from tests.store.conftest import MakeStore
from tests.store.helpers import add_all, log_of, new_id, ship

HOME = Coded("110481000000108", "")
HOSPICE = Coded("108401000000102", "St Mary's")
HOSPITAL = Coded("109401000000108", "")


def _as(store: Store, author: str, cls: type[Person] | type[CircleMember], entity_id: str,
        **changes: object) -> None:
    with store.writing(TODAY) as w:
        Writer(w.session, w.clock, author, TODAY).update(cls, entity_id, **changes)


def test_who_changed_the_preferred_place_of_death_from_what_and_when(
        store: Store, make_store: MakeStore) -> None:
    start = datetime.now(UTC) - timedelta(seconds=1)
    person = full(Person, id=new_id(), preferred_place_of_death=HOME)
    add_all(store, [person])
    _as(store, "Bea Second", Person, person.id, preferred_place_of_death=HOSPICE)
    _as(store, "Cal Third", Person, person.id, pronouns="she/her")  # another field
    other = make_store("laptop-2", "Dev Fourth")
    ship(log_of(store), other)
    with other.writing(TODAY) as w:
        w.update(Person, person.id, preferred_place_of_death=HOSPITAL)
    ship(log_of(other, after_seq=3), store)
    with store.reading() as s:
        changes = caseload.history(s, person.id, "preferred_place_of_death")
    assert [(c.author, c.old, c.new) for c in changes] == [
        ("Test Coordinator", None, {"code": HOME.code, "text": ""}),
        ("Bea Second", {"code": HOME.code, "text": ""}, {"code": HOSPICE.code,
                                                          "text": "St Mary's"}),
        ("Dev Fourth", {"code": HOSPICE.code, "text": "St Mary's"},
         {"code": HOSPITAL.code, "text": ""}),
    ]
    assert {c.label for c in changes} == {"Preferred place of death"}
    assert [c.device for c in changes] == [store.profile.device_id] * 2 + [
        other.profile.device_id]
    assert all(c.won for c in changes)
    ats = [c.at for c in changes]
    assert ats == sorted(ats)
    assert start <= ats[0]
    assert ats[-1] <= datetime.now(UTC)
    with store.reading() as s:
        everything = caseload.history(s, person.id)
    assert {"pronouns", "preferred_place_of_death", "full_name"} <= {c.field for c in everything}
    assert len(everything) > len(changes)


def test_history_covers_circle_members_and_deletes(store: Store) -> None:
    person = full(Person, id=new_id())
    member = minimal(CircleMember, id=new_id(), person_id=person.id, name="Dee Smith")
    elsewhere = full(Person, id=new_id(), full_name="Someone Else", nhs_number="4010232137")
    not_ours = minimal(CircleMember, id=new_id(), person_id=elsewhere.id, name="Not Ours")
    add_all(store, [person, member, elsewhere, not_ours])
    _as(store, "Bea Second", CircleMember, member.id, name="Dee Jones")
    with store.writing(TODAY) as w:
        Writer(w.session, w.clock, "Cal Third", TODAY).delete(CircleMember, member.id)
    with store.writing(TODAY) as w:
        w.restore(CircleMember, member.id)
    with store.reading() as s:
        names = caseload.history(s, person.id, "name")
        deletes = caseload.history(s, person.id, DELETED)
    assert [(c.kind, c.entity_id, c.author, c.old, c.new) for c in names] == [
        ("circle_member", member.id, "Test Coordinator", None, "Dee Smith"),
        ("circle_member", member.id, "Bea Second", "Dee Smith", "Dee Jones"),
    ]
    assert [(c.author, c.old, c.new, c.label) for c in deletes] == [
        ("Cal Third", False, True, "Deleted"), ("Test Coordinator", True, False, "Deleted")]


def test_history_of_a_deleted_person_is_still_there(store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    with store.writing(TODAY) as w:
        w.delete(Person, person.id)
    with store.reading() as s:
        [change] = caseload.history(s, person.id, DELETED)
        assert caseload.history(s, person.id, "full_name")[0].new == person.full_name
    assert (change.old, change.new, change.kind) == (False, True, "person")


def test_an_unknown_field_or_person_is_a_clear_not_found(store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    with store.reading() as s:
        with pytest.raises(NotFoundError, match="no field of that name"):
            caseload.history(s, person.id, "favourite_colour")
        with pytest.raises(NotFoundError, match="No person"):
            caseload.history(s, new_id(), "full_name")
