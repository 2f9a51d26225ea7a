"""The team log: append under the per-team lock, read by seq.

Why a lock and not a database sequence: with a sequence, transaction A can
take seq 7 and B seq 8, and B commit first; a reader that pulls after B's
commit sees 8, moves its cursor past 7, and never sees A's change. Taking
the team row's lock before allocating makes commit order equal seq order.

Push and pull are the hot path (every laptop, every few seconds), so they run
on SQLAlchemy Core in one transaction each: the caller's token, device,
membership, role and the team's epoch and head come back from one query
(`caller`), and the audit row is written in the same transaction.

This module is the log on any database, one statement per step, as SQLite
runs it; `changelog_pg` does the same on PostgreSQL in fewer statements and
holds the team lock only inside one statement. The rules (and the checks and
the JSON they share) live here.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from fastapi import HTTPException, status
from sqlalchemy import (
    Connection,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from eolcare.server import access
from eolcare.server.auth import ACCESS, NOT_SIGNED_IN, Principal
from eolcare.server.models import (
    Audit,
    Change,
    Device,
    Membership,
    Team,
    TeamKey,
    Token,
    utcnow,
)
from eolcare.sync import crypto, protocol

#: A pull page stops early once its blobs pass this many bytes.
MAX_PULL_BYTES = 4 * 1024 * 1024

_change = cast(Table, Change.__table__)
_team = cast(Table, Team.__table__)
_audit = cast(Table, Audit.__table__)


@dataclass(frozen=True)
class Caller:
    """The authenticated caller and their place in one team, from a single query."""

    who: Principal
    role: str
    epoch: int
    head: int
    has_key: bool


@dataclass(frozen=True)
class Lock:
    """The team row as the push's lock found it: the log's head, digest and key epoch."""

    head: int
    digest: bytes
    epoch: int


@dataclass(frozen=True)
class Page:
    """A pull page, already as the JSON of a PullResponse."""

    json: bytes
    count: int


def caller_query() -> Select[str, str, str | None, int | None, int | None, bool]:
    key_held = exists().where(TeamKey.team_id == Team.id, TeamKey.epoch == Team.epoch,
                              TeamKey.account_id == Device.account_id)
    return (
        select(Device.account_id, Device.id, Membership.role, Team.epoch, Team.head,
               key_held.label("has_key"))
        .select_from(Token)
        .join(Device, Token.device_id == Device.id)
        .outerjoin(Membership, and_(Membership.team_id == bindparam("team_id"),
                                    Membership.account_id == Device.account_id))
        .outerjoin(Team, Team.id == Membership.team_id)
        .where(Token.hash == bindparam("token_hash"), Token.kind == ACCESS,
               Token.expires_at > bindparam("now"), Device.revoked_at.is_(None))
    )


def page_query() -> Select[int, str, str, str, str, int, bytes]:
    return (
        select(_change.c.seq, _change.c.op_id, _change.c.record_id, _change.c.device_id,
               _change.c.author_id, _change.c.epoch, _change.c.blob)
        .where(_change.c.team_id == bindparam("team_id"), _change.c.seq > bindparam("after"))
        .order_by(_change.c.seq).limit(bindparam("limit"))
    )


_LOCK = (update(_team).where(_team.c.id == bindparam("team_id")).values(head=_team.c.head)
         .returning(_team.c.head, _team.c.digest, _team.c.epoch))


# The hot path's statements are built once: SQLAlchemy then finds each one's compiled
# form in its cache without building and hashing a new statement per request.
_CALLER = caller_query()
_KEY_HELD = select(TeamKey.epoch).where(
    TeamKey.team_id == bindparam("team_id"), TeamKey.epoch == bindparam("epoch"),
    TeamKey.account_id == bindparam("account_id"))
_KNOWN = select(_change.c.op_id, _change.c.seq, _change.c.blob, _change.c.record_id,
                _change.c.epoch).where(
    _change.c.team_id == bindparam("team_id"),
    _change.c.op_id.in_(bindparam("op_ids", expanding=True)))
_INSERT = insert(_change)
_SET_HEAD = update(_team).where(_team.c.id == bindparam("team_id")).values(
    head=bindparam("new_head"), digest=bindparam("new_digest"))
_PAGE = page_query().where(_change.c.seq <= bindparam("head"))
_AUDIT = insert(_audit)


def params(token: str, team_id: str) -> dict[str, object]:
    """The caller query's parameters. `token` comes from `deps.bearer_token`, which has
    already refused a missing or over-long one."""
    return {"token_hash": crypto.token_hash(token), "team_id": team_id, "now": utcnow()}


def authenticated(row: Sequence[Any] | None, allowed: frozenset[str]) -> Caller:
    """401 for no row (unknown, expired or revoked token); 404 / 403 from the role."""
    if row is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN,
                            headers={"WWW-Authenticate": "Bearer"})
    account_id, device_id, role, epoch, head, has_key = row[:6]
    role = access.check_role(role, allowed)
    assert epoch is not None  # a membership implies its team
    assert head is not None
    return Caller(Principal(account_id, device_id), role, epoch, head, bool(has_key))


def caller(conn: Connection, token: str, team_id: str, allowed: frozenset[str]) -> Caller:
    """Authenticate (401) and check the role in the team (404 / 403) in one round trip.

    The same rules as `deps.principal` followed by `access.require_role`.
    """
    row = conn.execute(_CALLER, params(token, team_id)).one_or_none()
    return authenticated(row, allowed)


def lock_team(conn: Connection, team_id: str) -> Lock:
    """The team row's write lock for the rest of the transaction.

    On SQLite the transaction already holds the database's write lock (BEGIN
    IMMEDIATE) and the no-op UPDATE reads the row; elsewhere it locks the row.
    """
    return Lock(*conn.execute(_LOCK, {"team_id": team_id}).one())


def append(conn: Connection, team_id: str, me: Caller, lock: Lock, ops: list[protocol.Op], *,
           address: str) -> bytes:
    """Store a batch's new operations and its audit row; the JSON of the PushResponse.

    Ops already stored (a retry) are reported, not added. The caller holds `lock`.
    """
    known: dict[str, Stored] = {
        op_id: Stored(seq, blob, record_id, epoch)
        for op_id, seq, blob, record_id, epoch in conn.execute(
            _KNOWN, {"team_id": team_id, "op_ids": list({op.op_id for op in ops})})
    }
    batch = Batch.sort(ops, known)
    if batch.new:
        if lock.epoch == me.epoch:
            check_epoch(lock.epoch, me.has_key, batch.new)
        else:  # a new epoch began before the lock was ours
            held = conn.execute(_KEY_HELD, {"team_id": team_id, "epoch": lock.epoch,
                                            "account_id": me.who.account_id}).first()
            check_epoch(lock.epoch, held is not None, batch.new)
    rows: list[dict[str, object]] = []
    seq, digest, now = lock.head, lock.digest, utcnow()
    for op in batch.new:
        seq += 1
        digest = protocol.chain_digest(digest, seq, op.op_id, op.blob)
        rows.append({"team_id": team_id, "seq": seq, "op_id": op.op_id,
                     "record_id": op.record_id, "device_id": me.who.device_id,
                     "author_id": me.who.account_id, "epoch": op.epoch, "blob": op.blob,
                     "digest": digest, "created_at": now})
    if rows:
        conn.execute(_INSERT, rows)
        conn.execute(_SET_HEAD, {"team_id": team_id, "new_head": seq, "new_digest": digest})
    record(conn, "push", me.who, team_id=team_id, address=address,
           detail=f"head={seq} ops={len(rows)}")
    return batch.reply(lock.head, seq)


@dataclass(frozen=True)
class Stored:
    """What the log holds for an op id: its seq and what a retry must repeat exactly."""

    seq: int
    blob: bytes
    record_id: str
    epoch: int


@dataclass(frozen=True)
class Batch:
    """A push's ops sorted into those already stored and those to add, in order."""

    ops: list[protocol.Op]
    known: dict[str, Stored]  # by op_id, the stored ops
    new: list[protocol.Op]

    @classmethod
    def sort(cls, ops: list[protocol.Op], known: dict[str, Stored]) -> Batch:
        """An op repeated in one batch is added once; a stored op must not have changed
        (its blob, record id and epoch: a retry repeats the op exactly)."""
        new: list[protocol.Op] = []
        first: dict[str, protocol.Op] = {}
        for op in ops:
            if op.op_id in known:
                stored = known[op.op_id]
                same_content(op, stored.blob, stored.record_id, stored.epoch)
            elif op.op_id in first:
                earlier = first[op.op_id]
                same_content(op, earlier.blob, earlier.record_id, earlier.epoch)
            else:
                first[op.op_id] = op
                new.append(op)
        return cls(ops, known, new)

    def reply(self, head_before: int, head: int) -> bytes:
        """The PushResponse JSON once the new ops hold seqs head_before+1 .. head."""
        seqs = {op.op_id: head_before + i for i, op in enumerate(self.new, start=1)}
        assert head == head_before + len(self.new)
        results = [{"op_id": op.op_id, "seq": self.known[op.op_id].seq, "stored": False}
                   if op.op_id in self.known else
                   {"op_id": op.op_id, "seq": seqs[op.op_id], "stored": True}
                   for op in self.ops]
        return json.dumps({"results": results, "head": head}, separators=(",", ":")).encode()


