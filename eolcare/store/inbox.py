"""Sync's two queues in the store: operations going out, and pages coming in.

Going out: every local operation waits in the outbox, in the order it was
made, until the server has accepted it (:func:`pending`, :func:`acknowledge`).

Coming in: :func:`receive` applies one page of operations pulled from a feed
(a team's operations on the server) and stores how far the feed has been
pulled, in the writer's one transaction, so a crash can neither skip nor
half-apply a page. Every stamp moves this device's clock on first, and a stamp
too far ahead refuses the whole page. Applying a page again changes nothing
(operations are known by their id), so after a lost response the sync client
may simply pull the same page again. A page that creates many entities (a
first sync of a large team) writes those creations in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from eolcare.domain.entities import KINDS
from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import OpAction, Operation
from eolcare.store import accounts
from eolcare.store.bulk import Prepared, write_received
from eolcare.store.tables import ENTITY_TABLES, OperationRow, OutboxRow, SyncCursorRow, last_key
from eolcare.store.writes import Writer, apply_operation, present_ids

_IN_CHUNK = 500


@dataclass(frozen=True)
class Outgoing:
    """A local operation waiting for the server: ``seq`` is what :func:`acknowledge` takes."""

    seq: int
    operation: Operation


@dataclass(frozen=True)
class Received:
    """What :func:`receive` did with a page."""

    applied: int  #: operations new to this store, applied now
    already: int  #: operations this store had (from an earlier pull, or its own)
    cursor: int  #: the feed's cursor as stored now
    #: Entities this page flagged "needs review" that were not flagged before it.
    flagged: frozenset[str] = frozenset()


def operation_from_row(row: OperationRow) -> Operation:
    """The operation a row of the log holds, exactly as it was made (``base`` included)."""
    return Operation(
        op_id=row.op_id, kind=row.kind, entity_id=row.entity_id, record_id=row.record_id,
        action=OpAction(row.action), stamp=Stamp.parse(row.stamp), author=row.author,
        changes=dict(row.changes or {}), base=dict(row.base or {}),
    )


def pending(session: Session, limit: int | None = None) -> list[Outgoing]:
    """Local operations not yet accepted by the server, oldest first."""
    # The outbox drives the query: joined the other way SQLite walked the whole log in
    # seq order (300,000 rows on a large caseload: 0.6 s for a push of 10 changes).
    waiting = select(OutboxRow.op_seq).order_by(OutboxRow.op_seq).limit(limit)
    rows = session.scalars(
        select(OperationRow).where(OperationRow.seq.in_(waiting)).order_by(OperationRow.seq)
    )
    return [Outgoing(row.seq, operation_from_row(row)) for row in rows]


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxRow)) or 0


def acknowledge(session: Session, seqs: Iterable[int]) -> int:
    """Take operations the server accepted out of the outbox; returns how many were there."""
    listed = sorted(set(seqs))
    removed = 0
    for i in range(0, len(listed), _IN_CHUNK):
        result = session.execute(
            delete(OutboxRow).where(OutboxRow.op_seq.in_(listed[i:i + _IN_CHUNK])))
        removed += result.rowcount  # type: ignore[attr-defined]
    return removed


def cursor(session: Session, feed: str) -> int:
    """How far ``feed`` has been pulled (the server's seq of the last operation applied)."""
    return session.scalar(select(SyncCursorRow.seq).where(SyncCursorRow.feed == feed)) or 0


def digest(session: Session, feed: str) -> bytes | None:
    """What the sync client stored with :func:`set_digest` for ``feed``."""
    return session.scalar(select(SyncCursorRow.digest).where(SyncCursorRow.feed == feed))


def set_digest(session: Session, feed: str, value: bytes | None) -> None:
    row = session.get(SyncCursorRow, feed)
    if row is None:
        session.add(SyncCursorRow(feed=feed, seq=0, digest=value))
    else:
        row.digest = value


def forget_feed(session: Session, feed: str) -> None:
    """Drop a feed's cursor and digest (leaving a team): the next pull starts again."""
    session.execute(delete(SyncCursorRow).where(SyncCursorRow.feed == feed))


class Known:
    """What the store holds, kept in memory while one large pull writes: the ids of the
    operations in its log and of its entities (tombstones included), by kind.

    :func:`receive` asks it instead of looking each id up: in a first sync of
    300,000 operations the look-ups cost 4-5 s, as each reads index pages the
    writing pushes out of the page cache. It stays exact: made from the store,
    told what each page wrote, and caught up (:meth:`catch_up`, at the start of
    every transaction) with whatever else was written since, by the log's seq.
    An entity that has an operation in the log counts as present, which is at
    worst cautious: such a creation is merged instead of written in bulk.
    """

    def __init__(self, session: Session) -> None:
        self.ops: set[str] = set(session.scalars(select(OperationRow.op_id)))
        self.entities: dict[str, set[str]] = {
            kind: set(session.scalars(select(ENTITY_TABLES[kind].c.id))) for kind in KINDS}
        self.seq = last_key(session, OperationRow.seq)

    def catch_up(self, session: Session) -> None:
        """Take in what was written since this knew the store (a transaction's first step)."""
        rows = session.execute(select(OperationRow.seq, OperationRow.op_id, OperationRow.kind,
                                      OperationRow.entity_id).where(OperationRow.seq > self.seq))
        for seq, op_id, kind, entity_id in rows:
            self.ops.add(op_id)
            self.entities.setdefault(kind, set()).add(entity_id)
            self.seq = max(self.seq, seq)

    def present(self, kind: str, ids: Iterable[str]) -> set[str]:
        held = self.entities.get(kind, set())
        return {i for i in ids if i in held}


def receive(writer: Writer, feed: str, ops: Sequence[Operation], cursor: int, *,
            known: Known | None = None, prepared: Mapping[str, Prepared] | None = None
            ) -> Received:
    """Apply a page of operations pulled from ``feed`` and store ``cursor`` with them.

    Everything happens in ``writer``'s transaction. The clock observes every
    stamp before anything is written: a stamp too far ahead raises
    :class:`~eolcare.domain.errors.ClockError` and nothing of the page is
    applied. Creations of entities this store does not have are written in
    bulk; every other operation goes through
    :func:`~eolcare.store.writes.apply_operation`, the one merge every write
    uses. The stored cursor never moves back (pulling an old page again keeps
    the cursor where it was). A large pull passes what the store holds as
    ``known`` (:class:`Known`, caught up at each transaction's start), and may pass
    the rows of its creations built ahead (:func:`~eolcare.store.bulk.prepare_received`).
    """
    for op in ops:
        writer.clock.observe(op.stamp)
    session = writer.session
    seen = known.ops if known is not None else _known_op_ids(session, [op.op_id for op in ops])
    fresh: list[Operation] = []
    for op in ops:
        if op.op_id not in seen:
            seen.add(op.op_id)
            fresh.append(op)
    in_bulk = _new_creations(session, fresh, known)
    write_received(session, in_bulk, prepared)
    bulk_ids = {op.op_id for op in in_bulk}
    merged = [op for op in fresh if op.op_id not in bulk_ids]
    # Only a merge can flag a record (a creation in bulk never does): their flags are
    # read before and after, not every entity's of the page.
    touched: dict[str, set[str]] = {}
    for op in merged:
        touched.setdefault(op.kind, set()).add(op.entity_id)
    before = accounts.flagged(session, touched) if touched else set()
    for op in merged:
        apply_operation(session, op, local=False)
    flagged = accounts.flagged(session, touched) - before if touched else set()
    if known is not None:  # what this page wrote (its op ids are in ``seen`` already)
        for op in fresh:
            known.entities.setdefault(op.kind, set()).add(op.entity_id)
        known.seq = last_key(session, OperationRow.seq)
    stored = _store_cursor(session, feed, cursor)
    return Received(applied=len(fresh), already=len(ops) - len(fresh), cursor=stored,
                    flagged=frozenset(flagged))


def _known_op_ids(session: Session, op_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(op_ids), _IN_CHUNK):
        found.update(session.scalars(
            select(OperationRow.op_id).where(OperationRow.op_id.in_(op_ids[i:i + _IN_CHUNK]))))
    return found


def _new_creations(session: Session, ops: Sequence[Operation], known: Known | None
                   ) -> list[Operation]:
    """Creations that are the first operation of the page for an entity the store lacks.

    Written before the rest of the page, they give the same result as applying
    the page in order: nothing earlier in the page touched their entity.
    """
    first: set[str] = set()
    candidates: dict[str, list[Operation]] = {}
    for op in ops:
        if op.entity_id in first:
            continue
        first.add(op.entity_id)
        if op.action is OpAction.CREATE and op.kind in KINDS:
            candidates.setdefault(op.kind, []).append(op)
    found: list[Operation] = []
    for kind, listed in candidates.items():
        ids = {op.entity_id for op in listed}
        present = (known.present(kind, ids) if known is not None
                   else present_ids(session, kind, ids))
        found += [op for op in listed if op.entity_id not in present]
    return found


def _store_cursor(session: Session, feed: str, seq: int) -> int:
    row = session.get(SyncCursorRow, feed)
    if row is None:
        session.add(SyncCursorRow(feed=feed, seq=seq))
        return seq
    row.seq = max(row.seq, seq)
    return row.seq
