"""The per-team lock of the change log: what a push learns while it waits, and who takes it.

A second connection holds the team row (PostgreSQL) or the database's write
lock (SQLite) the way a concurrent push or a member's removal would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, text

from eolcare.server.db import Database
from eolcare.sync import protocol
from eolcare.sync.client_api import ApiError, seal_op
from tests.server.conftest import User, UserFactory

WAIT_S = 0.7


@contextmanager
def _holding_team(db: Database, team_id: str) -> Iterator[Connection]:
    """The team row locked (and, on SQLite, the whole database) until the block ends."""
    with db.writer.begin() as conn:
        conn.execute(text("SELECT head FROM team WHERE id = :t"
                          + ("" if db.is_sqlite else " FOR UPDATE")), {"t": team_id})
        yield conn


def _new_epoch(conn: Connection, team_id: str, keyholder: User | None) -> int:
    """What a removal does, in short: the next epoch, and its key for `keyholder`."""
    conn.execute(text("UPDATE team SET epoch = epoch + 1 WHERE id = :t"), {"t": team_id})
    epoch: int = conn.execute(text("SELECT epoch FROM team WHERE id = :t"),
                              {"t": team_id}).scalar_one()
    if keyholder is not None:
        conn.execute(text("INSERT INTO team_key (team_id, epoch, account_id, sealed_key) "
                          "VALUES (:t, :e, :a, :k)"),
                     {"t": team_id, "e": epoch, "a": keyholder.account_id, "k": b"sealed"})
    return epoch


def _waiting(future: Future[object]) -> bool:
    time.sleep(WAIT_S)
    return not future.done()


def test_a_push_waiting_for_the_lock_follows_the_epoch_it_finds(
        user: UserFactory, db: Database) -> None:
    alice = user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    team_id = made.team_id
    with ThreadPoolExecutor(1) as pool:
        # the epoch changes while the push waits: its old-epoch ops are refused
        with _holding_team(db, team_id) as conn:
            epoch = _new_epoch(conn, team_id, keyholder=alice)
            old = pool.submit(alice.api.push, team_id, [seal_op(team_id, key, 1, b"old")])
            assert _waiting(old)
        with pytest.raises(ApiError) as err:
            old.result()
        assert err.value.status == 409
        assert f"encrypt with epoch {epoch}" in err.value.detail
        # ops of the new epoch, whose key the pusher holds, wait for the lock and go in
        with _holding_team(db, team_id):
            new = pool.submit(alice.api.push, team_id, [seal_op(team_id, key, epoch, b"new")])
            assert _waiting(new)
        assert [r.seq for r in new.result().results] == [1]
    # an epoch whose key nobody shared with the pusher
    with db.writer.begin() as conn:
        unkeyed = _new_epoch(conn, team_id, keyholder=None)
    with pytest.raises(ApiError) as err:
        alice.api.push(team_id, [seal_op(team_id, key, unkeyed, b"late")])
    assert err.value.status == 409
    assert f"no key for epoch {unkeyed}" in err.value.detail
    assert [c.seq for c in alice.api.pull_all(team_id)] == [1]


def test_a_retry_after_the_epoch_changed_still_gets_its_seqs(
        user: UserFactory, db: Database) -> None:
    """The response to a push was lost and the key changed before the retry: the stored
    ops are reported (the client must not re-encrypt them under the same op ids)."""
    alice = user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    team_id = made.team_id
    ops = [seal_op(team_id, key, 1, b"%d" % i) for i in range(3)]
    first = alice.api.push(team_id, ops)
    with db.writer.begin() as conn:
        _new_epoch(conn, team_id, keyholder=alice)
    again = alice.api.push(team_id, ops)
    assert [(r.seq, r.stored) for r in again.results] == [(r.seq, False) for r in first.results]
    with pytest.raises(ApiError) as err:  # but a new op of the old epoch is refused
        alice.api.push(team_id, [*ops, seal_op(team_id, key, 1, b"new")])
    assert err.value.status == 409
    assert alice.api.pull(team_id).head == 3


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_an_op_another_push_stored_while_this_one_waited_is_reported_not_doubled(
        user: UserFactory, db: Database) -> None:
    """PostgreSQL checks for stored ops before it waits for the lock; one stored by the
    push it waited for fails the unique key, and the push is made again."""
    alice = user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    team_id = made.team_id
    twin, other = seal_op(team_id, key, 1, b"twin"), seal_op(team_id, key, 1, b"other")
    with ThreadPoolExecutor(1) as pool:
        with _holding_team(db, team_id) as conn:
            pushed = pool.submit(alice.api.push, team_id, [other, twin])
            assert _waiting(pushed)
            # what the concurrent push stores: `twin` at seq 1, the head moved
            digest = protocol.chain_digest(protocol.DIGEST_ZERO, 1, twin.op_id, twin.blob)
            conn.execute(text(
                "INSERT INTO change (team_id, seq, op_id, record_id, device_id, author_id,"
                " epoch, blob, digest, created_at) SELECT :t, 1, :o, :r, d.id, d.account_id,"
                " 1, :b, :g, now() FROM device d WHERE d.account_id = :a LIMIT 1"),
                {"t": team_id, "o": twin.op_id, "r": twin.record_id, "b": twin.blob,
                 "g": digest, "a": alice.account_id})
            conn.execute(text("UPDATE team SET head = 1, digest = :g WHERE id = :t"),
                         {"g": digest, "t": team_id})
        result = pushed.result()
    assert [(r.op_id, r.seq, r.stored) for r in result.results] == [
        (other.op_id, 2, True), (twin.op_id, 1, False)]
    changes = alice.api.pull_all(team_id)
    assert [c.op_id for c in changes] == [twin.op_id, other.op_id]
    assert alice.api.digest(team_id).digest == protocol.chain_digest(
        digest, 2, other.op_id, other.blob)


# PostgreSQL only: on SQLite every write transaction takes the one database lock first.
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_only_a_writer_takes_the_team_lock(user: UserFactory, db: Database) -> None:
    """A viewer's or an outsider's push is refused without waiting for a lock it
    would never use (so it cannot hold up the team's pushes either)."""
    alice, viewer, outsider = user(), user(), user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    team_id = made.team_id
    invitation = alice.api.invite(team_id, alice.api.lookup(viewer.keys.username), "viewer",
                                  {1: key})
    viewer.api.accept(invitation.invitation_id)
    op = seal_op(team_id, key, 1, b"x")
    with ThreadPoolExecutor(1) as pool, _holding_team(db, team_id):
        for who, status in ((viewer, 403), (outsider, 404)):
            refused = pool.submit(who.api.push, team_id, [op])
            with pytest.raises(ApiError) as err:
                refused.result(timeout=10)  # answered while the lock is still held
            assert err.value.status == status
        writer = pool.submit(alice.api.push, team_id, [op])
        assert _waiting(writer)  # a writer does wait for it
    assert [r.seq for r in writer.result().results] == [1]
