"""Existing databases upgrade to 0002 (issue 12): names made canonical with a skeleton,
invitations bound to an epoch and an expiry (those of inviters no longer admins gone),
removed members' surviving key rows dropped. A database at 0001 with such rows is
upgraded on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from eolcare.server.db import Database
from eolcare.server.scratch import scratch_database
from tests.server.conftest import _postgres_url

T0 = datetime(2026, 11, 1, 9, 0)
A, B, C, D, E = (f"00000000-0000-4000-8000-00000000000{i}" for i in range(1, 6))
TEAM = "10000000-0000-4000-8000-000000000001"
INV_BY_DEMOTED, INV_STALE, INV_OPERATOR = (
    f"20000000-0000-4000-8000-00000000000{i}" for i in range(1, 4))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with scratch_database(_postgres_url(), "eolcare_m") as url:
        yield url


def _upgrade_to(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location",
                               str(resources.files("eolcare.server") / "migrations"))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def _fill(url: str) -> None:
    engine = create_engine(url)
    accounts = [(A, "rtalice"), (B, "rta1ice"), (C, "Bob"), (D, "carol"), (E, "Carol")]
    with engine.begin() as conn:
        for n, (account_id, name) in enumerate(accounts):
            conn.execute(text(
                "INSERT INTO account VALUES (:i, :u, :k, :s, 1, 8192, :w, :k, :w, :t)"),
                {"i": account_id, "u": name, "k": bytes(32), "s": bytes(16), "w": bytes(48),
                 "t": T0 + timedelta(minutes=n)})
        conn.execute(text("INSERT INTO team VALUES (:i, 'North', 2, 0, :d, :t)"),
                     {"i": TEAM, "d": bytes(32), "t": T0})
        for account_id, role in ((A, "admin"), (C, "member")):  # B was removed
            conn.execute(text("INSERT INTO membership VALUES (:t, :a, :r, :at)"),
                         {"t": TEAM, "a": account_id, "r": role, "at": T0})
        for account_id in (A, B, C):
            conn.execute(text("INSERT INTO team_key VALUES (:t, 1, :a, :k)"),
                         {"t": TEAM, "a": account_id, "k": bytes(48)})
        for inv, inviter, invitee in ((INV_BY_DEMOTED, C, D), (INV_STALE, A, E),
                                      (INV_OPERATOR, None, D)):
            conn.execute(text("INSERT INTO invitation VALUES (:i, :t, :a, :by, 'member', :at)"),
                         {"i": inv, "t": TEAM, "a": invitee, "by": inviter, "at": T0})
        for inv in (INV_BY_DEMOTED, INV_STALE):
            conn.execute(text("INSERT INTO invitation_key VALUES (:i, 1, :k)"),
                         {"i": inv, "k": bytes(48)})
    engine.dispose()


def test_a_database_at_0001_upgrades(old_url: str) -> None:
    _upgrade_to(old_url, "0001")
    _fill(old_url)
    db = Database(old_url, 2)
    db.migrate()
    with db.reading.begin() as session:
        q = session.execute
        names = dict(q(text("SELECT id, username FROM account")).all())
        assert names == {A: "rtalice", B: "rta1ice", C: "bob", D: "carol", E: "Carol"}
        skeletons = dict(q(text("SELECT id, name_skeleton FROM account")).all())
        assert skeletons == {A: "rtalice", B: None, C: "bob", D: "carol", E: None}
        keys = set(q(text("SELECT account_id FROM team_key")).scalars())
        assert keys == {A, C}
        invitations = {row[0]: row[1:] for row in q(text(
            "SELECT id, epoch, expires_at FROM invitation"))}
        assert set(invitations) == {INV_STALE, INV_OPERATOR}
        assert invitations[INV_STALE][0] == 1  # its newest key: not the team's epoch 2
        assert invitations[INV_OPERATOR][0] == 2
        expires = invitations[INV_OPERATOR][1]
        if isinstance(expires, str):
            expires = datetime.fromisoformat(expires)
        assert expires == T0 + timedelta(days=7)
        assert set(q(text("SELECT invitation_id FROM invitation_key")).scalars()) == {
            INV_STALE}
    db.dispose()
