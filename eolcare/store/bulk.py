"""Adding many new entities at once: the same operations, written in bulk.

A large import (a demo caseload, a handover pack, a first sync) makes the
same operations, outbox entries and search rows as
:class:`~eolcare.store.writes.Writer` would, one operation per entity, but
writes each table with one multi-row statement per batch instead of several
statements per entity. Only new entities qualify: nothing needs merging.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from eolcare.domain.entities import KINDS
from eolcare.domain.jobs import Job, Progress
from eolcare.domain.operations import OpAction, Operation
from eolcare.domain.schema import Entity, FieldType
from eolcare.domain.validation import validated
from eolcare.store import search
from eolcare.store.engine import store_dialect
from eolcare.store.mapping import entity_columns
from eolcare.store.tables import ENTITY_TABLES, OperationRow, last_key
from eolcare.store.writes import (
    OPERATIONS,
    OUTBOX,
    Writer,
    check_references,
    creation_changes,
    log_values,
    new_row,
    stamp_time,
)

if TYPE_CHECKING:
    from eolcare.store.database import Store

#: Entities per step of :func:`add_many_job`.
BATCH = 2_000


def add_many(writer: Writer, entities: Iterable[Entity]) -> int:
    """Validate and add new entities in bulk; all or nothing. Returns how many."""
    clean = [validated(e, writer.today) for e in entities]
    if not clean:
        return 0
    check_references(writer.session, clean, new=True)
    created = []
    for entity in clean:
        op = Operation(kind=entity.KIND, entity_id=entity.id, action=OpAction.CREATE,
                       stamp=writer.clock.now(), author=writer.author,
                       changes=creation_changes(entity), record_id=entity.owner_id)
        created.append((op, new_row(op) | entity_columns(entity)))
        writer.operations.append(op)
    write_creations(writer.session, created, local=True)
    return len(clean)


def import_job(store: Store, entities: Sequence[Entity], *, batch: int = BATCH,
               today: date | None = None) -> Job[int]:
    """Add new entities in bulk as a job of one step per ``batch`` entities, in one
    unit of work of its own: closing the job before the end (cancelling) leaves
    the store as it was. Returns how many were added."""
    with store.writing(today) as w:
        return (yield from add_many_job(w, entities, batch=batch))


def add_many_job(writer: Writer, entities: Sequence[Entity], *,
                 batch: int = BATCH) -> Job[int]:
    """:func:`add_many` as a job of one step per ``batch`` entities, in ``writer``'s
    unit of work: drive it with :func:`eolcare.domain.jobs.run` inside the ``with
    store.writing()`` block, so that a cancel (which raises) undoes every batch.

    Entities may refer to entities of an earlier batch; every reference is
    checked before anything is written. Returns how many were added.
    """
    clean = [validated(e, writer.today) for e in entities]
    check_references(writer.session, clean, new=True)
    done = 0
    yield Progress(0, len(clean), "adding")
    for i in range(0, len(clean), batch):
        done += add_many(writer, clean[i:i + batch])
        yield Progress(done, len(clean), "adding")
    return done


def write_creations(session: Session, created: Sequence[tuple[Operation, Mapping[str, Any]]],
                    *, local: bool) -> None:
    """Write creating operations of entities not yet in the store, with each entity's row.

    The operation log (and the outbox, for local operations), the entity tables
    and the search index, each with one multi-row statement: what
    :func:`~eolcare.store.writes.apply_operation` writes for a creation, in bulk.
    """
    if not created:
        return
    first_seq = last_key(session, OperationRow.seq) + 1
    now = datetime.now(UTC)
    op_rows = [{"seq": seq} | log_values(op, local=local, applied_at=now)
               for seq, (op, _) in enumerate(created, start=first_seq)]
    _insert_many(session, OPERATIONS, op_rows)
    if local:
        _insert_many(session, OUTBOX, [{"op_seq": r["seq"]} for r in op_rows])
    entity_rows: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for op, row in created:
        entity_rows[op.kind].append(row)
    for kind, rows in entity_rows.items():
        _insert_many(session, ENTITY_TABLES[kind], rows)
        search.add_documents(session, kind, rows)


def _insert_many(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that all have the same keys with one DB-API ``executemany``.

    Values are converted by each column's own type (dates, JSON, booleans),
    exactly as ``session.execute(insert(table), rows)`` would, but with the
    converters looked up once per column instead of SQLAlchemy building
    parameters row by row: for a 20,000-person import (3 million field-history
    rows) that is most of the time saved.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    names = list(rows[0])
    statement = insert(table).compile(dialect=dialect, column_keys=names)
    order = list(statement.positiontup or names)
    convert = [(i, to_db) for i, name in enumerate(order)
               if (to_db := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))]
    params = []
    for row in rows:
        values = [row[name] for name in order]
        for i, to_db in convert:
            values[i] = to_db(values[i])
        params.append(tuple(values))
    session.connection().exec_driver_sql(str(statement), params)


# --- received creations: rows built straight in the store's column format --------------


class Prepared(NamedTuple):
    """A received creation's rows as :func:`write_received` writes them, built ahead of the
    writing (a large pull builds them in the process that opens its pages). All but what
    only the store being written knows: the log's sequence number, when it was applied,
    and the number of the search index's row."""

    log: tuple[Any, ...]  #: the log row from ``op_id`` to ``local``
    row: tuple[Any, ...]  #: the entity's row
    document: tuple[str | None, str, str] | None  #: (person, names, body) when indexed


