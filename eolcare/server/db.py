"""Engines and sessions for SQLite (embedded) and PostgreSQL (to scale out).

Writers on SQLite start with BEGIN IMMEDIATE, so they queue on the busy
timeout instead of failing with "database is locked" when a deferred
transaction tries to upgrade to a write lock.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_S = 60
#: Arbitrary constant naming the migration lock on PostgreSQL.
MIGRATION_LOCK = 0x0E01CA8E


class Database:
    """`reading` for queries, `writing` for changes; both give `with x.begin() as s`.

    The engines underneath (`engine` to read, `writer`, and `relaxed` for the pull's
    audit rows, which need not wait for the disk) serve the hot path in Core.
    """

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # A fixed pool, no overflow: the app runs at most `pool_size` requests at once
        # (app.py), so connections are reused, never opened and closed under load.
        # No ping before each use (a round trip per request): a connection found dead
        # (the database restarted) fails its request and SQLAlchemy then replaces the
        # whole pool; push and pull retry once on that (routes/changes.py).
        # hide_parameters: an error's text never carries the statement's values (ids),
        # wherever it ends up (the log keeps no exception messages anyway: logs.py).
        pool = {"pool_size": pool_size, "max_overflow": 0, "pool_pre_ping": False,
                "pool_recycle": 3600, "hide_parameters": True}
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, "BEGIN", pool)
            self.writer = self.relaxed = _sqlite_engine(url, "BEGIN IMMEDIATE", pool)
        else:
            self.engine = self.writer = create_engine(url, **pool)
            # For writes whose loss in a crash costs little (the audit row of a pull):
            # commits do not wait for the disk. Its own connections, so no per-transaction
            # SET is needed; every other write stays durable.
            # Autocommit: a pull's two reads and its audit row need no BEGIN and COMMIT
            # round trips (routes/changes.py explains why that is consistent).
            self.relaxed = create_engine(
                url, connect_args={"options": "-c synchronous_commit=off"},
                isolation_level="AUTOCOMMIT", **pool)
        self.reading: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self.writing: sessionmaker[Session] = sessionmaker(self.writer, expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the newest revision; safe when several processes start at once."""
        with self.writer.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            _alembic_upgrade(conn)

    def dispose(self) -> None:
        self.engine.dispose()
        self.writer.dispose()
        self.relaxed.dispose()


def _sqlite_engine(url: str, begin: str, pool: dict[str, Any]) -> Engine:
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}, **pool
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _alembic_upgrade(conn: Connection) -> None:
    script_location = str(resources.files("eolcare.server") / "migrations")
    config = Config()
    config.set_main_option("script_location", script_location)
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
