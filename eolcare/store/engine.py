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

import ctypes
import errno
import functools
import logging
import os
import sys
from pathlib import Path
from typing import Any

import pydantic_core
import sqlcipher3
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import Dialect
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

PAGE_SIZE = 16_384
"""The page size of a new store: four times SQLite's and SQLCipher's default. SQLCipher
encrypts and authenticates every page it writes, and a B-tree with larger pages has fewer
of them to split and write: SQLite alone wrote a 20,000-person first sync's rows in
7.7 s instead of 9.6, as fast as into a plain file (7.5 s); the whole sync took 3 s
less (docs/vault.md, "Page size"). SQLCipher cannot read the page size from an encrypted
file, so every connection says it (:func:`unlock`)."""
PAGE_SIZES = (PAGE_SIZE, 4_096)
"""The page sizes a store may have, the newest first: stores made before the seventh
session have 4,096 bytes, and keep it (:func:`inspect` finds which)."""

CACHE_KIB = 32 * 1024
"""Each connection's page cache of decrypted pages (SQLite's default is 2 MiB). 32 MiB
holds a 20,000-person caseload's hot pages (the caseload index, the search index's
prefix lists: at 16 MiB broad searches took twice as long); the window keeps up to
four connections (two readers, the writer, one spare), and at 64 MiB each they made
most of its memory (bench/gui_memory_bench.py: peak 358 MB at 64 MiB, 293 MB at 32).
See docs/gui.md, Performance."""

LARGE_CACHE_KIB = 64 * 1024
"""The page cache while a large job writes (a team's first sync): the pages of the
indexes it inserts into stay decrypted between statements. With random (UUID4) ids a
20,000-person first sync at 32 MiB decrypted and encrypted the same index pages again and
again (74 s; 58 s at 200-400 MiB). With time-ordered ids each index grows at one edge:
the same sync took 41.3 s at 64 MiB and 39.8-41.3 s at 256 MiB (bench/sync_bench.py), so
64 MiB, for a quarter of the memory. Pages are only taken as they are read, and given
back when the job ends (:meth:`eolcare.store.database.Store.large_cache`)."""

CORRUPT = (
    "The profile's database cannot be read: the file is damaged, incomplete, or not an "
    "eolcare database. Nothing was changed. Restore the latest good backup of this profile "
    "(eolcare keeps them automatically), or sync it again from the team server."
)
_MISSING = (
    "The profile's database file is missing. Nothing was changed. Restore the latest good "
    "backup of this profile (eolcare keeps them automatically), or sync it again from the "
    "team server."
)
_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_HEADER = 32
_FRAME_HEADER = 24
_LOW_SPACE = 1024 * 1024  # below this, an I/O error is taken to be the disk filling up


def check_file(path: Path, *, may_be_new: bool = False) -> None:
    """Refuse a file that is plain SQLite or obviously not a database, before opening it.

    A missing file is refused too, unless the profile is being created.
    """
    try:
        with path.open("rb") as f:
            header = f.read(16)
    except FileNotFoundError:
        if may_be_new:
            return
        raise CorruptDatabaseError(_MISSING) from None
    except OSError as e:
        raise DiskError(f"The profile's database file cannot be read ({e.strerror}).") from None
    if header == PLAIN_SQLITE_HEADER:
        raise NotEncryptedError(
            "This database file is not encrypted, so eolcare will not open it. "
            "Records must only be kept in an encrypted profile."
        )
    if len(header) < 16:  # empty or cut short: no database of ours
        raise CorruptDatabaseError(CORRUPT)


