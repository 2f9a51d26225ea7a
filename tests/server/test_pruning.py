"""Stale rate-limit counters and expired challenges are deleted as a side effect of normal
requests, on both databases, without touching a counter whose window is still open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from eolcare.server import auth, ratelimit
from eolcare.server.db import Database
from eolcare.server.models import Challenge, RateLimit, utcnow

WINDOW = 60


def _counters(db: Database) -> dict[str, int]:
    with db.reading.begin() as session:
        return {r.key: r.count for r in session.scalars(select(RateLimit))}


def _add_counters(db: Database, ages: dict[str, float], count: int = 5) -> None:
    """Counters whose window started `age` seconds ago."""
    now = utcnow()
    with db.writing.begin() as session:
        session.add_all(
            RateLimit(key=key, window_start=now - timedelta(seconds=age), count=count)
            for key, age in ages.items()
        )


def _hit(db: Database, key: str, limit: int = 1000) -> int | None:
    with db.writing.begin() as session:
        return ratelimit.hit(session, {key: limit}, WINDOW)


def test_stale_counters_go_and_current_ones_stay_and_still_count(db: Database) -> None:
    stale = {f"login:addr:198.51.100.{i}": WINDOW + i for i in range(3)}
    stale["login:acct:ended"] = WINDOW  # the window has just ended: stale as well
    _add_counters(db, stale)
    _add_counters(db, {"login:acct:current": 30, "anon:203.0.113.1": WINDOW - 15}, count=2)
    ratelimit.prune_soon()

    assert _hit(db, "login:acct:current", limit=3) is None  # 3rd of 3: the count went on
    assert _counters(db) == {"login:acct:current": 3, "anon:203.0.113.1": 2}
    wait = _hit(db, "login:acct:current", limit=3)  # 4th: over the limit
    assert wait is not None
    assert 0 < wait <= WINDOW - 30 + 1

    # once per interval: a counter that ends now waits for the next pass
    _add_counters(db, {"login:addr:192.0.2.1": WINDOW + 1})
    assert _hit(db, "anon:203.0.113.1", limit=3) is None
    assert "login:addr:192.0.2.1" in _counters(db)
    ratelimit.prune_soon()
    assert _hit(db, "anon:203.0.113.1", limit=3) is not None  # 4th of 3
    assert _counters(db) == {"login:acct:current": 4, "anon:203.0.113.1": 4}


def test_a_backlog_is_pruned_a_batch_per_hit_until_it_is_gone(
    db: Database, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ratelimit, "PRUNE_BATCH", 4)
    _add_counters(db, {f"login:acct:{i:02}": WINDOW + 10 for i in range(10)})
    ratelimit.prune_soon()
    remaining = []
    for _ in range(4):
        _hit(db, "anon:203.0.113.1")
        remaining.append(len(_counters(db)) - 1)
    # a full batch makes the next hit prune again; a short one waits for the interval
    assert remaining == [6, 2, 0, 0]
    _add_counters(db, {"login:acct:late": WINDOW + 10})
    _hit(db, "anon:203.0.113.1")
    assert "login:acct:late" in _counters(db)


# PostgreSQL only: SQLite has one writer at a time, so there are no row locks to skip.
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_pruning_skips_a_counter_another_transaction_holds(db: Database) -> None:
    _add_counters(db, {"login:acct:held": WINDOW + 10, "login:acct:free": WINDOW + 10})
    with db.writing.begin() as holder:
        holder.execute(text("SET LOCAL lock_timeout = '5s'"))
        holder.execute(select(RateLimit).where(RateLimit.key == "login:acct:held")
                       .with_for_update())
        with db.writing.begin() as session:
            # would wait (and time out) on the held row without SKIP LOCKED
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            assert ratelimit.prune(session, utcnow(), WINDOW) == 1
    assert set(_counters(db)) == {"login:acct:held"}


def test_expired_challenges_are_pruned_when_a_challenge_is_issued(db: Database) -> None:
    now = utcnow()
    with db.writing.begin() as session:
        session.add_all([
            Challenge(nonce="expired", action="login", host="h",
                      expires_at=now - timedelta(seconds=1)),
            Challenge(nonce="live", action="login", host="h",
                      expires_at=now + timedelta(seconds=60)),
        ])
    with db.writing.begin() as session:
        auth.issue_challenge(session, "h", "login", 120)
    with db.reading.begin() as session:
        nonces = set(session.scalars(select(Challenge.nonce)))
    assert "expired" not in nonces
    assert "live" in nonces
    assert len(nonces) == 2
