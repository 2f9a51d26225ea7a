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


def test_a_push_that_waited_while_the_epoch_changed_uses_the_new_epochs_rules(
        user: UserFactory, db: Database) -> None:
    alice = user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    team_id = made.team_id
    with ThreadPoolExecutor(1) as pool:
        # old-epoch ops that were sent before the key changed are refused, with the epoch
        with _holding_team(db, team_id) as conn:
            epoch = _new_epoch(conn, team_id, keyholder=alice)
            old = pool.submit(alice.api.push, team_id, [seal_op(team_id, key, 1, b"old")])
            assert _waiting(old)
        with pytest.raises(ApiError) as err:
            old.result()
        assert err.value.status == 409
        assert f"encrypt with epoch {epoch}" in err.value.detail
        # ops of the epoch that began while the push waited: accepted, its key is held
        with _holding_team(db, team_id) as conn:
            epoch = _new_epoch(conn, team_id, keyholder=alice)
            new = pool.submit(alice.api.push, team_id, [seal_op(team_id, key, epoch, b"new")])
            assert _waiting(new)
        assert [r.seq for r in new.result().results] == [1]
        # and refused when nobody shared that epoch's key with the pusher
        with _holding_team(db, team_id) as conn:
            unkeyed = _new_epoch(conn, team_id, keyholder=None)
            late = pool.submit(alice.api.push, team_id,
                               [seal_op(team_id, key, unkeyed, b"late")])
            assert _waiting(late)
        with pytest.raises(ApiError) as err:
            late.result()
        assert err.value.status == 409
        assert f"no key for epoch {unkeyed}" in err.value.detail
    assert [c.seq for c in alice.api.pull_all(team_id)] == [1]


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
