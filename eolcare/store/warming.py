"""Warming, after unlocking, the pages a search and the caseload read first.

On a profile the system has not read yet, the first two-letter searches waited
20-60 ms inside SQLite for the search index. :class:`PageWarmer` reads those
tables and indexes once, in the background, so the system's file cache holds
them; it is skipped when the cache holds the database already
(:func:`cached_share`). The window runs it (docs/gui.md, "A cold first search,
and scrolling").
"""

from __future__ import annotations

import ctypes
import logging
import mmap
import os
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from eolcare.store import engine as engines

log = logging.getLogger(__name__)


#: What a search and the caseload's reads use, each read whole by one statement: the
#: search index's blocks and terms, the people by id, and the two indexes a caseload
#: line's next review and key worker come from. Each statement runs inside SQLite from
#: start to end, and SQLite lets go of Python's lock while it runs: the GUI thread is
#: not held up. The person table itself is left out: a page of results reads 40 of its
#: rows, and reading all of it cost 150-190 ms of a core (SQLCipher decrypts every
#: page), which the first keystrokes competed with. At 20,000 people about 0.3 s from
#: a cold disk here (docs/gui.md, "What a cold profile costs").
#: A statement with a ``?`` reads in chunks, in rowid order from after the last row of
#: the one before (the search index: 4,900 blocks, 18 MB, at 20,000 people), so that a
#: search can go first between two chunks.
WARM_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("search index", "SELECT max(rowid), max(block) IS NULL FROM (SELECT rowid, block "
                     "FROM search_index_data WHERE rowid > ? ORDER BY rowid LIMIT 256)"),
    ("search terms", "SELECT count(*) FROM search_index_idx WHERE term > x''"),
    ("people by id", "SELECT count(*) FROM person INDEXED BY sqlite_autoindex_person_1 "
                     "WHERE id > ''"),
    ("open tasks", "SELECT count(*) FROM task INDEXED BY ix_task_open WHERE person_id > ''"),
    ("key workers", "SELECT count(*) FROM involvement INDEXED BY ix_involvement_key_worker "
                    "WHERE person_id > ''"),
)


#: Above this share of the database file in the system's file cache, warming is skipped:
#: the pages are there (the backups read the whole file, and so does a restore).
CACHED_ENOUGH = 0.9
_LOW_BIT = bytes(i & 1 for i in range(256))


def cached_share(path: Path) -> float | None:
    """How much of a file the system's file cache holds, 0 to 1, without reading it
    (``mincore`` over an untouched mapping); None where that cannot be told (no
    ``mincore``: Windows)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        map_file, unmap, residency = libc.mmap, libc.munmap, libc.mincore
    except (OSError, AttributeError, TypeError):
        return None
    map_file.restype = ctypes.c_void_p
    map_file.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                         ctypes.c_int, ctypes.c_long]
    unmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    residency.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
    try:
        size = path.stat().st_size
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        if size == 0:
            return 1.0
        address = map_file(None, size, mmap.PROT_READ, mmap.MAP_SHARED, descriptor, 0)
        if address is None or address == ctypes.c_void_p(-1).value:
            return None
        try:
            pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
            held = (ctypes.c_ubyte * pages)()
            if residency(ctypes.c_void_p(address), size, held) != 0:
                return None
            # bit 0 of each byte: that page is in memory (the other bits are reserved)
            return bytes(held).translate(_LOW_BIT).count(1) / pages
        finally:
            unmap(ctypes.c_void_p(address), size)
    finally:
        os.close(descriptor)


class PageWarmer:
    """Reads, once, the pages a search and the caseload need, so that the first searches
    after unlocking do not wait on the disk (on a profile the system has not read yet,
    the first two-letter searches waited 20-60 ms inside SQLite for the search index).

    Only those tables and indexes are read (about 30 MB of a 550 MB, 20,000-person
    profile), on a reader's connection: it takes no write lock, and a writer carries on
    meanwhile (WAL). :meth:`run` works on the calling (reader) thread; :meth:`stop`,
    from any thread, ends it within the statement running (SQLite's interrupt) and
    stops the rest. Nothing it logs names a person: only which step, and timings.
    """

    def __init__(self, reading: Callable[[], AbstractContextManager[Session]],
                 database: Path | None = None, *, cached_enough: float = CACHED_ENOUGH,
                 busy: Callable[[], bool] = lambda: False) -> None:
        self._reading = reading
        #: while this says so (a search or a page of rows being read), the next statement
        #: or chunk waits: the warming gives way to what the coordinator waits for
        self._busy = busy
        #: the database file: nothing is read when the system's file cache holds at least
        #: ``cached_enough`` of it (after a warming, the window passes a little less than
        #: the share then cached: the pages warmed are still there)
        self._database = database
        self._cached_enough = cached_enough
        #: the share of the database in the file cache once warmed (None: not known)
        self.cached_after: float | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self._running: Any = None  # the DB-API connection while a statement runs
        #: the steps done (their names), for tests and the log
        self.done: list[str] = []

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        """Stop now (locking, closing): a running statement is interrupted."""
        with self._lock:
            self._stopped = True
            if self._running is not None:
                self._running.interrupt()

    def _step(self, connection: Any, raw: Any, statement: str) -> bool:
        """Run one statement (a chunked one to its end); False when stopped first."""
        after: int | None = -(2**63)
        while after is not None:
            while self._busy() and not self._stopped:
                time.sleep(0.01)
            with self._lock:
                if self._stopped:
                    return False
                self._running = raw
            try:
                if "?" not in statement:
                    connection.exec_driver_sql(statement).all()
                    return True
                after = connection.exec_driver_sql(statement, (after,)).scalar()
            finally:
                with self._lock:
                    self._running = None
        return True

    def run(self) -> list[str]:
        """Read each table and index in turn; the steps done (all unless stopped, none
        when the file cache holds the database already: SQLCipher decrypts every page
        read, 0.3-0.5 s of a core for nothing)."""
        started = time.perf_counter()
        share = cached_share(self._database) if self._database is not None else None
        if share is not None and share >= self._cached_enough:
            log.info("caseload pages not warmed: %.0f%% of the database is in the file "
                     "cache", share * 100)
            self.cached_after = share
            return []
        with self._reading() as session:
            connection = session.connection()
            raw = connection.connection.dbapi_connection
            for what, statement in WARM_STATEMENTS:
                try:
                    if not self._step(connection, raw, statement):
                        break
                except sa_exc.OperationalError as error:
                    if getattr(error.orig, "sqlite_errorname", "") == "SQLITE_INTERRUPT":
                        break  # stopped: nothing is wrong
                    # an index renamed by a later migration: the rest is still worth it
                    log.warning("warming the caseload's pages: %s failed (%s)", what,
                                getattr(error.orig, "sqlite_errorname", "") or "error")
                    continue
                self.done.append(what)
            # the point is the system's file cache: the decrypted pages this connection
            # now holds (up to its 32 MiB) are given back, or the window stayed 10-30 MB
            # larger
            connection.exec_driver_sql("PRAGMA shrink_memory")
        engines.release_memory()
        if self._database is not None and not self._stopped:
            self.cached_after = cached_share(self._database)
        log.info("caseload pages warmed: %d of %d steps in %.0f ms%s", len(self.done),
                 len(WARM_STATEMENTS), (time.perf_counter() - started) * 1000,
                 " (stopped)" if self._stopped else "")
        return list(self.done)
