"""The team log: append under the per-team lock, read by seq.

Why a lock and not a database sequence: with a sequence, transaction A can
take seq 7 and B seq 8, and B commit first; a reader that pulls after B's
commit sees 8, moves its cursor past 7, and never sees A's change. Taking
the team row's lock before allocating makes commit order equal seq order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import HTTPException, status
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from eolcare.server.auth import Principal
from eolcare.server.models import Change, Team, TeamKey, utcnow
from eolcare.sync import protocol

#: A pull page stops early once its blobs pass this many bytes.
MAX_PULL_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Head:
    seq: int
    digest: bytes
    epoch: int


def lock_team(session: Session, team_id: str) -> Head:
    """Take the team row's write lock for the rest of the transaction.

    On PostgreSQL the no-op UPDATE locks the row; on SQLite the transaction
    already holds the database write lock (BEGIN IMMEDIATE).
    """
    row = session.execute(
        update(Team).where(Team.id == team_id).values(head=Team.head)
        .returning(Team.head, Team.digest, Team.epoch)
    ).one()
    return Head(row.head, row.digest, row.epoch)


def append(session: Session, team_id: str, who: Principal,
           ops: list[protocol.Op]) -> protocol.PushResponse:
    """Store a batch's new operations; ones already stored (a retry) are reported, not added."""
    _check_epoch(session, team_id, who.account_id, _epoch(session, team_id), ops)
    head = lock_team(session, team_id)
    if head.epoch != ops[0].epoch:  # a new epoch began while we waited for the lock
        _check_epoch(session, team_id, who.account_id, head.epoch, ops)
    known = {
        row.op_id: _Known(row.op_id, row.seq, row.blob)
        for row in session.execute(
            select(Change.op_id, Change.seq, Change.blob)
            .where(Change.team_id == team_id, Change.op_id.in_({op.op_id for op in ops}))
        )
    }
    results: list[protocol.PushResult] = []
    rows: list[dict[str, object]] = []
    seq, digest, now = head.seq, head.digest, utcnow()
    for op in ops:
        if op.op_id in known:
            results.append(_duplicate(op, known[op.op_id].seq, known[op.op_id].blob))
            continue
        seq += 1
        digest = protocol.chain_digest(digest, seq, op.op_id, op.blob)
        rows.append({"team_id": team_id, "seq": seq, "op_id": op.op_id,
                     "record_id": op.record_id, "device_id": who.device_id,
                     "author_id": who.account_id, "epoch": op.epoch, "blob": op.blob,
                     "digest": digest, "created_at": now})
        known[op.op_id] = _Known(op.op_id, seq, op.blob)
        results.append(protocol.PushResult(op_id=op.op_id, seq=seq, stored=True))
    if rows:
        session.execute(insert(Change), rows)
        session.execute(update(Team).where(Team.id == team_id).values(head=seq, digest=digest))
    return protocol.PushResponse(results=results, head=seq)


@dataclass(frozen=True)
class _Known:
    op_id: str
    seq: int
    blob: bytes


def _duplicate(op: protocol.Op, seq: int, blob: bytes) -> protocol.PushResult:
    if hashlib.sha256(blob).digest() != hashlib.sha256(op.blob).digest():
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"operation {op.op_id} was already pushed with different content",
        )
    return protocol.PushResult(op_id=op.op_id, seq=seq, stored=False)


def _epoch(session: Session, team_id: str) -> int:
    epoch = session.scalar(select(Team.epoch).where(Team.id == team_id))
    assert epoch is not None  # the caller checked membership
    return epoch


def _check_epoch(session: Session, team_id: str, account_id: str, epoch: int,
                 ops: list[protocol.Op]) -> None:
    """New operations must use the current team key, which the pusher must hold.

    Checked before taking the lock, to keep the lock short.
    """
    if any(op.epoch != epoch for op in ops):
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"the team key changed: encrypt with epoch {epoch} and push again",
        )
    if session.get(TeamKey, (team_id, epoch, account_id)) is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"no key for epoch {epoch} has been shared with you yet; ask a team admin",
        )


def page(session: Session, team_id: str, after: int, limit: int) -> protocol.PullResponse:
    """Changes with seq > after, in seq order, at most `limit` and about MAX_PULL_BYTES."""
    head = session.scalar(select(Team.head).where(Team.id == team_id))
    assert head is not None  # the caller checked membership
    rows = session.execute(
        select(Change.seq, Change.op_id, Change.record_id, Change.device_id, Change.author_id,
               Change.epoch, Change.blob)
        .where(Change.team_id == team_id, Change.seq > after, Change.seq <= head)
        .order_by(Change.seq).limit(limit)
    )
    changes: list[protocol.Change] = []
    size = 0
    for row in rows:
        if changes and size + len(row.blob) > MAX_PULL_BYTES:
            break
        size += len(row.blob)
        # rows from our own log need no validation: construct, don't validate
        changes.append(protocol.Change.model_construct(**row._asdict()))
    last = changes[-1].seq if changes else max(after, 0)
    return protocol.PullResponse(changes=changes, head=head, more=last < head)


def digest_at(session: Session, team_id: str, seq: int | None) -> protocol.Digest:
    team = session.get_one(Team, team_id)
    if seq is None or seq == team.head:
        return protocol.Digest(seq=team.head, digest=team.digest)
    if seq == 0:
        return protocol.Digest(seq=0, digest=protocol.DIGEST_ZERO)
    if seq > team.head:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"the log ends at {team.head}")
    digest = session.scalar(select(Change.digest).where(Change.team_id == team_id,
                                                        Change.seq == seq))
    assert digest is not None  # seqs are dense from 1 to head
    return protocol.Digest(seq=seq, digest=digest)
