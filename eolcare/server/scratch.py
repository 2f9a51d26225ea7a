"""Throwaway PostgreSQL databases and loopback ports, for the tests and the benchmarks.

Not used by the server itself; kept here (as `sqlalchemy.testing` is) so the
test suite and `bench/` share one careful version.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

#: How long to keep trying to drop a database that a background process still holds.
DROP_PATIENCE_S = 30.0


def free_port() -> int:
    """A TCP port on loopback that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def scratch_database(base_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database beside the one `base_url` names; its URL. Dropped on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
        finally:
            drop_database(admin, name)
    finally:
        admin.dispose()


def drop_database(admin: Engine, name: str, patience_s: float = DROP_PATIENCE_S) -> None:
    """DROP DATABASE ... WITH (FORCE), tried again while it is refused.

    FORCE ends the database's client sessions, but a role without superuser rights
    cannot end an autovacuum worker that happens to be in it ("must be a member of
    the role whose process is being terminated"); the worker finishes within
    moments, so the drop is tried again until `patience_s` has passed.
    """
    deadline = time.monotonic() + patience_s
    while True:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
