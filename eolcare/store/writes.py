"""Every write is an operation: apply operations to the store, local or received.

:class:`Writer` turns a coordinator's change (add, edit, delete, restore) into
an :class:`~eolcare.domain.operations.Operation` stamped by the device's hybrid
logical clock, then :func:`apply_operation` does what every write does:

- appends the operation to the log (``operation``; idempotent by ``op_id``),
- records each edited field's old and new value (``field_change``; the values
  an entity was created with are in its creating operation),
- queues local operations for sync (``outbox``),
- updates the entity's row and the search index.

Each field is a last-writer-wins register ordered by HLC stamp (which ends in
the device id, so ties break the same way everywhere). A value that loses is
still kept in the field history, and when it was a clinically significant
field the entity is flagged "needs review". Deleting is a tombstone; nothing
is ever physically removed. An edit that arrives after a delete restores the
entity and flags it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from eolcare.domain.entities import KINDS
from eolcare.domain.errors import ImmutableRecordError, NotFoundError, Problem, ValidationError
from eolcare.domain.hlc import Clock
from eolcare.domain.operations import OpAction, Operation
from eolcare.domain.schema import JSON, Entity, FieldType, to_json
from eolcare.domain.validation import validated
from eolcare.store import accounts, identity, search
from eolcare.store import review as reviews
from eolcare.store.mapping import json_to_columns, row_to_entity
from eolcare.store.tables import (
    ENTITY_TABLES,
    FieldChangeRow,
    OperationRow,
    OutboxRow,
    metadata,
)

E = TypeVar("E", bound=Entity)

OPERATIONS, OUTBOX = (metadata.tables[row.__tablename__] for row in (OperationRow, OutboxRow))

#: The pseudo-field under which deletes and restores appear in the field history.
DELETED = "_deleted"


def load_row(session: Session, kind: str, entity_id: str) -> RowMapping | None:
    table = ENTITY_TABLES[kind]
    return session.execute(select(table).where(table.c.id == entity_id)).mappings().first()


def load(session: Session, cls: type[E], entity_id: str, *, deleted: bool = False) -> E:
    """One entity by id; NotFoundError if absent (or deleted, unless asked for)."""
    return _load_with_row(session, cls, entity_id, deleted=deleted)[0]


def _load_with_row(session: Session, cls: type[E], entity_id: str, *,
                   deleted: bool = False) -> tuple[E, RowMapping]:
    row = load_row(session, cls.KIND, entity_id)
    if row is None or (row["deleted_stamp"] is not None and not deleted):
        raise NotFoundError(f"No {cls.KIND.replace('_', ' ')} with that id is on this profile.")
    return row_to_entity(cls, row, field_stamps(session, [entity_id]).get(entity_id)), row


_IN_CHUNK = 500


def field_stamps(session: Session, entity_ids: Collection[str]) -> dict[str, dict[str, str]]:
    """Each entity's fields' winning stamps, for the fields edited since it was created.

    A field not listed holds the value its entity was created with (or none):
    its stamp is "", as in an operation's ``base``.
    """
    found: dict[str, dict[str, str]] = defaultdict(dict)
    listed = list(entity_ids)
    for i in range(0, len(listed), _IN_CHUNK):
        rows = session.execute(
            select(FieldChangeRow.entity_id, FieldChangeRow.field, func.max(FieldChangeRow.stamp))
            .where(FieldChangeRow.entity_id.in_(listed[i:i + _IN_CHUNK]),
                   FieldChangeRow.won.is_(True), FieldChangeRow.field != DELETED)
            .group_by(FieldChangeRow.entity_id, FieldChangeRow.field)
        )
        for entity_id, name, stamp in rows:
            found[entity_id][name] = stamp
    return found


class Writer:
    """Makes the operations of one unit of work (one transaction, one user action)."""

    def __init__(self, session: Session, clock: Clock, author: str,
                 today: date | None = None) -> None:
        self.session = session
        self.clock = clock
        self.author = author
        self.today = today
        self.operations: list[Operation] = []
        #: Set by a caller merging records on purpose (an IT team): allows a second person
        #: with an NHS number another person already has.
        self.allow_duplicate_nhs = False

    def add(self, entity: E) -> E:
        """Validate and store a new entity; returns it as stored."""
        clean = validated(entity, self.today)
        check_references(self.session, [clean], new=True)
        if not self.allow_duplicate_nhs:
            identity.check_nhs_number(self.session, clean)
        self._emit(clean, OpAction.CREATE, creation_changes(clean))
        return load(self.session, type(clean), clean.id)

    def update(self, cls: type[E], entity_id: str, *, seen: Mapping[str, str] | None = None,
               **changes: Any) -> E:
        """Change some fields of an entity. Fields left out keep their value.

        ``seen`` is the ``provenance.stamps`` of the entity as the editor saw it
        (a form loaded before a sync and saved after it). A field whose value
        changed underneath is judged as a concurrent edit: given the value the
        editor saw, it is left as the store now holds it; given another value,
        this edit wins (it is the newest) and, for a clinically significant field,
        the entity is flagged "needs review" with both values kept in the history,
        exactly as when the other edit arrives from another device. Without
        ``seen`` the editor is taken to have seen what the store holds now.

        Returns the entity as the store now holds it.
        """
        unknown = set(changes) - set(cls.FIELDS)
        if unknown:
            raise ValidationError([Problem(n, "is not a field of this record") for n in unknown])
        current, row = _load_with_row(self.session, cls, entity_id)
        if cls.IMMUTABLE:
            raise ImmutableRecordError(
                "Contact-log notes are never edited, so the log stays a true account. "
                "Add a new note that corrects this one instead."
            )
        assert current.provenance is not None
        winners = {name: stamp for name, stamp in current.provenance.stamps.items() if stamp}
        base = {name: winners.get(name, "") for name in changes}
        clean = validated(dataclasses.replace(current, **changes), self.today)
        if seen is not None:
            underneath = {name for name in changes
                          if seen.get(name, base[name]) != base[name]}
            unchanged = self._left_as_seen(clean, underneath, seen)
            if unchanged:
                changes = {n: v for n, v in changes.items() if n not in unchanged}
                clean = validated(dataclasses.replace(current, **changes), self.today)
            base.update({name: seen[name] for name in underneath - unchanged})
        check_references(self.session, [clean])
        diff = {
            name: to_json(spec, getattr(clean, name))
            for name, spec in cls.FIELDS.items()
            if name in changes and getattr(clean, name) != getattr(current, name)
        }
        if not diff:
            return current
        if "nhs_number" in diff and not self.allow_duplicate_nhs:
            identity.check_nhs_number(self.session, clean)
        op = self._emit(clean, OpAction.UPDATE, diff, row=row, winners=winners,
                        base={name: base[name] for name in diff})
        # This edit is the newest, so it won every field it changed: the store holds
        # `clean`; only the review flag may have changed, so only it is read back.
        table = ENTITY_TABLES[cls.KIND]
        flagged = self.session.scalar(select(table.c.needs_review)
                                      .where(table.c.id == entity_id))
        held = dataclasses.replace(
            current.provenance, updated_by=op.author, updated_at=stamp_time(op),
            needs_review=bool(flagged),
            stamps={**current.provenance.stamps, **dict.fromkeys(diff, str(op.stamp))})
        return dataclasses.replace(clean, provenance=held)

    def _left_as_seen(self, clean: Entity, names: Collection[str],
                      seen: Mapping[str, str]) -> set[str]:
        """Of fields changed underneath, those the editor left at the value they saw."""
        kept = set()
        for name in names:
            spec = clean.FIELDS[name]
            if to_json(spec, getattr(clean, name)) == value_at(
                    self.session, clean.id, name, seen[name]):
                kept.add(name)
        return kept

    def delete(self, cls: type[Entity], entity_id: str) -> None:
        """Mark an entity deleted (a tombstone: history and values stay)."""
        entity = load(self.session, cls, entity_id)
        self._emit(entity, OpAction.DELETE, {})

    def restore(self, cls: type[E], entity_id: str) -> E:
        entity = load(self.session, cls, entity_id, deleted=True)
        if entity.provenance and entity.provenance.deleted:
            self._emit(entity, OpAction.RESTORE, {})
        return load(self.session, cls, entity_id)

    def settle(self, cls: type[E], entity_id: str, values: Mapping[str, Any]) -> E:
        """Settle what needs review on an entity: set ``values`` (the coordinator's
        choices, possibly the values standing now) having seen every competing one.
        Used through :mod:`eolcare.store.review`."""
        current, row = _load_with_row(self.session, cls, entity_id)
        clean = validated(dataclasses.replace(current, **values), self.today)
        changes: dict[str, JSON] = {name: to_json(cls.FIELDS[name], getattr(clean, name))
                                    for name in values}
        self._emit(clean, OpAction.UPDATE, {**changes, reviews.REVIEWED: True}, row=row)
        return load(self.session, cls, entity_id)

    def _emit(self, entity: Entity, action: OpAction, changes: dict[str, JSON], *,
              row: RowMapping | None = None, winners: dict[str, str] | None = None,
              base: dict[str, str] | None = None) -> Operation:
        accounts.check_may_edit(self.session)  # a team viewer reads, never writes
        # Only an edit replaces earlier values: a creation or delete has none to read.
        if winners is None and action is OpAction.UPDATE:
            winners = _winning_stamps(self.session, entity.id)
        if base is None:
            base = ({name: winners.get(name, "") for name in changes}
                    if winners is not None else {})
        op = Operation(
            kind=entity.KIND, entity_id=entity.id, action=action, stamp=self.clock.now(),
            author=self.author, changes=changes, record_id=entity.owner_id, base=base,
        )
        apply_operation(self.session, op, local=True, winners=winners, row=row)
        self.operations.append(op)
        return op


def creation_changes(entity: Entity) -> dict[str, JSON]:
    """What the operation creating ``entity`` carries: every field that has a value."""
    return {name: to_json(spec, value) for name, spec in entity.FIELDS.items()
            if (value := getattr(entity, name)) is not None}


def check_references(session: Session, entities: Sequence[Entity], *,
                     new: bool = False) -> None:
    """Every reference points at a live entity of ``entities`` or of the store, and,
    when the entities are ``new``, none of their ids is taken."""
    given: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        given[e.KIND].add(e.id)
    wanted: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for e in entities:
        for name, spec in e.FIELDS.items():
            target = getattr(e, name)
            if spec.ref and target is not None and not (new and target in given[spec.ref]):
                wanted[spec.ref][target].add(spec.label)
    problems: dict[str, Problem] = {}
    for kind, targets in wanted.items():
        missing = set(targets) - present_ids(session, kind, targets, alive=True)
        for target in missing:
            for label in targets[target]:
                problems[label] = Problem(label, "refers to a record that does not exist")
    if problems:
        raise ValidationError(list(problems.values()))
    if new and any(present_ids(session, kind, ids) for kind, ids in given.items()):
        raise ValidationError(Problem("id", "a record with this id already exists"))


def present_ids(session: Session, kind: str, ids: Collection[str], *,
                alive: bool = False) -> set[str]:
    """Which of ``ids`` the store holds an entity of ``kind`` for (only live ones if
    ``alive``; a tombstone otherwise counts)."""
    table = ENTITY_TABLES[kind]
    found: set[str] = set()
    listed = sorted(ids)
    for i in range(0, len(listed), _IN_CHUNK):
        query = select(table.c.id).where(table.c.id.in_(listed[i:i + _IN_CHUNK]))
        if alive:
            query = query.where(table.c.deleted_stamp.is_(None))
        found.update(session.scalars(query))
    return found


def log_values(op: Operation, *, local: bool, applied_at: datetime) -> dict[str, Any]:
    """The operation-log row of an operation (all but its ``seq``)."""
    return {
        "op_id": op.op_id, "stamp": str(op.stamp), "device": op.device, "author": op.author,
        "kind": op.kind, "entity_id": op.entity_id, "record_id": op.record_id,
        "action": op.action.value, "changes": dict(op.changes), "base": dict(op.base) or None,
        "local": local, "applied_at": applied_at,
    }


def apply_operation(session: Session, op: Operation, *, local: bool,
                    winners: dict[str, str] | None = None,
                    row: RowMapping | None = None) -> bool:
    """Apply one operation; False when it was already applied (same ``op_id``).

    ``winners`` (each field's winning stamp) and ``row`` (the entity's current
    row) may be passed by a caller that has just read them in this transaction,
    to save reading them again.
    """
    seen = session.scalar(select(OperationRow.seq).where(OperationRow.op_id == op.op_id))
    if seen is not None:
        return False
    cls = KINDS.get(op.kind)
    if cls is None:
        raise ValidationError(Problem("kind", "an operation names an unknown kind of record"))
    at = stamp_time(op)
    logged = session.execute(insert(OPERATIONS).values(
        log_values(op, local=local, applied_at=datetime.now(UTC))))
    seq: int = logged.inserted_primary_key[0]  # type: ignore[attr-defined]
    if local:
        session.execute(insert(OUTBOX).values(op_seq=seq))
    if row is None:
        row = load_row(session, op.kind, op.entity_id)
    table = ENTITY_TABLES[op.kind]
    stamp = str(op.stamp)
    if row is None and op.action is OpAction.CREATE:
        # A new entity: its values are the operation's. The creation shows in the
        # history through the operation log; it is not copied into field_change.
        session.execute(insert(table).values(new_row(op, cls)))
        search.refresh(session, op.kind, op.entity_id)
        return True
    if row is None:  # an edit or delete that arrived before the creation
        session.execute(insert(table).values(new_row(op)))
        row = load_row(session, op.kind, op.entity_id)
        assert row is not None
    values, review = _merge_fields(session, cls, op, seq, row, winners=winners)
    values.update(_merge_tombstone(session, op, seq, row))
    if stamp >= row["updated_stamp"]:
        values.update(updated_at=at, updated_by=op.author, updated_stamp=stamp)
    if review:
        values["needs_review"] = True
    if values:
        session.execute(update(table).where(table.c.id == op.entity_id).values(**values))
    if op.changes.get(reviews.REVIEWED) and not review and row["needs_review"] \
            and not reviews.still_flagged(session, cls, op.entity_id):
        session.execute(update(table).where(table.c.id == op.entity_id)
                        .values(needs_review=False))
    search.refresh(session, op.kind, op.entity_id)
    return True


def stamp_time(op: Operation) -> datetime:
    """When an operation was made, from its HLC stamp (what "last updated on" shows)."""
    return datetime.fromtimestamp(op.stamp.wall_ms / 1000, UTC)


def new_row(op: Operation, cls: type[Entity] | None = None) -> dict[str, Any]:
    """The row an operation creates: provenance, and the fields when ``cls`` is given."""
    at = stamp_time(op)
    stamp = str(op.stamp)
    row: dict[str, Any] = {
        "id": op.entity_id, "created_at": at, "created_by": op.author, "updated_at": at,
        "updated_by": op.author, "updated_stamp": stamp, "needs_review": False,
        "deleted_stamp": stamp if op.action is OpAction.DELETE else None,
    }
    if cls is not None:
        row.update(_no_values(cls.KIND))
        fields = cls.FIELDS
        for name, raw in op.changes.items():
            spec = fields.get(name)
            if spec is None or raw is None:
                continue  # a field a newer version added, or one left empty
            if spec.type in _PLAIN:
                row[name] = raw  # what json_to_columns gives, without the call
            else:
                row.update(json_to_columns(spec, raw))
    return row


@cache
def _no_values(kind: str) -> dict[str, Any]:
    """Every field column of ``kind``, empty (in the order of its fields)."""
    return {column: None for spec in KINDS[kind].FIELDS.values()
            for column in json_to_columns(spec, None)}


_PLAIN = frozenset({FieldType.TEXT, FieldType.BOOL, FieldType.INT, FieldType.REF})


def value_at(session: Session, entity_id: str, name: str, stamp: str) -> JSON:
    """The JSON value a field of an entity had at ``stamp`` (one of its winning stamps;
    "" for the value it was created with)."""
    if stamp:
        return session.scalar(
            select(FieldChangeRow.new).where(FieldChangeRow.entity_id == entity_id,
                                             FieldChangeRow.field == name,
                                             FieldChangeRow.stamp == stamp).limit(1))
    created = session.scalar(
        select(OperationRow.changes).where(OperationRow.entity_id == entity_id,
                                           OperationRow.action == OpAction.CREATE.value)
        .order_by(OperationRow.stamp).limit(1))
    return (created or {}).get(name)


def _winning_stamps(session: Session, entity_id: str) -> dict[str, str]:
    rows = session.execute(
        select(FieldChangeRow.field, func.max(FieldChangeRow.stamp))
        .where(FieldChangeRow.entity_id == entity_id, FieldChangeRow.won.is_(True))
        .group_by(FieldChangeRow.field)
    )
    return {name: latest for name, latest in rows}  # noqa: C416 (rows are Row objects)


def _merge_fields(session: Session, cls: type[Entity], op: Operation, seq: int,
                  row: RowMapping, *, winners: dict[str, str] | None
                  ) -> tuple[dict[str, Any], bool]:
    """Column values the operation wins, and whether it was a concurrent significant edit."""
    if not op.changes:
        return {}, False
    stamp = str(op.stamp)
    if winners is None:
        winners = _winning_stamps(session, op.entity_id)
    current = row_to_entity(cls, row)
    values: dict[str, Any] = {}
    review = False
    for name, new in op.changes.items():
        spec = cls.FIELDS.get(name)
        if spec is None:
            continue  # a field a newer version added: kept in the log, not shown
        old = to_json(spec, getattr(current, name))
        winner = winners.get(name, "")
        won = stamp > winner
        if won:
            values.update(json_to_columns(spec, new))
        if spec.significant and new != old and op.action is not OpAction.CREATE:
            # Ops arrive in server order and clocks observe every stamp received, so
            # an older edit arriving now was made without seeing the current value, and
            # a newer one whose base is not the current value's stamp was too: both
            # sides of a concurrent edit get flagged.
            review = review or not won or (winner != "" and op.base.get(name) != winner)
        session.add(FieldChangeRow(
            op_seq=seq, kind=op.kind, entity_id=op.entity_id, record_id=op.record_id,
            field=name, old=old if won else None, new=new, stamp=stamp,
            author=op.author, device=op.device, won=won,
        ))
    return values, review


def _merge_tombstone(session: Session, op: Operation, seq: int,
                     row: RowMapping) -> dict[str, Any]:
    stamp = str(op.stamp)
    deleted = row["deleted_stamp"]
    won = True
    if op.action is OpAction.DELETE:
        if deleted is not None and deleted >= stamp:
            return {}
        change: dict[str, Any] = {"deleted_stamp": stamp}
        if deleted is None and row["updated_stamp"] > stamp:
            # An edit or restore made after this delete (on another device) arrived
            # first: the record stays, as it would had that arrived second, and an edit
            # flags it the same way.
            won = False
            change = {"needs_review": True} if _edited_after(session, op) else {}
    elif deleted is not None and stamp > deleted:
        # A restore, or an edit made after a delete (on another device), brings the
        # record back; the edit flags it so a coordinator looks at it.
        change = {"deleted_stamp": None}
        if op.action is not OpAction.RESTORE:
            change["needs_review"] = True
    else:
        return {}
    session.add(FieldChangeRow(
        op_seq=seq, kind=op.kind, entity_id=op.entity_id, record_id=op.record_id,
        field=DELETED, old=deleted is not None,
        new=change["deleted_stamp"] is not None if won else True,
        stamp=stamp, author=op.author, device=op.device, won=won,
    ))
    return change


def _edited_after(session: Session, op: Operation) -> bool:
    """Whether an edit (not a delete or restore) of the entity is stamped after ``op``."""
    return session.scalar(
        select(OperationRow.seq).where(
            OperationRow.entity_id == op.entity_id, OperationRow.stamp > str(op.stamp),
            OperationRow.action.in_((OpAction.CREATE.value, OpAction.UPDATE.value)),
        ).limit(1)
    ) is not None

