"""Fixed-window rate limits kept in the database, so every server process counts together.

A counter whose window has ended is dead weight: the next hit on its key restarts it at
1 whether the row is there or not. So stale rows are deleted without changing any
limit's outcome, opportunistically, by the `hit` that finds pruning due: at most once
per `PRUNE_INTERVAL` per process, at most `PRUNE_BATCH` rows at a time, and again on
the next hit when a pass found a full batch (so pruning keeps up with any number of new
addresses and user names). Every other hit pays one clock comparison.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from eolcare.server.models import RateLimit, UTCDateTime, utcnow

#: Seconds between two pruning passes of one process (sooner after a full batch).
PRUNE_INTERVAL = 60.0
#: Most stale rows one pass deletes, so no single request pays for a backlog.
PRUNE_BATCH = 500


class _Schedule:
    """When this process next prunes (`time.monotonic()`; 0: the next hit prunes).

    Two threads that both find pruning due both prune; that is harmless (the rows
    are picked SKIP LOCKED on PostgreSQL, SQLite has one writer), so no lock.
    """

    next_pass = 0.0


def prune_soon() -> None:
    """Make this process's next `hit` prune stale counters, whatever the interval."""
    _Schedule.next_pass = 0.0


def hit(session: Session, limits: dict[str, int], window: int) -> int | None:
    """Count one attempt against each key; seconds to wait if any is over its limit, else None.

    Now and then (see the module's docstring) also deletes counters whose window ended,
    in the same transaction, after the counts.
    """
    now = utcnow()
    wait: int | None = None
    for key, limit in limits.items():
        count, start = _increment(session, key, now, window)
        if count > limit:
            left = int((start + timedelta(seconds=window) - now).total_seconds()) + 1
            wait = max(wait or 0, left)
    if time.monotonic() >= _Schedule.next_pass:  # every caller passes the one rate_window
        full = prune(session, now, window) >= PRUNE_BATCH
        _Schedule.next_pass = 0.0 if full else time.monotonic() + PRUNE_INTERVAL
    return wait


def prune(session: Session, now: datetime, window: int) -> int:
    """Delete up to `PRUNE_BATCH` counters whose window ended; how many were deleted.

    "Ended" is `_increment`'s test, so a row deleted here is one the next hit would have
    restarted at 1 anyway. On PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`:
    a row another transaction is counting on is left alone, so pruning never waits for
    a lock and cannot deadlock with a concurrent hit (SQLite has one writer at a time).
    """
    ended = RateLimit.window_start <= now - timedelta(seconds=window)
    batch = (
        select(RateLimit.key).where(ended).limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    result = session.connection().execute(
        delete(RateLimit).where(RateLimit.key.in_(batch), ended)
    )
    return int(result.rowcount)


def _increment(session: Session, key: str, now: datetime, window: int) -> tuple[int, datetime]:
    """One atomic upsert: a new window restarts the count at 1."""
    dialect = session.get_bind().dialect.name
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(RateLimit)
    expired = RateLimit.window_start <= now - timedelta(seconds=window)
    stmt = (
        ins.values(key=key, window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=[RateLimit.key],
            set_={
                "count": case((expired, 1), else_=RateLimit.count + 1),
                "window_start": case(
                    (expired, literal(now, UTCDateTime())), else_=RateLimit.window_start
                ),
            },
        )
        .returning(RateLimit.count, RateLimit.window_start)
    )
    count, start = session.execute(stmt).one()
    return count, start
