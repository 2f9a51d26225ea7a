"""Opening the encrypted database: SQLCipher under SQLAlchemy.

The raw 256-bit key is set in a connect event (never a password in a URL, so
it cannot leak through a logged URL, and no second key derivation runs on
every connection). At open the file is checked: a plain SQLite file is
refused (it would be a data breach waiting for a lost laptop), so is a file
shorter than its own page count says (truncated), and SQLCipher must report a
``cipher_version``. SQLite errors are turned into :mod:`eolcare.domain.errors`
with plain sentences.
"""

from __future__ import annotations

import errno
import logging
import sys
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.pool import QueuePool

from eolcare.domain.errors import (
    CorruptDatabaseError,
    DiskError,
    NotEncryptedError,
    ProfileInUseError,
    StoreError,
)

log = logging.getLogger(__name__)

PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32

SYNCHRONOUS = "FULL"
"""A commit returns only once its WAL frames are on the disk (fsync), so "saved" survives a
power cut; NORMAL would only survive a crash of the program. Measured in
bench/durability_bench.py; see docs/vault.md ("Saved means saved")."""
_SYNCHRONOUS_LEVELS = {"OFF": 0, "NORMAL": 1, "FULL": 2, "EXTRA": 3}

_CORRUPT = (
    "The profile's database cannot be read: the file is damaged, incomplete, or not an "
    "eolcare database. Nothing was changed. Restore the file from a backup or sync this "
    "profile again from the team server."
)


def check_file(path: Path) -> None:
    """Refuse a file that is plain SQLite or obviously not a database, before opening it."""
    try:
        with path.open("rb") as f:
            header = f.read(16)
    except FileNotFoundError:
        return
    except OSError as e:
        raise DiskError(f"The profile's database file cannot be read ({e.strerror}).") from None
    if header == PLAIN_SQLITE_HEADER:
        raise NotEncryptedError(
            "This database file is not encrypted, so eolcare will not open it. "
            "Records must only be kept in an encrypted profile."
        )
    if len(header) < 16:  # empty or cut short: no database of ours
        raise CorruptDatabaseError(_CORRUPT)


def create_store_engine(path: Path, key: bytes) -> Engine:
    """An engine on the SQLCipher file at ``path`` unlocked with the raw ``key``."""
    if len(key) != KEY_BYTES:
        raise ValueError("the database key must be 32 bytes")
    pragma_key = f"PRAGMA key = \"x'{key.hex()}'\""
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher3.dbapi2,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
        connect_args={"check_same_thread": False, "timeout": 5.0},
    )

    @event.listens_for(engine, "connect")
    def _unlock(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA cipher_log_level = NONE")
            cur.execute(pragma_key)
            version = cur.execute("PRAGMA cipher_version").fetchone()
            if not version or not version[0]:
                raise NotEncryptedError(
                    "The database library in use has no encryption (SQLCipher is missing), "
                    "so eolcare will not open or create a database with it."
                )
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA busy_timeout = 5000")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
            if sys.platform == "darwin":
                # macOS's fsync leaves the data in the drive's cache; F_FULLFSYNC does not.
                cur.execute("PRAGMA fullfsync = ON")
            level = cur.execute("PRAGMA synchronous").fetchone()
            if not level or level[0] != _SYNCHRONOUS_LEVELS[SYNCHRONOUS]:
                raise StoreError("The database would not promise to keep saved changes, so "
                                 "eolcare will not use it. Nothing was changed.")
            # 64 MiB of page cache (SQLite's default is 2-8 MiB): a caseload of 20,000
            # keeps its hot index pages decrypted in memory.
            cur.execute("PRAGMA cache_size = -65536")
        finally:
            cur.close()

    return engine


def verify(engine: Engine, path: Path) -> None:
    """Read the first page and compare the file's size with its page count."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
            page_size = int(conn.execute(text("PRAGMA page_size")).scalar_one())
            page_count = int(conn.execute(text("PRAGMA page_count")).scalar_one())
    except exc.DBAPIError as e:
        raise translate(e) from None
    # Pages written since the last checkpoint live in the -wal file, so the size
    # check only holds when that file is empty or absent.
    wal = path.with_name(path.name + "-wal")
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if wal_empty and path.exists() and path.stat().st_size < page_size * page_count:
        raise CorruptDatabaseError(_CORRUPT)


def translate(error: exc.DBAPIError | OSError) -> StoreError:
    """A store error with a plain sentence for a database or file-system failure."""
    if isinstance(error, OSError):
        return _from_errno(error.errno, error.strerror)
    orig = error.orig
    name = getattr(orig, "sqlite_errorname", "") or ""
    message = str(orig).lower()
    log.warning("database error %s", name or type(orig).__name__)
    if name.startswith("SQLITE_FULL") or "disk is full" in message:
        return _from_errno(errno.ENOSPC, None)
    if name.startswith("SQLITE_READONLY") or "readonly" in message:
        return _from_errno(errno.EROFS, None)
    if name.startswith("SQLITE_BUSY") or "database is locked" in message:
        return ProfileInUseError(
            "The profile is busy: another eolcare program is writing to it. "
            "Nothing was changed; close the other program and try again."
        )
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        return DiskError(
            "The profile's database file could not be opened or written. Check that the "
            "disk is connected and that you may write to the profile folder."
        )
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "not a database" in message \
            or "malformed" in message:
        return CorruptDatabaseError(_CORRUPT)
    return StoreError("The database reported an error; nothing was changed. See the log.")


def _from_errno(code: int | None, detail: str | None) -> DiskError:
    if code == errno.ENOSPC:
        return DiskError("The disk is full, so nothing was saved. Free some space and try again.")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DiskError(
            "The profile folder is read-only, so nothing was saved. Check the disk and its "
            "permissions, then try again."
        )
    return DiskError(f"The profile could not be saved to disk ({detail or 'input/output error'}).")
