"""Received creations written in bulk store exactly what the one-by-one merge stores.

The bulk path builds each row straight in the columns' stored form; these
tests compare the raw rows (as SQLite holds them, not as read back through
the column types) with what :func:`~eolcare.store.writes.apply_operation`
writes for the same operations, for every kind with every field filled and
with only the required ones.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from eolcare.domain.entities import ENTITY_TYPES, Person
from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import OpAction, Operation
from eolcare.domain.schema import Entity
from eolcare.store import bulk, inbox
from eolcare.store import engine as engines
from eolcare.store.database import Store
from eolcare.store.tables import ENTITY_TABLES
from eolcare.store.writes import apply_operation, creation_changes
from tests.domain.factories import full, minimal
from tests.store.conftest import MakeStore
from tests.store.helpers import new_id

WALL = 1_790_000_000_000  # a moment in 2026, in milliseconds


def _creation(entity: Entity, n: int, action: OpAction = OpAction.CREATE) -> Operation:
    return Operation(kind=entity.KIND, entity_id=entity.id, action=action,
                     stamp=Stamp(WALL + n * 7, n % 3, "device-a"), author="Ann Abbott",
                     changes=creation_changes(entity), record_id=entity.owner_id)


def _untexted(op: Operation) -> Operation:
    """The same creation with every coded value's free text empty (as JSON may carry it)."""
    changes = {name: {**value, "text": ""} if isinstance(value, dict) else value
               for name, value in op.changes.items()}
    return replace(op, changes=changes, entity_id=new_id(), op_id=new_id())


def _page() -> list[Operation]:
    entities = [make(cls, id=new_id()) for cls in ENTITY_TYPES for make in (full, minimal)]
    made = [_creation(e, n) for n, e in enumerate(entities)]
    return made + [_untexted(op) for op in made[::2]]


