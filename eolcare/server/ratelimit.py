"""Fixed-window rate limits kept in the database, so every server process counts together."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from eolcare.server.models import RateLimit, UTCDateTime, utcnow


def hit(session: Session, limits: dict[str, int], window: int) -> int | None:
    """Count one attempt against each key; seconds to wait if any is over its limit, else None."""
    now = utcnow()
    wait: int | None = None
    for key, limit in limits.items():
        count, start = _increment(session, key, now, window)
        if count > limit:
            left = int((start + timedelta(seconds=window) - now).total_seconds()) + 1
            wait = max(wait or 0, left)
    return wait


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
