"""Scratch databases are dropped even while a session we may not end is still in them.

The real case is an autovacuum worker; here a session of a second role
(`eolcare_other`, made by tools/test) plays it, on the real PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from eolcare.server.scratch import drop_database, scratch_database

from .conftest import _postgres_url

pytestmark = pytest.mark.postgres
OTHER_ROLE = ("eolcare_other", "eolcare_other")


def _exists(admin_url: str, name: str) -> bool:
    engine = create_engine(admin_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                {"n": name}).first() is not None
    finally:
        engine.dispose()


def _other_session(url: str) -> tuple[Engine, Connection]:
    user, password = OTHER_ROLE
    engine = create_engine(make_url(url).set(username=user, password=password))
    conn = engine.connect()
    conn.execute(text("SELECT 1"))
    return engine, conn


def test_drop_waits_for_a_session_it_cannot_end() -> None:
    base = _postgres_url()
    with scratch_database(base, "eolcare_scratch") as url:
        name = make_url(url).database
        assert name is not None
        assert _exists(base, name)
        engine, conn = _other_session(url)

        def leave_later() -> None:
            time.sleep(1.5)
            conn.close()
            engine.dispose()

        leaver = threading.Thread(target=leave_later)
        leaver.start()
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        started = time.monotonic()
        drop_database(admin, name)
        waited = time.monotonic() - started
        admin.dispose()
        leaver.join()
    assert waited >= 1.0  # it was refused while the other session held the database
    assert not _exists(base, name)


def test_drop_gives_up_with_the_database_error_after_its_patience() -> None:
    base = _postgres_url()
    with scratch_database(base, "eolcare_scratch") as url:
        name = make_url(url).database
        assert name is not None
        engine, conn = _other_session(url)
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with pytest.raises(DBAPIError, match="must be a member of the role"):
                drop_database(admin, name, patience_s=1.0)
            assert _exists(base, name)  # nothing half-done: still there, still usable
            assert conn.execute(text("SELECT 1")).scalar() == 1
        finally:
            conn.close()
            engine.dispose()
            admin.dispose()
    assert not _exists(base, name)  # the context manager dropped it once the session left