def prepare_received(ops: Iterable[Operation]) -> dict[str, Prepared]:
    """The rows of the creations among ``ops``, by op id, for :func:`write_received`.
    Needs no database: a process that opens pulled pages runs it."""
    moments: dict[int, str] = {}
    return {op.op_id: _prepare(op, moments) for op in ops if op.action is OpAction.CREATE}


def write_received(session: Session, ops: Sequence[Operation],
                   prepared: Mapping[str, Prepared] | None = None) -> None:
    """``write_creations(..., local=False)`` for received creations, faster.

    The same rows, byte for byte, but each built straight from the operation's
    JSON in the form the columns store (what :func:`new_row` and then the column
    types' converters make of it), as one tuple: a 20,000-person first sync
    spent a third of its Python time building dictionaries of values and
    converting them one by one. Rows already built by :func:`prepare_received`
    are taken from ``prepared``.
    """
    if not ops:
        return
    first_seq = last_key(session, OperationRow.seq) + 1
    applied = _log_plan().applied_at(datetime.now(UTC))
    moments: dict[int, str] = {}
    log_rows = []
    by_kind: dict[str, list[Prepared]] = defaultdict(list)
    for seq, op in enumerate(ops, start=first_seq):
        ready = prepared.get(op.op_id) if prepared else None
        if ready is None:
            ready = _prepare(op, moments)
        log_rows.append((seq, *ready.log, applied))
        by_kind[op.kind].append(ready)
    connection = session.connection()
    connection.exec_driver_sql(_log_plan().statement, log_rows)
    for kind, made in by_kind.items():
        plan = _entity_plan(kind)
        connection.exec_driver_sql(plan.statement, [m.row for m in made])
        if plan.indexed:
            search.add_prepared(session, kind, [(m.row[0], *m.document)
                                                for m in made if m.document])


def _prepare(op: Operation, moments: dict[int, str]) -> Prepared:
    """One creation's rows; ``moments`` keeps the stored form of each stamp's time."""
    log_plan = _log_plan()
    stamp = str(op.stamp)
    at = moments.get(op.stamp.wall_ms)
    if at is None:
        at = moments[op.stamp.wall_ms] = log_plan.applied_at(stamp_time(op))
    plan = _entity_plan(op.kind)
    row = plan.row(op, stamp, at)
    document = None
    if plan.indexed:  # the columns the search index reads, not the whole row
        read = {name: row[i] for name, i in plan.indexed}
        document = (search.person_of(op.kind, read),
                    *search.document(read, search.SEARCHABLE[op.kind]))
    log = (op.op_id, stamp, op.stamp.device, op.author, op.kind, op.entity_id, op.record_id,
           op.action.value, log_plan.changes(dict(op.changes)),
           log_plan.base(dict(op.base)) if op.base else log_plan.no_base, log_plan.remote)
    return Prepared(log, row, document)


_Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class _LogPlan:
    statement: str
    changes: _Convert
    base: _Convert
    no_base: Any  #: ``base`` of an operation that replaced nothing (every creation)
    remote: Any
    applied_at: _Convert


_PLANS: dict[str, Any] = {}


def _planned(key: str, make: Callable[[], Any]) -> Any:
    """Plans are made once a process, for the store's own dialect (:func:`store_dialect`):
    rows built in another process are the same as the writer's."""
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = make()
    return plan


def _log_plan() -> _LogPlan:
    plan: _LogPlan = _planned("operation", lambda: _make_log_plan(store_dialect()))
    return plan


