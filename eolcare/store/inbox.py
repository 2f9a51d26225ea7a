"""TEMPORARY stand-in for the core engineer's inbox (same API), replaced at `git merge main`.

Keeps the cursor and digest in ``meta``; applies operations one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import Action, Operation
from eolcare.store.tables import MetaRow, OperationRow, OutboxRow
from eolcare.store.writes import Writer, apply_operation


@dataclass(frozen=True)
class Outgoing:
    seq: int
    operation: Operation


@dataclass(frozen=True)
class Received:
    applied: int
    already: int
    cursor: int


def operation_from_row(row: OperationRow) -> Operation:
    return Operation(
        op_id=row.op_id, kind=row.kind, entity_id=row.entity_id, record_id=row.record_id,
        action=Action(row.action), stamp=Stamp.parse(row.stamp), author=row.author,
        changes=dict(row.changes or {}), base=dict(row.base or {}),
    )


def pending(session: Session, limit: int | None = None) -> list[Outgoing]:
    rows = session.scalars(
        select(OperationRow).join(OutboxRow, OutboxRow.op_seq == OperationRow.seq)
        .order_by(OperationRow.seq).limit(limit))
    return [Outgoing(row.seq, operation_from_row(row)) for row in rows]


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxRow)) or 0


def acknowledge(session: Session, seqs: Iterable[int]) -> int:
    listed = sorted(set(seqs))
    if not listed:
        return 0
    result = session.execute(delete(OutboxRow).where(OutboxRow.op_seq.in_(listed)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def cursor(session: Session, feed: str) -> int:
    row = session.get(MetaRow, f"cursor:{feed}")
    return int(row.value) if row else 0


def digest(session: Session, feed: str) -> bytes | None:
    row = session.get(MetaRow, f"digest:{feed}")
    return bytes.fromhex(row.value) if row else None


def set_digest(session: Session, feed: str, value: bytes | None) -> None:
    session.merge(MetaRow(key=f"digest:{feed}", value=(value or b"").hex()))


def receive(writer: Writer, feed: str, ops: Sequence[Operation], cursor_: int) -> Received:
    for op in ops:
        writer.clock.observe(op.stamp)
    applied = sum(apply_operation(writer.session, op, local=False) for op in ops)
    stored = max(cursor(writer.session, feed), cursor_)
    writer.session.merge(MetaRow(key=f"cursor:{feed}", value=str(stored)))
    return Received(applied, len(ops) - applied, stored)
