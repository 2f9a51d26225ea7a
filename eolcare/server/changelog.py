"""The team log: append under the per-team lock, read by seq.

Why a lock and not a database sequence: with a sequence, transaction A can
take seq 7 and B seq 8, and B commit first; a reader that pulls after B's
commit sees 8, moves its cursor past 7, and never sees A's change. Taking
the team row's lock before allocating makes commit order equal seq order.

Push and pull are the hot path (every laptop, every few seconds), so they run
on SQLAlchemy Core in one transaction each: the caller's token, device,
membership, role and the team's epoch and head come back from one query
(`caller`), and the audit row is written in the same transaction.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import cast

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
from eolcare.server.models import Audit, Change, Device, Membership, Team, TeamKey, Token, utcnow
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


def _caller_query() -> Select[str, str, str | None, int | None, int | None, bool]:
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


# The hot path's statements are built once: SQLAlchemy then finds each one's compiled
# form in its cache without building and hashing a new statement per request.
_CALLER = _caller_query()
_LOCK = (update(_team).where(_team.c.id == bindparam("team_id")).values(head=_team.c.head)
         .returning(_team.c.head, _team.c.digest, _team.c.epoch))
_KEY_HELD = select(TeamKey.epoch).where(
    TeamKey.team_id == bindparam("team_id"), TeamKey.epoch == bindparam("epoch"),
    TeamKey.account_id == bindparam("account_id"))
_KNOWN = select(_change.c.op_id, _change.c.seq, _change.c.blob).where(
    _change.c.team_id == bindparam("team_id"),
    _change.c.op_id.in_(bindparam("op_ids", expanding=True)))
_INSERT = insert(_change)
_SET_HEAD = update(_team).where(_team.c.id == bindparam("team_id")).values(
    head=bindparam("new_head"), digest=bindparam("new_digest"))
_PAGE = (
    select(_change.c.seq, _change.c.op_id, _change.c.record_id, _change.c.device_id,
           _change.c.author_id, _change.c.epoch, _change.c.blob)
    .where(_change.c.team_id == bindparam("team_id"), _change.c.seq > bindparam("after"),
           _change.c.seq <= bindparam("head"))
    .order_by(_change.c.seq).limit(bindparam("limit"))
)
_AUDIT = insert(_audit)


def caller(conn: Connection, token: str, team_id: str, allowed: frozenset[str]) -> Caller:
    """Authenticate (401) and check the role in the team (404 / 403) in one round trip.

    The same rules as `deps.principal` followed by `access.require_role`.
    """
    row = None
    if len(token) <= 128:
        row = conn.execute(_CALLER, {"token_hash": crypto.token_hash(token),
                                     "team_id": team_id, "now": utcnow()}).one_or_none()
    if row is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN,
                            headers={"WWW-Authenticate": "Bearer"})
    account_id, device_id, role, epoch, head, has_key = row
    role = access.check_role(role, allowed)
    assert epoch is not None  # a membership implies its team
    assert head is not None
    return Caller(Principal(account_id, device_id), role, epoch, head, bool(has_key))


def lock_team(conn: Connection, team_id: str) -> tuple[int, bytes, int]:
    """Take the team row's write lock for the rest of the transaction: (head, digest, epoch).

    On PostgreSQL the no-op UPDATE locks the row; on SQLite the transaction
    already holds the database write lock (BEGIN IMMEDIATE).
    """
    head, digest, epoch = conn.execute(_LOCK, {"team_id": team_id}).one()
    return head, digest, epoch


def append(conn: Connection, team_id: str, me: Caller, ops: list[protocol.Op],
           address: str) -> bytes:
    """Store a batch's new operations and its audit row; the JSON of the PushResponse.

    Ops already stored (a retry) are reported, not added.
    """
    _check_epoch(me.epoch, me.has_key, ops)
    head, digest, epoch = lock_team(conn, team_id)
    if epoch != me.epoch:  # a new epoch began while we waited for the lock
        held = conn.execute(_KEY_HELD, {"team_id": team_id, "epoch": epoch,
                                        "account_id": me.who.account_id}).first()
        _check_epoch(epoch, held is not None, ops)
    known: dict[str, tuple[int, bytes]] = {
        op_id: (seq, blob)
        for op_id, seq, blob in conn.execute(
            _KNOWN, {"team_id": team_id, "op_ids": list({op.op_id for op in ops})})
    }
    results: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    seq, now = head, utcnow()
    for op in ops:
        if op.op_id in known:
            old_seq, old_blob = known[op.op_id]
            _same_content(op, old_blob)
            results.append({"op_id": op.op_id, "seq": old_seq, "stored": False})
            continue
        seq += 1
        digest = protocol.chain_digest(digest, seq, op.op_id, op.blob)
        rows.append({"team_id": team_id, "seq": seq, "op_id": op.op_id,
                     "record_id": op.record_id, "device_id": me.who.device_id,
                     "author_id": me.who.account_id, "epoch": op.epoch, "blob": op.blob,
                     "digest": digest, "created_at": now})
        known[op.op_id] = (seq, op.blob)
        results.append({"op_id": op.op_id, "seq": seq, "stored": True})
    if rows:
        conn.execute(_INSERT, rows)
        conn.execute(_SET_HEAD, {"team_id": team_id, "new_head": seq, "new_digest": digest})
    record(conn, "push", me.who, team_id=team_id, address=address,
           detail=f"head={seq} ops={len(rows)}")
    return json.dumps({"results": results, "head": seq}, separators=(",", ":")).encode()


def _same_content(op: protocol.Op, blob: bytes) -> None:
    if hashlib.sha256(blob).digest() != hashlib.sha256(op.blob).digest():
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"operation {op.op_id} was already pushed with different content",
        )


def _check_epoch(epoch: int, has_key: bool, ops: list[protocol.Op]) -> None:
    """New operations must use the current team key, which the pusher must hold.

    Checked before taking the lock, to keep the lock short.
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


@dataclass(frozen=True)
class Page:
    """A pull page, already as the JSON of a PullResponse."""

    json: bytes
    count: int


def page(conn: Connection, team_id: str, head: int, after: int, limit: int) -> Page:
    """Changes with seq > after (up to `head`), in seq order, at most `limit` and about
    MAX_PULL_BYTES; built straight from the rows, which need no validation."""
    rows = conn.execute(_PAGE, {"team_id": team_id, "after": after, "head": head,
                                "limit": limit})
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
