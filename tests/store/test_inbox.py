"""The sync queues in the store: the outbox read in order, pages received with their cursor."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eolcare.domain.entities import KINDS, Person
from eolcare.domain.errors import ClockError, ValidationError
from eolcare.domain.hlc import MAX_DRIFT_MS, Stamp
from eolcare.domain.operations import OpAction, Operation
from eolcare.domain.values import Coded
from eolcare.store import caseload, inbox
from eolcare.store.database import Store
from eolcare.store.tables import ENTITY_TABLES
from eolcare.store.writes import apply_operation, load
from tests.domain.factories import TODAY, full
from tests.store.conftest import MakeStore
from tests.store.helpers import (
    add_all,
    entity_row,
    field_changes,
    linked_record,
    log_of,
    new_id,
    operations,
    ship,
    table_counts,
)

HOSPICE = Coded("108401000000102", "St Mary's Hospice")


def _edit(store: Store, person_id: str, **changes: object) -> Operation:
    with store.writing(TODAY) as w:
        w.update(Person, person_id, **changes)
        [op] = w.operations
    return op


# -- the outbox ---------------------------------------------------------------------


def test_pending_gives_local_operations_in_order_exactly_as_made(store: Store) -> None:
    record = linked_record()
    made = add_all(store, record)
    made.append(_edit(store, record[0].id, pronouns="she/her"))
    with store.reading() as s:
        out = inbox.pending(s)
        assert inbox.pending_count(s) == len(out) == len(made)
        assert [o.operation for o in out] == made  # base included: the edit has one
        assert made[-1].base == {"pronouns": ""}
        assert [o.seq for o in out] == sorted(o.seq for o in out)
        assert [o.operation for o in inbox.pending(s, limit=3)] == made[:3]


def test_acknowledge_takes_only_what_the_server_accepted(store: Store) -> None:
    made = add_all(store, linked_record())
    with store.reading() as s:
        seqs = [o.seq for o in inbox.pending(s)]
    with store.writing() as w:
        assert inbox.acknowledge(w.session, [*seqs[:4], 999999]) == 4
        assert inbox.acknowledge(w.session, seqs[:2]) == 0  # again: nothing left to take
    with store.reading() as s:
        assert [o.operation for o in inbox.pending(s)] == made[4:]
        assert inbox.pending_count(s) == len(made) - 4
        assert len(operations(s)) == len(made)  # the log keeps every operation


def test_operation_from_row_rebuilds_every_kind_of_operation(store: Store) -> None:
    record = linked_record()
    made = add_all(store, record)
    made.append(_edit(store, record[0].id, preferred_place_of_death=HOSPICE))
    made.append(_edit(store, record[0].id, preferred_place_of_death=None))
    with store.writing(TODAY) as w:
        w.delete(Person, record[0].id)
        w.restore(Person, record[0].id)
        made += w.operations
    with store.reading() as s:
        rebuilt = [inbox.operation_from_row(r) for r in operations(s)]
    assert rebuilt == made
    assert {o.action for o in rebuilt} == set(OpAction)
    assert rebuilt[-3].base == {"preferred_place_of_death": str(made[-4].stamp)}


# -- receiving ----------------------------------------------------------------------


@pytest.fixture
def pair(make_store: MakeStore) -> tuple[Store, Store]:
    return make_store("device-a", "Ann Abbott"), make_store("device-b", "Ben Bello")


def test_a_page_is_applied_with_its_cursor_and_again_changes_nothing(
        pair: tuple[Store, Store]) -> None:
    a, b = pair
    record = linked_record()
    add_all(a, record)
    page = log_of(a)
    with b.writing() as w:
        assert inbox.cursor(w.session, "team-1") == 0
        got = inbox.receive(w, "team-1", page, 41)
    assert (got.applied, got.already, got.cursor) == (len(page), 0, 41)
    with b.reading() as s:
        before = table_counts(s)
        assert inbox.cursor(s, "team-1") == 41
        assert inbox.cursor(s, "another team") == 0
        assert inbox.pending(s) == []  # received operations are never sent back
        assert [inbox.operation_from_row(r) for r in operations(s)] == page
        assert caseload.load_record(s, record[0].id).person == record[0]
    with b.writing() as w:
        again = inbox.receive(w, "team-1", page, 30)  # an older page pulled again
    assert (again.applied, again.already, again.cursor) == (0, len(page), 41)
    with b.reading() as s:
        assert table_counts(s) == before


def test_a_page_applies_in_bulk_what_one_by_one_would(pair: tuple[Store, Store],
                                                      make_store: MakeStore) -> None:
    a, b = pair
    record = linked_record()
    add_all(a, record)
    _edit(a, record[0].id, pronouns="they/them")  # an edit of a creation in the same page
    task = next(e for e in record if e.KIND == "task")
    with a.writing(TODAY) as w:
        w.delete(KINDS["task"], task.id)
    page = log_of(a)
    ship(page, b)
    reference = make_store("device-c", "Cat Cole")
    with reference.writing() as w:
        for op in page:  # one operation at a time through the merge: the reference
            apply_operation(w.session, op, local=False)
    with b.reading() as got, reference.reading() as want:
        for entity in record:
            assert entity_row(got, entity.KIND, entity.id) == entity_row(
                want, entity.KIND, entity.id), entity.KIND
        assert table_counts(got) == table_counts(want) | {"sync_cursor": 1}
        assert [p.id for p in caseload.find_people(got, record[0].full_name or "")] == [
            record[0].id]
        assert caseload.load_record(got, record[0].id).tasks == []
        changed = [(c.field, c.new) for c in field_changes(got, record[0].id)]
        assert changed == [("pronouns", "they/them")]


def test_every_stamp_moves_the_clock_on(pair: tuple[Store, Store]) -> None:
    a, b = pair
    person = full(Person, id=new_id())
    add_all(a, [person])
    ahead = b.clock.now().wall_ms + 60_000  # another device a minute ahead: accepted
    edit = Operation(kind="person", entity_id=person.id, action=OpAction.UPDATE,
                     stamp=Stamp(ahead, 7, a.profile.device_id), author="Ann Abbott",
                     changes={"pronouns": "she/her"}, record_id=person.id)
    ship([*log_of(a), edit], b)
    mine = _edit(b, person.id, pronouns="he/him")
    assert mine.stamp > edit.stamp
    assert mine.base == {"pronouns": str(edit.stamp)}  # so it is not taken for concurrent


def test_a_stamp_too_far_ahead_refuses_the_whole_page(pair: tuple[Store, Store]) -> None:
    a, b = pair
    person = full(Person, id=new_id())
    add_all(a, [person])
    [create] = log_of(a)
    far = Stamp(b.clock.now().wall_ms + MAX_DRIFT_MS + 120_000, 0, a.profile.device_id)
    bad = Operation(kind="person", entity_id=person.id, action=OpAction.UPDATE, stamp=far,
                    author="Ann Abbott", changes={"pronouns": "she/her"},
                    record_id=person.id)
    with b.reading() as s:
        before = table_counts(s)
    last = b.clock.last
    with pytest.raises(ClockError, match="minutes ahead of this computer's clock"), \
            b.writing() as w:
        inbox.receive(w, "team-1", [create, bad], 2)
    with b.reading() as s:
        assert table_counts(s) == before
        assert inbox.cursor(s, "team-1") == 0
    assert b.clock.last.wall_ms < far.wall_ms
    assert b.clock.last >= last


def test_a_page_that_fails_part_way_keeps_nothing(pair: tuple[Store, Store]) -> None:
    a, b = pair
    add_all(a, linked_record())
    page = log_of(a)
    odd = Operation(kind="no_such_kind", entity_id=new_id(), action=OpAction.UPDATE,
                    stamp=page[-1].stamp, author="x", changes={"a": 1})
    with b.reading() as s:
        before = table_counts(s)
    with pytest.raises(ValidationError, match="unknown kind"), b.writing() as w:
        inbox.receive(w, "team-1", [*page, odd], 12)
    with b.reading() as s:
        assert table_counts(s) == before


def test_the_cursor_is_in_the_same_transaction_as_the_page(pair: tuple[Store, Store]) -> None:
    a, b = pair
    add_all(a, linked_record())

    class CrashError(Exception):
        pass

    def crash_before_commit() -> None:
        with b.writing() as w:
            inbox.receive(w, "team-1", log_of(a), 10)
            raise CrashError  # the process dies before the commit

    with pytest.raises(CrashError):
        crash_before_commit()
    with b.reading() as s:
        assert inbox.cursor(s, "team-1") == 0
        assert operations(s) == []
        people = ENTITY_TABLES["person"]
        assert s.execute(select(people.c.id)).all() == []


def test_a_creation_after_other_operations_of_its_entity_is_merged(
        pair: tuple[Store, Store]) -> None:
    """An edit that arrives before its creation (another device's order) still converges."""
    a, b = pair
    person = full(Person, id=new_id())
    add_all(a, [person])
    edit = _edit(a, person.id, pronouns="they/them")
    [create] = log_of(a)[:1]
    ship([edit, create], b)
    with b.reading() as s:
        got = load(s, Person, person.id)
    assert got.pronouns == "they/them"
    assert got.full_name == person.full_name


def test_the_digest_is_kept_per_feed_and_forgotten_with_it(store: Store) -> None:
    with store.writing() as w:
        inbox.set_digest(w.session, "team-1", b"\x00digest")
        inbox.receive(w, "team-1", [], 5)
    with store.reading() as s:
        assert (inbox.digest(s, "team-1"), inbox.cursor(s, "team-1")) == (b"\x00digest", 5)
        assert inbox.digest(s, "team-2") is None
    with store.writing() as w:
        inbox.forget_feed(w.session, "team-1")
    with store.reading() as s:
        assert (inbox.digest(s, "team-1"), inbox.cursor(s, "team-1")) == (None, 0)
