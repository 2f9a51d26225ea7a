"""Every write is an operation: add, update, delete and restore of every kind of entity."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from eolcare.domain.entities import KINDS, CircleMember, ContactNote, Person, Task
from eolcare.domain.errors import ImmutableRecordError, NotFoundError, ValidationError
from eolcare.domain.hlc import Clock, Stamp
from eolcare.domain.jobs import CancelledError, run
from eolcare.domain.schema import Entity, FieldType, to_json
from eolcare.domain.values import Coded
from eolcare.store import bulk, caseload
from eolcare.store.database import Store, open_profile
from eolcare.store.tables import OperationRow
from eolcare.store.writes import DELETED, Writer, load
from tests.conftest import PASSPHRASE
from tests.domain.factories import TODAY, full, minimal
from tests.store.conftest import MakeStore
from tests.store.helpers import (
    add_all,
    entity_row,
    field_changes,
    linked_record,
    new_id,
    operations,
    outbox_seqs,
    table_counts,
)


def _by_kind(entities: list[Entity]) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    for e in entities:
        found.setdefault(e.KIND, e)
    return found


def _editable_text_field(cls: type[Entity]) -> str:
    return next(n for n, s in cls.FIELDS.items() if s.type is FieldType.TEXT and s.normalise is None
                and not s.required)


ALL_KINDS = sorted(KINDS)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_add_makes_one_create_operation_with_every_field(store: Store, kind: str) -> None:
    record = linked_record()
    target = _by_kind(record)[kind]
    before = list(record[: record.index(target)])
    add_all(store, before)
    with store.reading() as s:
        seq_before = len(operations(s))
    with store.writing(TODAY) as w:
        stored = w.add(target)
        made = list(w.operations)
    assert stored == target
    assert len(made) == 1
    expected = {n: to_json(spec, getattr(target, n)) for n, spec in target.FIELDS.items()
                if getattr(target, n) is not None}
    assert made[0].changes == expected
    with store.reading() as s:
        ops = operations(s)[seq_before:]
        assert [(o.action, o.kind, o.entity_id, o.local) for o in ops] == [
            ("create", kind, target.id, True)]
        assert ops[0].changes == expected
        assert ops[0].record_id == target.owner_id
        assert ops[0].op_id == made[0].op_id
        assert outbox_seqs(s)[-1] == ops[0].seq
        assert len(outbox_seqs(s)) == seq_before + 1
        # The creating operation holds the values; field_change is for later edits.
        assert field_changes(s, target.id) == []
        assert load(s, type(target), target.id) == target


@pytest.mark.parametrize("kind", [k for k in ALL_KINDS if not KINDS[k].IMMUTABLE])
def test_update_records_old_and_new_value(store: Store, kind: str) -> None:
    record = linked_record()
    add_all(store, record)
    target = _by_kind(record)[kind]
    name = _editable_text_field(type(target))
    old = getattr(target, name)
    with store.writing(TODAY) as w:
        updated = w.update(type(target), target.id, **{name: "  a new value  "})
        assert len(w.operations) == 1
    assert getattr(updated, name) == "a new value"  # normalised (trimmed) before it is stored
    with store.reading() as s:
        last = operations(s)[-1]
        assert (last.action, last.entity_id, last.changes) == (
            "update", target.id, {name: "a new value"})
        assert outbox_seqs(s)[-1] == last.seq
        change = [c for c in field_changes(s, target.id) if c.op_seq == last.seq]
        assert [(c.field, c.old, c.new, c.won) for c in change] == [
            (name, old, "a new value", True)]
        assert getattr(load(s, type(target), target.id), name) == "a new value"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_delete_is_a_tombstone_that_keeps_the_row_and_restore_brings_it_back(
        store: Store, kind: str) -> None:
    record = linked_record()
    add_all(store, record)
    target = _by_kind(record)[kind]
    cls = type(target)
    with store.writing(TODAY) as w:
        w.delete(cls, target.id)
    with store.reading() as s:
        last = operations(s)[-1]
        assert (last.action, last.entity_id, last.changes) == ("delete", target.id, {})
        assert outbox_seqs(s)[-1] == last.seq
        assert [(c.field, c.old, c.new) for c in field_changes(s, target.id)
                if c.op_seq == last.seq] == [(DELETED, False, True)]
        with pytest.raises(NotFoundError):
            load(s, cls, target.id)
        kept = load(s, cls, target.id, deleted=True)
        assert kept == target  # every value is still there
        assert kept.provenance is not None
        assert kept.provenance.deleted
        assert entity_row(s, kind, target.id)["deleted_stamp"] == last.stamp
    with store.writing(TODAY) as w:
        back = w.restore(cls, target.id)
    assert back == target
    assert back.provenance is not None
    assert not back.provenance.deleted
    with store.reading() as s:
        last = operations(s)[-1]
        assert (last.action, last.entity_id) == ("restore", target.id)
        assert [(c.field, c.old, c.new) for c in field_changes(s, target.id)
                if c.op_seq == last.seq] == [(DELETED, True, False)]
        assert entity_row(s, kind, target.id)["deleted_stamp"] is None


def test_restoring_a_live_entity_and_a_no_op_update_make_no_operation(store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    with store.writing(TODAY) as w:
        w.update(Person, person.id, full_name=person.full_name,
                 preferred_place_of_death=Coded(person.preferred_place_of_death.code,
                                                person.preferred_place_of_death.text))
        w.update(Person, person.id, full_name=f"  {person.full_name} ")  # same once trimmed
        w.update(Person, person.id)
        w.restore(Person, person.id)
        assert w.operations == []
    with store.reading() as s:
        assert len(operations(s)) == 1
        assert len(outbox_seqs(s)) == 1


def test_an_update_records_only_the_fields_that_changed(store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    with store.writing(TODAY) as w:
        w.update(Person, person.id, full_name=person.full_name, pronouns="they/them",
                 akps=person.akps)
    with store.reading() as s:
        assert operations(s)[-1].changes == {"pronouns": "they/them"}


def test_an_unknown_field_is_refused_and_nothing_is_written(store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    with store.reading() as s:
        before = table_counts(s)
    with pytest.raises(ValidationError, match="is not a field"), store.writing(TODAY) as w:
        w.update(Person, person.id, pronouns="she/her", favourite_colour="blue")
    with store.reading() as s:
        assert table_counts(s) == before
        assert load(s, Person, person.id).pronouns == person.pronouns


def test_a_contact_note_cannot_be_edited(store: Store) -> None:
    record = linked_record()
    add_all(store, record)
    note = _by_kind(record)["contact"]
    with store.reading() as s:
        before = table_counts(s)
    with pytest.raises(ImmutableRecordError) as caught, store.writing(TODAY) as w:
        w.update(ContactNote, note.id, discussed="something else")
    assert "something else" not in str(caught.value)
    assert note.discussed is not None
    assert note.discussed not in str(caught.value)
    with store.reading() as s:
        assert table_counts(s) == before
        assert load(s, ContactNote, note.id) == note


@pytest.mark.parametrize("deleted", [False, True], ids=["missing", "deleted"])
def test_a_reference_to_a_missing_or_deleted_person_is_refused(store: Store,
                                                              deleted: bool) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    if deleted:
        with store.writing(TODAY) as w:
            w.delete(Person, person.id)
    with store.reading() as s:
        before = table_counts(s)
    target = person.id if deleted else new_id()
    for entity in (minimal(CircleMember, id=new_id(), person_id=target),
                   minimal(Task, id=new_id(), person_id=target)):
        with pytest.raises(ValidationError, match="does not exist"), store.writing(TODAY) as w:
            w.add(entity)
    with store.reading() as s:
        assert table_counts(s) == before


def test_moving_a_circle_member_to_a_missing_person_is_refused(store: Store) -> None:
    record = linked_record()
    add_all(store, record)
    member = _by_kind(record)["circle_member"]
    with pytest.raises(ValidationError, match="does not exist"), store.writing(TODAY) as w:
        w.update(CircleMember, member.id, person_id=new_id())
    with store.reading() as s:
        assert load(s, CircleMember, member.id).person_id == member.person_id


def test_adding_an_id_twice_is_refused(store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    with pytest.raises(ValidationError, match="already exists"), store.writing(TODAY) as w:
        w.add(full(Person, id=person.id, full_name="Someone Else"))


def test_a_failed_unit_of_work_leaves_nothing_behind(store: Store) -> None:
    with store.reading() as s:
        before = table_counts(s)
    record = linked_record()

    def unit_of_work() -> None:
        with store.writing(TODAY) as w:
            for e in record:
                w.add(e)
            w.update(Person, record[0].id, pronouns="xe/xem")
            assert len(w.operations) == len(record) + 1
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        unit_of_work()
    with store.reading() as s:
        assert table_counts(s) == before
        assert before["operation"] == 0
        with pytest.raises(NotFoundError):
            load(s, Person, record[0].id)


def test_a_failed_unit_of_work_keeps_earlier_units(store: Store) -> None:
    first, second = full(Person, id=new_id()), full(Person, id=new_id(), full_name="Zoë Ng",
                                                  nhs_number="4010232137")
    add_all(store, [first])
    with pytest.raises(ValidationError):
        add_all(store, [second, minimal(Task, id=new_id(), person_id=new_id())])
    with store.reading() as s:
        assert [o.entity_id for o in operations(s)] == [first.id]
        assert load(s, Person, first.id) == first
        with pytest.raises(NotFoundError):
            load(s, Person, second.id)


def test_stamps_strictly_increase_within_and_across_units_of_work(store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    for i in range(5):
        with store.writing(TODAY) as w:
            w.update(Person, person.id, akps=10 * i, pronouns=f"p{i}")
            w.update(Person, person.id, pronouns=f"q{i}")
    with store.reading() as s:
        stamps = [o.stamp for o in operations(s)]
    assert len(stamps) == 11
    assert all(a < b for a, b in itertools.pairwise(stamps))
    assert all(Stamp.parse(a) < Stamp.parse(b) for a, b in itertools.pairwise(stamps))


def test_stamps_keep_increasing_after_reopening_even_if_the_wall_clock_went_back(
        store: Store) -> None:
    person = full(Person, id=new_id())
    add_all(store, [person])
    # Stamp an edit an hour ahead of the wall clock, as a device whose clock was then corrected.
    ahead = int((datetime.now(UTC) + timedelta(hours=1)).timestamp() * 1000)
    with store.writing(TODAY) as w:
        fast = Writer(w.session, Clock(store.profile.device_id, wall=lambda: ahead),
                      store.profile.author, TODAY)
        fast.update(Person, person.id, pronouns="before the correction")
    last = fast.operations[-1].stamp
    store.close()
    with open_profile("test", lambda: PASSPHRASE, use_keyring=False) as again:
        with again.writing(TODAY) as w:
            w.update(Person, person.id, pronouns="after reopening")
            stamp = w.operations[-1].stamp
        assert stamp > last
        assert stamp.device == again.profile.device_id
        with again.reading() as s:
            assert load(s, Person, person.id).pronouns == "after reopening"
    store.__init__(store.profile, _key())  # type: ignore[misc]  # reopen for the fixture's close


def _key() -> bytes:
    from eolcare.store import profiles, vault

    return vault.unlock(profiles.find_profile("test").vault_path, PASSPHRASE)


def test_provenance_shows_who_created_and_who_last_changed(store: Store) -> None:
    person = full(Person, id=new_id())
    started = datetime.now(UTC) - timedelta(seconds=1)
    add_all(store, [person])
    time.sleep(0.01)
    with store.writing(TODAY) as w:
        other = Writer(w.session, w.clock, "Bea Other", TODAY)
        other.update(Person, person.id, pronouns="she/her")
    with store.reading() as s:
        p = load(s, Person, person.id)
        row = s.scalars(select(OperationRow).order_by(OperationRow.seq)).all()
    assert p.provenance is not None
    assert p.provenance.created_by == "Test Coordinator"
    assert p.provenance.updated_by == "Bea Other"
    assert started <= p.provenance.created_at < p.provenance.updated_at
    assert p.provenance.updated_at <= datetime.now(UTC)
    assert [r.author for r in row] == ["Test Coordinator", "Bea Other"]
    assert p.provenance.updated_at == datetime.fromtimestamp(
        Stamp.parse(row[-1].stamp).wall_ms / 1000, UTC)


def test_bulk_rows_equal_the_rows_of_single_writes(make_store: MakeStore) -> None:
    """bulk.add_many builds rows from entities directly; they must match apply_operation's."""
    one, many = make_store("one", "Ann"), make_store("many", "Ann")
    records = linked_record()
    add_all(one, records)
    with many.writing(TODAY) as w:
        assert bulk.add_many(w, records) == len(records)
    for entity in records:
        with one.reading() as a, many.reading() as b:
            row_a = entity_row(a, entity.KIND, entity.id)
            row_b = entity_row(b, entity.KIND, entity.id)
        for volatile in ("created_at", "updated_at", "updated_stamp"):
            row_a.pop(volatile)
            row_b.pop(volatile)
        assert row_a == row_b, entity.KIND