def _make_log_plan(dialect: Dialect) -> _LogPlan:
    names = [c.name for c in OPERATIONS.columns]
    assert names == ["seq", "op_id", "stamp", "device", "author", "kind", "entity_id",
                     "record_id", "action", "changes", "base", "local", "applied_at"], names
    return _LogPlan(_insert_statement(OPERATIONS, dialect, names),
                    _converter(OPERATIONS, "changes", dialect),
                    _converter(OPERATIONS, "base", dialect),
                    _converter(OPERATIONS, "base", dialect)(None),
                    _converter(OPERATIONS, "local", dialect)(False),
                    _converter(OPERATIONS, "applied_at", dialect))


@dataclass(frozen=True)
class _EntityPlan:
    """How one kind's received creation becomes a row tuple."""

    statement: str
    names: tuple[str, ...]  #: the columns, in the statement's order
    empty: tuple[Any, ...]  #: a row with no field given
    #: field name -> (its type, the index of its (first) column, its converter if any)
    fields: dict[str, tuple[FieldType, int, _Convert | None]]
    provenance: int  #: index of created_at (the provenance columns follow it)
    #: (column, index) of what the search index reads: none when the kind is not indexed
    indexed: tuple[tuple[str, int], ...]

    def row(self, op: Operation, stamp: str, at: str) -> tuple[Any, ...]:
        row = list(self.empty)
        row[0] = op.entity_id
        fields = self.fields
        for name, raw in op.changes.items():
            found = fields.get(name)
            if found is None or raw is None:
                continue  # a field a newer version added, or one left empty
            kind, i, convert = found
            if kind is FieldType.CODED:
                row[i], row[i + 1] = raw["code"], raw.get("text") or None
            elif kind is FieldType.CODES:
                assert convert is not None
                row[i], row[i + 1] = convert(list(raw["codes"])), raw.get("text") or None
            elif convert is not None:
                row[i] = convert(raw)
            else:
                row[i] = raw
        p = self.provenance
        deleted = stamp if op.action is OpAction.DELETE else None
        row[p:p + 7] = (at, op.author, at, op.author, stamp, deleted, self.empty[p + 6])
        return tuple(row)


_PROVENANCE = ("created_at", "created_by", "updated_at", "updated_by", "updated_stamp",
               "deleted_stamp", "needs_review")


def _entity_plan(kind: str) -> _EntityPlan:
    plan: _EntityPlan = _planned(kind, lambda: _make_entity_plan(kind, store_dialect()))
    return plan


def _make_entity_plan(kind: str, dialect: Dialect) -> _EntityPlan:
    table = ENTITY_TABLES[kind]
    names = tuple(c.name for c in table.columns)
    p = names.index("created_at")
    assert names[0] == "id", names
    assert names[p:p + 7] == _PROVENANCE, names
    empty = [None if n == "id" else _converter(table, n, dialect)(None) for n in names]
    empty[p + 6] = _converter(table, "needs_review", dialect)(False)
    fields: dict[str, tuple[FieldType, int, _Convert | None]] = {}
    # the index is made from the stored form: the same text only for plain text fields
    assert all(KINDS[kind].FIELDS[n].type is FieldType.TEXT
               for n in search.SEARCHABLE.get(kind, ())), kind
    for name, spec in KINDS[kind].FIELDS.items():
        if spec.type is FieldType.CODED:
            fields[name] = (spec.type, names.index(f"{name}_code"), None)
        elif spec.type is FieldType.CODES:
            fields[name] = (spec.type, names.index(f"{name}_codes"),
                            _converter(table, f"{name}_codes", dialect))
        else:
            fields[name] = (spec.type, names.index(name), _from_json(table, name, spec.type,
                                                                     dialect))
    cls = KINDS[kind]
    read = ("id", *([cls.OWNER] if cls.OWNER else []), *search.SEARCHABLE.get(kind, ()))
    indexed = tuple((n, names.index(n)) for n in read) if kind in search.SEARCHABLE else ()
    return _EntityPlan(_insert_statement(table, dialect, list(names)), names, tuple(empty),
                       fields, p, indexed)


def _from_json(table: Table, name: str, kind: FieldType, dialect: Dialect) -> _Convert | None:
    """A field's JSON value to its column's stored form (None: stored as it is)."""
    to_db = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    if kind is FieldType.DATE:
        assert to_db is not None
        return lambda raw: to_db(date.fromisoformat(raw))
    if kind is FieldType.DATETIME:
        assert to_db is not None
        return lambda raw: to_db(datetime.fromisoformat(raw))
    return to_db


def _converter(table: Table, name: str, dialect: Dialect) -> _Convert:
    to_db = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return to_db if to_db is not None else (lambda value: value)


def _insert_statement(table: Table, dialect: Dialect, names: list[str]) -> str:
    statement = insert(table).compile(dialect=dialect, column_keys=names)
    assert list(statement.positiontup or names) == names
    return str(statement)
