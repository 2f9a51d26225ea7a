"""The team log on PostgreSQL: the rules of `changelog` in two statements per request.

Every database round trip costs the server and PostgreSQL CPU, and a round
trip made while the team lock is held makes every other push to the team wait
for this process to be scheduled. So on PostgreSQL, in autocommit:

- a push is (1) one statement for the caller, their role, the key they hold
  for the ops' epoch and which ops are already stored; then (2) one statement
  that takes the team lock, numbers the new changes from the head, folds them
  into the log's digest chain, stores them, moves the head and writes the audit
  row. Its commit ends the lock: no round trip to this process happens under it.
- a pull is one statement for the caller and the page (one snapshot), then the
  audit row on a connection whose commits do not wait for the disk.

An op stored by another push between (1) and (2) makes (2) fail on the
(team, op_id) unique key; the route then makes the push again from (1), which
reports it as stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    any_,
    bindparam,
    exists,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY

from eolcare.server.access import READ, WRITE
from eolcare.server.changelog import (
    Batch,
    Caller,
    Page,
    Stored,
    authenticated,
    caller_query,
    check_epoch,
    page_json,
    page_query,
    params,
)
from eolcare.server.models import Change, TeamKey, UTCDateTime, utcnow
from eolcare.sync import protocol


def _caller_and_known_query() -> Select[Any]:
    """The caller (as `changelog.caller`), whether they hold the key of epoch `:epoch`,
    and, for a writer, the stored ops among `:op_ids`: one row per stored op, or one."""
    me = caller_query().cte("me")
    key_held = exists().where(TeamKey.team_id == bindparam("team_id"),
                              TeamKey.epoch == bindparam("epoch"),
                              TeamKey.account_id == me.c.account_id)
    known = (select(Change.op_id.label("known_op_id"), Change.seq.label("known_seq"),
                    Change.blob.label("known_blob"), Change.record_id.label("known_record_id"),
                    Change.epoch.label("known_epoch"))
             .where(Change.team_id == bindparam("team_id"),
                    Change.op_id == any_(bindparam("op_ids", type_=ARRAY(String))),
                    me.c.role.in_(sorted(WRITE)))
             .lateral("known"))
    return (select(me, key_held.label("key_held"), known)
            .select_from(me.outerjoin(known, true())))


def _caller_and_page_query() -> Select[Any]:
    """The caller and, for a reader, the page up to the head it read: one snapshot.

    One row per change (the caller's columns repeated), or one with no change.
    """
    me = caller_query().cte("me")
    page = (page_query().where(Change.seq <= me.c.head, me.c.role.in_(sorted(READ)))
            .lateral("page"))
    return select(me, page).select_from(me.outerjoin(page, true()))


_CALLER_AND_KNOWN = _caller_and_known_query()
_CALLER_AND_PAGE = _caller_and_page_query()

#: Under the team lock, in one statement. `chain` numbers the new ops from the head
#: and folds each into the digest exactly as `protocol.chain_digest` does:
#: sha256(previous || seq as 8 bytes big-endian || op_id || sha256(blob)).
#: Nothing is stored if the team's epoch is no longer `:epoch`; the reply says so.
_STORE = text("""
WITH RECURSIVE
locked AS (
    SELECT head, digest, epoch FROM team WHERE id = :team_id FOR UPDATE
),
new AS (
    SELECT n.ord, n.op_id, n.record_id, n.blob
    FROM unnest(CAST(:op_ids AS VARCHAR[]), CAST(:record_ids AS VARCHAR[]),
                CAST(:blobs AS BYTEA[])) WITH ORDINALITY AS n (op_id, record_id, blob, ord)
    WHERE (SELECT epoch FROM locked) = :epoch
),
chain (ord, seq, digest) AS (
    SELECT CAST(0 AS BIGINT), head, digest FROM locked
    UNION ALL
    SELECT new.ord, chain.seq + 1,
           sha256(chain.digest || int8send(chain.seq + 1) || convert_to(new.op_id, 'UTF8')
                  || sha256(new.blob))
    FROM chain JOIN new ON new.ord = chain.ord + 1
),
tip AS (
    SELECT seq, digest FROM chain ORDER BY ord DESC LIMIT 1
),
added AS (
    INSERT INTO change (team_id, seq, op_id, record_id, device_id, author_id, epoch, blob,
                        digest, created_at)
    SELECT :team_id, chain.seq, new.op_id, new.record_id, :device_id, :account_id, :epoch,
           new.blob, chain.digest, :now
    FROM chain JOIN new ON new.ord = chain.ord
),
moved AS (
    UPDATE team SET head = tip.seq, digest = tip.digest FROM tip, locked
    WHERE team.id = :team_id AND tip.seq > locked.head
),
audited AS (
    INSERT INTO audit (at, action, account_id, device_id, team_id, address, detail)
    SELECT :now, 'push', :account_id, :device_id, :team_id, :address,
           'head=' || tip.seq || ' ops=' || (tip.seq - locked.head)
    FROM tip, locked WHERE locked.epoch = :epoch
)
SELECT head, epoch FROM locked
""").bindparams(bindparam("now", type_=UTCDateTime()))

_AUDIT_ONLY = text("""
INSERT INTO audit (at, action, account_id, device_id, team_id, address, detail)
VALUES (:now, 'push', :account_id, :device_id, :team_id, :address, :detail)
""").bindparams(bindparam("now", type_=UTCDateTime()))


def caller_and_known(conn: Connection, token: str, team_id: str,
                     ops: list[protocol.Op]) -> tuple[Caller, Batch, bool]:
    """Authenticate a pusher (401 / 404 / 403); their batch sorted into stored and new ops,
    and whether they hold the key of the batch's newest epoch (the new ops' one)."""
    epochs = {op.epoch for op in ops}
    found = conn.execute(_CALLER_AND_KNOWN, params(token, team_id) | {
        "epoch": max(epochs), "op_ids": list({op.op_id for op in ops})}).all()
    me = authenticated(found[0] if found else None, WRITE)
    known = {row.known_op_id: Stored(row.known_seq, row.known_blob, row.known_record_id,
                                     row.known_epoch)
             for row in found if row.known_op_id is not None}
    batch = Batch.sort(ops, known)
    if len({op.epoch for op in batch.new}) > 1:  # only one of them can be the team's
        check_epoch(me.epoch, me.has_key, batch.new)
    return me, batch, bool(found[0].key_held)


def append(conn: Connection, team_id: str, me: Caller, batch: Batch, key_held: bool, *,
           address: str) -> bytes:
    """Store the batch's new ops under the team lock, in one statement; the reply JSON."""
    ids = {"team_id": team_id, "device_id": me.who.device_id,
           "account_id": me.who.account_id, "address": address, "now": utcnow()}
    if not batch.new:  # a retry of stored ops only: nothing to number, no lock
        conn.execute(_AUDIT_ONLY, ids | {"detail": f"head={me.head} ops=0"})
        return batch.reply(me.head, me.head)
    epoch = batch.new[0].epoch
    check_epoch(me.epoch, key_held, batch.new)
    head, team_epoch = conn.execute(_STORE, ids | {
        "epoch": epoch, "op_ids": [op.op_id for op in batch.new],
        "record_ids": [op.record_id for op in batch.new],
        "blobs": [op.blob for op in batch.new]}).one()
    if team_epoch != epoch:  # a new epoch began before the lock was ours
        check_epoch(team_epoch, False, batch.new)
    return batch.reply(head, head + len(batch.new))


def caller_and_page(conn: Connection, token: str, team_id: str, after: int,
                    limit: int) -> tuple[Caller, Page]:
    """Authenticate a reader (401 / 404 / 403) and read the page after `after` up to the
    head, in one statement."""
    found = conn.execute(_CALLER_AND_PAGE, params(token, team_id)
                         | {"after": after, "limit": limit}).all()
    me = authenticated(found[0] if found else None, READ)
    changes = (row[6:] for row in found if row.seq is not None)
    return me, page_json(changes, me.head, after)