def test_update_returns_exactly_what_is_stored(store: Store) -> None:
    with store.writing(TODAY) as w:
        person = w.add(full(Person, id=new_id()))
    with store.writing(TODAY) as w:
        returned = w.update(Person, person.id, pronouns="they/them",
                            preferred_place_of_death=Coded("108401000000102", "St Mary's"))
    with store.reading() as s:
        stored = load(s, Person, person.id)
    assert returned == stored
    assert returned.provenance == stored.provenance


def test_every_entity_read_carries_each_fields_winning_stamp(store: Store) -> None:
    record = linked_record()
    made = add_all(store, record)
    member = next(e for e in record if e.KIND == "circle_member")
    service = next(e for e in record if e.KIND == "service")
    with store.writing(TODAY) as w:
        w.update(CircleMember, member.id, name="Renamed")
        w.update(KINDS["service"], service.id, phone="020 7946 0999")
        renamed, rephoned = w.operations
    with store.reading() as s:
        got = caseload.load_record(s, record[0].id)
        person = load(s, Person, record[0].id)
        members = caseload.children(s, CircleMember, record[0].id)
    [circle] = got.circle
    assert circle.provenance is not None
    assert members[0].provenance == circle.provenance
    assert dict(circle.provenance.stamps) == {name: str(renamed.stamp) if name == "name" else ""
                                              for name in CircleMember.FIELDS}
    [involved] = got.services
    assert involved.service.provenance is not None
    assert involved.service.provenance.stamps["phone"] == str(rephoned.stamp)
    assert person.provenance is not None
    assert got.person.provenance == person.provenance
    assert set(person.provenance.stamps.values()) == {""}  # as created
    assert str(made[0].stamp) not in person.provenance.stamps.values()