def _raw(session: Session) -> dict[str, Any]:
    """Every table's rows as SQLite stores them (the log without its local seq and time)."""
    conn = session.connection()
    tables = [name for (name,) in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index%'"
        " AND name NOT IN ('meta', 'alembic_version', 'sync_cursor')")]
    raw: dict[str, Any] = {}
    for name in tables:
        cursor = conn.exec_driver_sql(f"SELECT * FROM {name}")  # the schema's own names
        columns = [d[0] for d in cursor.cursor.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
        for row in rows:
            for local in ("seq", "applied_at", "rowid"):
                row.pop(local, None)
        raw[name] = sorted(rows, key=repr)
    raw["search_index"] = sorted(conn.exec_driver_sql(
        "SELECT d.entity_id, i.names, i.body FROM search_index i "
        "JOIN search_doc d ON d.rowid = i.rowid").fetchall())
    return raw


def _one_by_one(store: Store, ops: list[Operation]) -> None:
    with store.writing() as w:
        for op in ops:
            apply_operation(w.session, op, local=False)


@pytest.fixture
def stores(make_store: MakeStore) -> tuple[Store, Store]:
    return make_store("bulk", "Ben Bello"), make_store("reference", "Cat Cole")


def test_every_kind_full_and_minimal_is_stored_as_the_merge_stores_it(
        stores: tuple[Store, Store]) -> None:
    bulk, reference = stores
    page = _page()
    with bulk.writing() as w:
        got = inbox.receive(w, "team", page, len(page))
    assert got.applied == len(page)
    _one_by_one(reference, page)
    with bulk.reading() as b, reference.reading() as r:
        made, want = _raw(b), _raw(r)
    assert set(made) == set(want)
    for table in want:
        assert made[table] == want[table], table
    # the comparison compares something: every kind's rows, both the full and the minimal
    assert all(len(made[cls.KIND]) == 3 for cls in ENTITY_TYPES)
    assert len(made["operation"]) == len(page)
    assert made["search_index"]


def test_rows_prepared_in_another_process_are_the_rows_the_merge_stores(
        stores: tuple[Store, Store]) -> None:
    """A large pull builds its creations' rows in the process that opens its pages."""
    bulk_store, reference = stores
    page = _page()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as other:
        prepared = other.submit(bulk.prepare_received, page).result()
    assert set(prepared) == {op.op_id for op in page}  # every creation's rows, built there
    with bulk_store.writing() as w:
        inbox.receive(w, "team", page, len(page), prepared=prepared)
    _one_by_one(reference, page)
    with bulk_store.reading() as b, reference.reading() as r:
        assert _raw(b) == _raw(r)


def test_prepared_rows_are_the_ones_written(stores: tuple[Store, Store]) -> None:
    """What :func:`bulk.write_received` is given is what it writes (not built again)."""
    store, _ = stores
    person = _creation(full(Person, id=new_id()), 1)
    ready = bulk.prepare_received([person])[person.op_id]
    names = [c.name for c in ENTITY_TABLES["person"].columns]
    row = list(ready.row)
    row[names.index("full_name")] = "Prepared Elsewhere"
    with store.writing() as w:
        inbox.receive(w, "team", [person], 1,
                      prepared={person.op_id: ready._replace(row=tuple(row))})
    with store.reading() as s:
        assert s.scalar(select(ENTITY_TABLES["person"].c.full_name)) == "Prepared Elsewhere"


def test_a_creation_received_deleted_is_a_tombstone_as_the_merge_makes_it(
        stores: tuple[Store, Store]) -> None:
    bulk, reference = stores
    page = [_creation(full(cls, id=new_id()), n, OpAction.DELETE)
            for n, cls in enumerate(ENTITY_TYPES)]
    with bulk.writing() as w:
        inbox.receive(w, "team", page, len(page))
    _one_by_one(reference, page)
    with bulk.reading() as b, reference.reading() as r:
        assert _raw(b) == _raw(r)


def _cache_kib(session: Session) -> int:
    return -int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_a_large_job_has_a_larger_page_cache_and_gives_it_back(
        stores: tuple[Store, Store]) -> None:
    store, _ = stores
    with store.reading() as s:
        assert _cache_kib(s) == engines.CACHE_KIB
    with store.large_cache():
        with store.writing() as w:
            assert _cache_kib(w.session) == engines.LARGE_CACHE_KIB
            inbox.receive(w, "team", _page(), 10)
        with store.reading() as s:
            assert _cache_kib(s) == engines.LARGE_CACHE_KIB
    with store.reading() as s, store.reading() as other:  # every connection shrank back
        assert _cache_kib(s) == _cache_kib(other) == engines.CACHE_KIB
    with store.reading() as s:
        assert inbox.cursor(s, "team") == 10


# -- a large pull: what the store holds, known in memory ----------------------------


def test_receiving_with_known_stores_what_the_look_ups_store(
        stores: tuple[Store, Store]) -> None:
    """The same pages, twice (the second pull adds nothing), with and without Known."""
    with_known, reference = stores
    pages = [_page(), _page()]
    with with_known.writing() as w:
        known = inbox.Known(w.session)
        for n, page in enumerate([*pages, *pages], start=1):
            got = inbox.receive(w, "team", page, n * 100, known=known)
            assert got.applied == (len(page) if n <= 2 else 0)
    with reference.writing() as w:
        for n, page in enumerate([*pages, *pages], start=1):
            inbox.receive(w, "team", page, n * 100)
    with with_known.reading() as b, reference.reading() as r:
        assert _raw(b) == _raw(r)
        assert len(_raw(b)["operation"]) == sum(len(p) for p in pages)


def test_known_catches_up_with_what_was_written_between_transactions(
        stores: tuple[Store, Store]) -> None:
    """Between two transactions of a pull the window adds a person and edits one; the
    same operations then arrive from the server (the laptop's own, pushed): they are
    known, and nothing is written twice."""
    store, other = stores
    first = _page()
    with store.writing() as w:
        known = inbox.Known(w.session)
        inbox.receive(w, "team", first, 1, known=known)
    with store.writing() as w:  # the coordinator, between the pull's transactions
        person = Person(full_name="Nia Hughes")
        w.add(person)
        local = list(w.operations)
    assert [op.entity_id for op in local] == [person.id]
    with store.writing() as w:
        known.catch_up(w.session)
        assert person.id in known.present(person.KIND, {person.id, "no-such-id"})
        got = inbox.receive(w, "team", local, 2, known=known)
    assert (got.applied, got.already) == (0, len(local))
    # an entity the window created and that arrives as a creation from another laptop
    # (the same id: only a replayed operation can do that) is merged, not inserted twice
    again = [replace(op, op_id=new_id()) for op in local]
    with store.writing() as w:
        known.catch_up(w.session)
        got = inbox.receive(w, "team", again, 3, known=known)
    assert got.applied == len(again)
    with store.reading() as s:
        raw = _raw(s)
    assert len([r for r in raw[person.KIND] if r["id"] == person.id]) == 1
    assert len(raw["operation"]) == len(first) + 2 * len(local)
    del other