def create_store_engine(path: Path, key: bytes, page_size: int = PAGE_SIZE) -> Engine:
    """An engine on the SQLCipher file at ``path`` unlocked with the raw ``key``, its pages
    ``page_size`` bytes (what :func:`inspect` found)."""
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher3.dbapi2,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
        # the connection used last is used next: its page cache is the warm one (each
        # connection decrypts its own; round-robin made a reader's search several
        # times slower than the same query a moment before on another connection)
        pool_use_lifo=True,
        connect_args={"check_same_thread": False, "timeout": 5.0},
        json_serializer=json_text,
        json_deserializer=pydantic_core.from_json,
    )

    @event.listens_for(engine, "connect")
    def _unlock(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA cipher_log_level = NONE")
            unlock(cur, key, page_size)
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
            cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        finally:
            cur.close()

    return engine


@functools.cache
def store_dialect() -> Dialect:
    """The SQL dialect of every store engine (:func:`create_store_engine`), without a
    database: what builds rows in their stored form anywhere, in any process."""
    return SQLiteDialect_pysqlite(json_serializer=json_text,
                                  json_deserializer=pydantic_core.from_json)


def json_text(value: Any) -> str:
    """A JSON column's text, written by pydantic-core's encoder: compact and UTF-8, several
    times as fast as the standard library's (a first sync writes 300,000 operations'
    changes: 3 s of the writer's time with ``json.dumps``). Read back by its parser."""
    return pydantic_core.to_json(value).decode()


def release_memory() -> None:
    """Hand memory the program has freed back to the system, where the C library keeps it
    otherwise (glibc keeps small freed blocks, such as SQLite's cache pages: after a first
    sync closed a 256 MiB cache the window stayed 230 MB larger). Elsewhere, nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        log.debug("malloc_trim is not available")


def size_cache(dbapi_conn: Any, kib: int) -> None:
    """Set a connection's page cache to ``kib``; pages beyond it are freed at once."""
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA cache_size = -{int(kib)}")
    finally:
        cur.close()


def inspect(path: Path, key: bytes) -> int:
    """Before the file is opened for writing: the key reads it, and no page is missing.
    Returns its page size (one of :data:`PAGE_SIZES`; :data:`PAGE_SIZE` for a new file).

    Nothing is written, not even a -shm file (SQLite's ``immutable`` read of the
    main file, and the -wal file's plain frame headers), so a refused file is
    left exactly as it was: a writing connection would fold the -wal file into
    a truncated database when it closed. Pages written since the last
    checkpoint live in the -wal file, so a page beyond the end of the file must
    be found there.
    """
    if not path.exists():
        return PAGE_SIZE
    page_size, page_count = _first_readable(
        f"{path.resolve().as_uri()}?mode=ro&immutable=1", path, key)
    in_wal, committed_size = wal_frames(path.with_name(path.name + "-wal"), page_size)
    expected = committed_size or page_count
    in_file = path.stat().st_size // page_size
    if set(range(in_file + 1, expected + 1)) - in_wal:
        raise CorruptDatabaseError(CORRUPT)
    return page_size


def page_size_of(uri: str, key: bytes) -> int:
    """The page size with which ``key`` reads the database at ``uri`` (a file: URI, read
    only); raises as :func:`inspect` does when none does."""
    return _first_readable(uri, None, key)[0]


def _first_readable(uri: str, path: Path | None, key: bytes) -> tuple[int, int]:
    """(page size, page count) of the first of :data:`PAGE_SIZES` that reads the file. A
    wrong key or a damaged file reads with none: the error of the first is raised."""
    first: BaseException | None = None
    for size in PAGE_SIZES:
        try:
            conn = sqlcipher3.connect(uri, uri=True)
        except sqlcipher3.Error as e:
            raise translate_driver(e, path) from None
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            unlock(conn, key, size)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return size, int(conn.execute("PRAGMA page_count").fetchone()[0])
        except (sqlcipher3.Error, MemoryError) as e:  # MemoryError: some damaged files
            first = first or e
        finally:
            conn.close()
    if isinstance(first, MemoryError):
        raise CorruptDatabaseError(CORRUPT)
    raise translate_driver(first, path)


def wal_frames(wal: Path, page_size: int) -> tuple[set[int], int | None]:
    """The pages held in a -wal file, and the database's size in pages after its last commit.

    Read from the frame headers, which are plain in SQLCipher too; frames left
    from before the WAL was last reset (other salts) are not counted.
    """
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return set(), None
    if len(data) < _WAL_HEADER or int.from_bytes(data[:4], "big") not in _WAL_MAGIC:
        return set(), None
    salts = data[16:24]
    pages: set[int] = set()
    committed: int | None = None
    frame = _FRAME_HEADER + page_size
    for start in range(_WAL_HEADER, len(data) - frame + 1, frame):
        if data[start + 8:start + 16] != salts:
            break
        pages.add(int.from_bytes(data[start:start + 4], "big"))
        size_after_commit = int.from_bytes(data[start + 4:start + 8], "big")
        if size_after_commit:
            committed = size_after_commit
    return pages, committed


def verify(engine: Engine, path: Path) -> None:
    """Read the first page through the engine (the key is right, SQLCipher is in use)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except exc.DBAPIError as e:
        raise translate(e, path) from None


def unlock(conn: Any, key: bytes, page_size: int) -> None:
    """Give a new SQLCipher connection (or cursor) the raw key and the file's page size."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"not a store page size: {page_size}")
    conn.execute(pragma_key(key))
    conn.execute(f"PRAGMA cipher_page_size = {page_size}")


def pragma_key(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("the database key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def may_be_damage(error: BaseException) -> bool:
    """SQLCipher's answer, in some paths, to a page that fails its check (a bare "SQL logic
    error"): an error to check the file for (:func:`sound`) before calling it damage."""
    orig = getattr(error, "orig", error)
    return str(orig).lower() == "sql logic error"


def sound(path: Path, key: bytes) -> bool | None:
    """SQLite's quick check of the file at ``path`` on a connection of its own: False when it
    fails or ``key`` reads the file with no page size, None when it cannot be opened."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        page_size = page_size_of(uri, key)
    except StoreError:
        return False
    try:
        conn = sqlcipher3.connect(uri, uri=True)
    except sqlcipher3.Error:
        return None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        unlock(conn, key, page_size)
        return bool(conn.execute("PRAGMA quick_check").fetchall() == [("ok",)])
    except (sqlcipher3.Error, MemoryError):
        return False
    finally:
        conn.close()


def translate(error: exc.DBAPIError | OSError | MemoryError, path: Path | None = None
              ) -> StoreError:
    """A store error with a plain sentence for a database or file-system failure.

    ``path`` (the database file) lets an I/O error on a disk with no space left
    be reported as the disk being full.
    """
    if isinstance(error, MemoryError):
        # SQLCipher answers SQLITE_NOMEM on a connection that met a page it could not decrypt
        log.warning("database error MemoryError")
        return CorruptDatabaseError(CORRUPT)
    if isinstance(error, OSError):
        if error.errno != errno.ENOSPC and _disk_nearly_full(path):
            return _from_errno(errno.ENOSPC, None)
        return _from_errno(error.errno, error.strerror)
    return translate_driver(error.orig, path)


def translate_driver(orig: BaseException | None, path: Path | None) -> StoreError:
    name = getattr(orig, "sqlite_errorname", "") or ""
    message = str(orig).lower()
    log.warning("database error %s", name or type(orig).__name__)
    if name.startswith("SQLITE_FULL") or "disk is full" in message or (
            name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR")) and _disk_nearly_full(path)):
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
    if name.startswith(("SQLITE_NOTADB", "SQLITECORRUPT")) or "not a database" in message \
            or "malformed" in message:
        return CorruptDatabaseError(CORRUPT)
    return StoreError("The database reported an error; nothing was changed. See the log.")


def _disk_nearly_full(path: Path | None) -> bool:
    """Whether the disk holding ``path`` has (almost) no space left for this user."""
    if path is None:
        return False
    folder = path if path.is_dir() else path.parent
    try:
        usage = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows: say what SQLite said
        return False
    return usage.f_bavail * usage.f_frsize < _LOW_SPACE


def _from_errno(code: int | None, detail: str | None) -> DiskError:
    if code == errno.ENOSPC:
        return DiskError("The disk is full, so nothing was saved. Free some space and try again.")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DiskError(
            "The profile folder is read-only, so nothing was saved. Check the disk and its "
            "permissions, then try again."
        )
    return DiskError(f"The profile could not be saved to disk ({detail or 'input/output error'}).")