def _people(count: int) -> list[Entity]:
    return [minimal(Person, id=new_id(), full_name=f"Imported {n}") for n in range(count)]


def test_an_import_job_reports_each_batch_and_adds_everything(store: Store) -> None:
    people = _people(7)
    members = [minimal(CircleMember, id=new_id(), person_id=p.id) for p in people]
    seen: list[tuple[int, int]] = []
    added = run(bulk.import_job(store, [*people, *members], batch=5, today=TODAY),
                lambda p: seen.append((p.done, p.total)))
    assert added == 14
    assert seen == [(0, 14), (5, 14), (10, 14), (14, 14)]
    with store.reading() as s:
        assert caseload.count_people(s) == 7
        assert len(operations(s)) == len(outbox_seqs(s)) == 14


def test_an_import_job_closed_part_way_leaves_the_store_as_it_was(store: Store) -> None:
    add_all(store, _people(2))
    with store.reading() as s:
        before = table_counts(s)
    job = bulk.import_job(store, _people(9), batch=3, today=TODAY)
    assert [next(job).done for _ in range(3)] == [0, 3, 6]
    job.close()
    with store.reading() as s:
        assert table_counts(s) == before
    with store.writing(TODAY) as w:  # the unit of work was let go
        w.add(minimal(Person, id=new_id(), full_name="After"))


def test_a_bulk_job_stopped_inside_a_unit_of_work_keeps_nothing(store: Store) -> None:
    with store.reading() as s:
        before = table_counts(s)
    calls = itertools.count()
    with pytest.raises(CancelledError), store.writing(TODAY) as w:
        run(bulk.add_many_job(w, _people(9), batch=3), should_stop=lambda: next(calls) == 2)
    with store.reading() as s:
        assert table_counts(s) == before


def test_a_bad_entity_in_a_later_batch_refuses_the_import_before_any_write(
        store: Store) -> None:
    people = _people(6)
    orphan = minimal(CircleMember, id=new_id(), person_id=new_id())
    with store.reading() as s:
        before = table_counts(s)
    with pytest.raises(ValidationError, match="refers to a record that does not exist"):
        run(bulk.import_job(store, [*people, orphan], batch=2, today=TODAY))
    with store.reading() as s:
        assert table_counts(s) == before