def same_content(op: protocol.Op, blob: bytes, record_id: str, epoch: int) -> None:
    """409 unless `op` is the op already seen under its id: a client that reuses an op id
    for anything else has a bug, or is being fooled into overwriting history."""
    if (op.record_id != record_id or op.epoch != epoch
            or hashlib.sha256(blob).digest() != hashlib.sha256(op.blob).digest()):
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"operation {op.op_id} was already pushed with a different record, key epoch "
            "or content; a retry must send the same operation",
        )


def check_epoch(epoch: int, has_key: bool, ops: list[protocol.Op]) -> None:
    """New operations must use the current team key, which the pusher must hold.

    Ops already stored are exempt: a retry after the key changed still gets its seqs.
    """
    if any(op.epoch != epoch for op in ops):
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"the team key changed: encrypt with epoch {epoch} and push again",
        )
    if not has_key:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"no key for epoch {epoch} has been shared with you yet; ask a team admin",
        )


def page(conn: Connection, team_id: str, head: int, after: int, limit: int) -> Page:
    """Changes with seq > after up to `head`, in seq order, at most `limit`."""
    rows = conn.execute(_PAGE, {"team_id": team_id, "after": after, "head": head,
                                "limit": limit})
    return page_json(rows, head, after)


def page_json(rows: Iterable[Sequence[Any]], head: int, after: int) -> Page:
    """The JSON of a PullResponse from change rows in seq order, cut at about
    MAX_PULL_BYTES; built straight from the rows, which need no validation."""
    changes: list[dict[str, object]] = []
    size = 0
    last = max(after, 0)
    b64 = base64.b64encode
    for seq, op_id, record_id, device_id, author_id, epoch, blob in rows:
        if changes and size + len(blob) > MAX_PULL_BYTES:
            break
        size += len(blob)
        changes.append({"seq": seq, "op_id": op_id, "record_id": record_id,
                        "device_id": device_id, "author_id": author_id, "epoch": epoch,
                        "blob": b64(blob).decode()})
        last = seq
    body = json.dumps({"changes": changes, "head": head, "more": last < head},
                      separators=(",", ":")).encode()
    return Page(body, len(changes))


def record(conn: Connection, action: str, who: Principal, *, team_id: str, address: str,
           detail: str) -> None:
    """An audit row (as `audit.record`, in Core) in the caller's transaction."""
    conn.execute(_AUDIT, {"at": utcnow(), "action": action, "account_id": who.account_id,
                          "device_id": who.device_id, "team_id": team_id,
                          "address": address, "detail": detail[:200]})


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
