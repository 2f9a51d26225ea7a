"""The team log: append under the per-team lock, read by seq.

Why a lock and not a database sequence: with a sequence, transaction A can
take seq 7 and B seq 8, and B commit first; a reader that pulls after B's
commit sees 8, moves its cursor past 7, and never sees A's change. Taking
the team row's lock before allocating makes commit order equal seq order.

Push and pull are the hot path (every laptop, every few seconds), so they run
on SQLAlchemy Core in one transaction each: the caller's token, device,
membership, role and the team's epoch and head come back from one query
(`caller`), and the audit row is written in the same transaction.

On PostgreSQL each database round trip costs both processes CPU, so the
statements are also combined: a push is BEGIN, caller-and-lock, duplicate
check, one statement that stores the changes, moves the head and writes the
audit row, and COMMIT (5 round trips, not 8); a pull's caller and page are
one statement (2 round trips with its audit row, not 3). SQLite, in process,
runs the same steps as separate statements.
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
    Row,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    insert,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Session

from eolcare.server import access
from eolcare.server.access import READ, WRITE
from eolcare.server.auth import ACCESS, NOT_SIGNED_IN, Principal
from eolcare.server.models import (
    Audit,
    Change,
    Device,
    Membership,
    Team,
    TeamKey,
    Token,
    UTCDateTime,
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


def _page_query() -> Select[int, str, str, str, str, int, bytes]:
    return (
        select(_change.c.seq, _change.c.op_id, _change.c.record_id, _change.c.device_id,
               _change.c.author_id, _change.c.epoch, _change.c.blob)
        .where(_change.c.team_id == bindparam("team_id"), _change.c.seq > bindparam("after"))
        .order_by(_change.c.seq).limit(bindparam("limit"))
    )


_LOCK = (update(_team).where(_team.c.id == bindparam("team_id")).values(head=_team.c.head)
         .returning(_team.c.head, _team.c.digest, _team.c.epoch))


def _caller_and_lock_query() -> Select[Any]:
    """PostgreSQL: `caller` and, only for a caller who may write, the team lock.

    The lock is a data-modifying CTE: it waits for the row and returns its newest
    head, digest and epoch even though the statement's snapshot is older.
    """
    me = _caller_query().cte("me")
    locked = (_LOCK.where(exists().where(me.c.role.in_(sorted(WRITE))))
              .cte("locked"))
    return (select(me, locked.c.head.label("lock_head"), locked.c.digest.label("lock_digest"),
                   locked.c.epoch.label("lock_epoch"))
            .select_from(me.outerjoin(locked, true())))


def _caller_and_page_query() -> Select[Any]:
    """PostgreSQL: `caller` and, for a reader, the page up to the head, in one snapshot.

    One row per change (the caller's columns repeated), or one with no change.
    """
    me = _caller_query().cte("me")
    page = (_page_query().where(_change.c.seq <= me.c.head, me.c.role.in_(sorted(READ)))
            .lateral("page"))
    return select(me, page).select_from(me.outerjoin(page, true()))


# The hot path's statements are built once: SQLAlchemy then finds each one's compiled
# form in its cache without building and hashing a new statement per request.
_CALLER = _caller_query()
_CALLER_AND_LOCK = _caller_and_lock_query()
_CALLER_AND_PAGE = _caller_and_page_query()
_KEY_HELD = select(TeamKey.epoch).where(
    TeamKey.team_id == bindparam("team_id"), TeamKey.epoch == bindparam("epoch"),
    TeamKey.account_id == bindparam("account_id"))
_KNOWN = select(_change.c.op_id, _change.c.seq, _change.c.blob).where(
    _change.c.team_id == bindparam("team_id"),
    _change.c.op_id.in_(bindparam("op_ids", expanding=True)))
_INSERT = insert(_change)
_SET_HEAD = update(_team).where(_team.c.id == bindparam("team_id")).values(
    head=bindparam("new_head"), digest=bindparam("new_digest"))
_PAGE = _page_query().where(_change.c.seq <= bindparam("head"))
_AUDIT = insert(_audit)
#: PostgreSQL: a push's new changes, the new head and the audit row in one statement.
#: The changes arrive as one array per column, so the SQL is the same for any batch size.
_STORE = text("""
WITH added AS (
    INSERT INTO change (team_id, seq, op_id, record_id, device_id, author_id, epoch, blob,
                        digest, created_at)
    SELECT :team_id, seq, op_id, record_id, :device_id, :account_id, epoch, blob, digest, :now
    FROM unnest(CAST(:seqs AS BIGINT[]), CAST(:op_ids AS VARCHAR[]),
                CAST(:record_ids AS VARCHAR[]), CAST(:epochs AS INTEGER[]),
                CAST(:blobs AS BYTEA[]), CAST(:digests AS BYTEA[]))
         AS new (seq, op_id, record_id, epoch, blob, digest)
), moved AS (
    UPDATE team SET head = :new_head, digest = :new_digest WHERE id = :team_id
)
INSERT INTO audit (at, action, account_id, device_id, team_id, address, detail)
VALUES (:now, 'push', :account_id, :device_id, :team_id, :address, :detail)
""").bindparams(bindparam("now", type_=UTCDateTime()))


def _params(token: str, team_id: str) -> dict[str, object]:
    return {"token_hash": crypto.token_hash(token), "team_id": team_id, "now": utcnow()}


def _authenticated(row: Sequence[Any] | None, allowed: frozenset[str]) -> Caller:
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
    row = None
    if len(token) <= 128:
        row = conn.execute(_CALLER, _params(token, team_id)).one_or_none()
    return _authenticated(row, allowed)


def caller_and_lock(conn: Connection, token: str, team_id: str) -> tuple[Caller, Lock]:
    """`caller` for a push, then the team row's write lock for the rest of the transaction.

    On PostgreSQL one statement; on SQLite the transaction already holds the
    database's write lock (BEGIN IMMEDIATE) and the no-op UPDATE reads the row.
    """
    if conn.dialect.name != "postgresql":
        me = caller(conn, token, team_id, WRITE)
        return me, Lock(*conn.execute(_LOCK, {"team_id": team_id}).one())
    row = None
    if len(token) <= 128:
        row = conn.execute(_CALLER_AND_LOCK, _params(token, team_id)).one_or_none()
    me = _authenticated(row, WRITE)
    assert row is not None  # a writer's statement took the lock
    return me, Lock(row.lock_head, row.lock_digest, row.lock_epoch)


def append(conn: Connection, team_id: str, me: Caller, lock: Lock, ops: list[protocol.Op], *,
           address: str) -> bytes:
    """Store a batch's new operations and its audit row; the JSON of the PushResponse.

    Ops already stored (a retry) are reported, not added. The caller holds `lock`.
    """
    if lock.epoch == me.epoch:
        _check_epoch(lock.epoch, me.has_key, ops)
    else:  # a new epoch began before the lock was ours
        held = conn.execute(_KEY_HELD, {"team_id": team_id, "epoch": lock.epoch,
                                        "account_id": me.who.account_id}).first()
        _check_epoch(lock.epoch, held is not None, ops)
    known: dict[str, tuple[int, bytes]] = {
        op_id: (seq, blob)
        for op_id, seq, blob in conn.execute(
            _KNOWN, {"team_id": team_id, "op_ids": list({op.op_id for op in ops})})
    }
    results: list[dict[str, object]] = []
    new: list[tuple[int, protocol.Op, bytes]] = []
    seq, digest = lock.head, lock.digest
    for op in ops:
        if op.op_id in known:
            old_seq, old_blob = known[op.op_id]
            _same_content(op, old_blob)
            results.append({"op_id": op.op_id, "seq": old_seq, "stored": False})
            continue
        seq += 1
        digest = protocol.chain_digest(digest, seq, op.op_id, op.blob)
        new.append((seq, op, digest))
        known[op.op_id] = (seq, op.blob)
        results.append({"op_id": op.op_id, "seq": seq, "stored": True})
    detail = f"head={seq} ops={len(new)}"
    if new and conn.dialect.name == "postgresql":
        conn.execute(_STORE, {
            "team_id": team_id, "device_id": me.who.device_id, "account_id": me.who.account_id,
            "now": utcnow(), "address": address, "detail": detail,
            "new_head": seq, "new_digest": digest,
            "seqs": [s for s, _, _ in new], "op_ids": [op.op_id for _, op, _ in new],
            "record_ids": [op.record_id for _, op, _ in new],
            "epochs": [op.epoch for _, op, _ in new], "blobs": [op.blob for _, op, _ in new],
            "digests": [d for _, _, d in new]})
    else:
        if new:
            now = utcnow()
            conn.execute(_INSERT, [
                {"team_id": team_id, "seq": s, "op_id": op.op_id, "record_id": op.record_id,
                 "device_id": me.who.device_id, "author_id": me.who.account_id,
                 "epoch": op.epoch, "blob": op.blob, "digest": d, "created_at": now}
                for s, op, d in new])
            conn.execute(_SET_HEAD, {"team_id": team_id, "new_head": seq, "new_digest": digest})
        record(conn, "push", me.who, team_id=team_id, address=address, detail=detail)
    return json.dumps({"results": results, "head": seq}, separators=(",", ":")).encode()


def _same_content(op: protocol.Op, blob: bytes) -> None:
    if hashlib.sha256(blob).digest() != hashlib.sha256(op.blob).digest():
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"operation {op.op_id} was already pushed with different content",
        )


def _check_epoch(epoch: int, has_key: bool, ops: list[protocol.Op]) -> None:
    """New operations must use the current team key, which the pusher must hold."""
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


def caller_and_page(conn: Connection, token: str, team_id: str, after: int,
                    limit: int) -> tuple[Caller, Page]:
    """`caller` for a pull, then changes with seq > after up to the head it read.

    On PostgreSQL one statement (one snapshot); on SQLite two in one transaction.
    """
    if conn.dialect.name != "postgresql":
        me = caller(conn, token, team_id, READ)
        rows = conn.execute(_PAGE, {"team_id": team_id, "after": after, "head": me.head,
                                    "limit": limit})
        return me, _page(rows, me.head, after)
    found: list[Row[Any]] = []
    if len(token) <= 128:
        found = list(conn.execute(_CALLER_AND_PAGE, _params(token, team_id)
                                  | {"after": after, "limit": limit}))
    me = _authenticated(found[0] if found else None, READ)
    changes = (row[6:] for row in found if row.seq is not None)
    return me, _page(changes, me.head, after)


def _page(rows: Iterable[Sequence[Any]], head: int, after: int) -> Page:
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
