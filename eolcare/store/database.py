"""The open store of one profile: engine, sessions, clock and the profile lock.

``Store`` is what every layer above uses: ``with store.writing() as w:`` for a
unit of work that changes the record (one transaction, operations stamped by
this device's clock), ``with store.reading() as s:`` for queries. Only one
program may have a profile open at a time (a lock file, checked without
waiting), and database failures reach callers as plain-sentence errors, from
the first check at open to the last query. After the database is found
damaged, the store answers every later call with that same sentence (it
never writes on top of damage); closing it still works.

Unlocking comes first, in two steps a window can run on a worker thread:
:func:`key_from_keyring`, else :func:`unlock_with_passphrase` or
:func:`unlock_with_recovery_key`; then ``Store(profile, key)``. Creating and
removing profiles: :mod:`eolcare.store.lifecycle`. Backups are made on close
and while editing (:mod:`eolcare.store.backup`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any

import filelock
from sqlalchemy import event, exc, func, select
from sqlalchemy.orm import Session, sessionmaker

from eolcare.domain.errors import CorruptDatabaseError, EolcareError, StoreError
from eolcare.domain.hlc import Clock, Stamp
from eolcare.store import backup, keycache, migrate, profiles, search, vault
from eolcare.store import engine as engines
from eolcare.store.profiles import Profile
from eolcare.store.tables import MetaRow, OperationRow
from eolcare.store.writes import Writer

log = logging.getLogger(__name__)

_DB_ERRORS = (exc.DBAPIError, OSError, MemoryError)


class Store:
    """An unlocked profile. Close it (or use it as a context manager) when done.

    ``lock`` is the profile's lock when the caller holds it already (profile
    creation hands it over, so no other program can open the profile between
    creating and filling it).
    """

    def __init__(self, profile: Profile, key: bytes, *,
                 lock: filelock.BaseFileLock | None = None) -> None:
        self.profile = profile
        self._lock = lock if lock is not None else profiles.hold_lock(profile)
        self._key = key
        self._broken: StoreError | None = None
        self._closed = False
        self._opened = datetime.now(UTC)
        self._backup_thread: threading.Thread | None = None
        self._next_backup_check = time.monotonic() + backup.EVERY.total_seconds()
        self.backup_problem: StoreError | None = None
        """The last automatic backup's failure (damage found, disk full), for a window to show."""
        try:
            with self._translated():
                vault.remove_stray_temps(profile.path)  # left by a killed passphrase change
                engines.check_file(profile.db_path, may_be_new=profile.state == profiles.CREATING)
                self.page_size = engines.inspect(profile.db_path, key)
                self.engine = engines.create_store_engine(profile.db_path, key, self.page_size)
                self._cache_kib = engines.CACHE_KIB
                event.listen(self.engine, "checkout", self._size_cache)
                engines.verify(self.engine, profile.db_path)
                # Only the coordinator's account may read the file (SQLite gives the -wal
                # and -shm files the same permissions).
                profile.db_path.chmod(0o600)
                migrate.upgrade(self.engine)
                self.sessions = sessionmaker(self.engine, expire_on_commit=False)
                self._write_lock = threading.Lock()
                with self.sessions() as s:
                    last = s.scalar(select(func.max(OperationRow.stamp)))
                    rebuild = s.get(MetaRow, "search_rebuild") is not None
            self.clock = Clock(profile.device_id, Stamp.parse(last) if last else None)
            if rebuild:
                with self.writing() as w:
                    count = search.rebuild(w.session)
                log.info("search index rebuilt: %d entries", count)
        except BaseException:
            # a lock handed over stays with the caller, who must still remove what it made
            self._release(unlock=lock is None)
            raise

    def _release(self, *, unlock: bool = True) -> None:
        if self._backup_thread is not None:
            self._backup_thread.join()
        if hasattr(self, "engine"):
            self.engine.dispose()
        if unlock:
            self._lock.release()

    def close_keeping_lock(self) -> filelock.BaseFileLock:
        """Close the database (no backup) but keep the profile locked; return the lock.

        For removing the profile without letting another program open it in between.
        """
        self._closed = True
        self._release(unlock=False)
        return self._lock

    def close(self) -> None:
        """Make a backup if one is due (never raises for it), then close and unlock."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._backup_thread is not None:
                self._backup_thread.join()
            if self._broken is None:
                self._backup_if_due(backup.ON_CLOSE_GAP, "on close", since=None)
        finally:
            self._release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: type[BaseException] | BaseException | TracebackType | None
                 ) -> None:
        self.close()

    @contextmanager
    def writing(self, today: date | None = None) -> Iterator[Writer]:
        """One unit of work: every change inside commits together or not at all."""
        with self._write_lock, self._translated(), self.sessions.begin() as session:
            yield Writer(session, self.clock, self.profile.author, today)
        self._after_write()

    @contextmanager
    def large_cache(self) -> Iterator[None]:
        """While a large job writes (a first sync), connections keep a larger page cache
        (:data:`~eolcare.store.engine.LARGE_CACHE_KIB`). Afterwards the cache shrinks
        back and its memory is handed back to the system, so a window does not keep a
        sync's cache for the day: the connection used last (the job's) at once, on the
        checkout here, the others on their next checkout. (Closing the connections
        instead held the GIL while it freed the pages: a 75 ms stall of the window.)"""
        self._cache_kib = engines.LARGE_CACHE_KIB
        try:
            yield
        finally:
            self._cache_kib = engines.CACHE_KIB
            if not self._closed and self._broken is None:
                # a failure here must not hide the job's own
                with suppress(StoreError), self._translated(), self.engine.connect():
                    pass
                engines.release_memory()

    def _size_cache(self, dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        """On checkout: give the connection the cache size wanted now, if it differs."""
        if record.info.get("cache_kib", engines.CACHE_KIB) != self._cache_kib:
            engines.size_cache(dbapi_conn, self._cache_kib)
            record.info["cache_kib"] = self._cache_kib

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._translated(), self.sessions() as session:
            yield session

    def backup_now(self, reason: str = "by hand") -> backup.Backup:
        """Make a backup now (checked, rotated); raises if the check finds damage."""
        if self._backup_thread is not None:
            self._backup_thread.join()
        with self._translated():
            return self._make_backup(reason)

    @contextmanager
    def _translated(self) -> Iterator[None]:
        if self._broken is not None:
            raise type(self._broken)(str(self._broken))
        try:
            yield
        except _DB_ERRORS as e:
            error = engines.translate(e, self.profile.db_path)
            if engines.may_be_damage(e) and engines.sound(self.profile.db_path,
                                                           self._key) is False:
                error = CorruptDatabaseError(engines.CORRUPT)
            if isinstance(error, CorruptDatabaseError):
                self._break(error)
            raise error from None
        except CorruptDatabaseError as e:
            self._break(e)
            raise

    def _break(self, error: StoreError) -> None:
        """Damage found: answer every later call with it, and drop the connections that met it."""
        if self._broken is None and hasattr(self, "engine"):
            self._broken = error
            self.engine.dispose()

    # -- automatic backups ---------------------------------------------------------------

    def _after_write(self) -> None:
        """After a stretch of editing (every :data:`backup.EVERY`), a backup in the background."""
        if time.monotonic() < self._next_backup_check or self._closed:
            return
        if self._backup_thread is not None and self._backup_thread.is_alive():
            return
        self._next_backup_check = time.monotonic() + backup.EVERY.total_seconds()
        thread = threading.Thread(target=self._backup_if_due,
                                  args=(backup.EVERY, "while editing", self._opened),
                                  name="eolcare-backup", daemon=True)
        self._backup_thread = thread
        thread.start()

    def _backup_if_due(self, gap: timedelta, reason: str, since: datetime | None) -> None:
        """Make a backup if one is due; a failure is logged and kept in backup_problem."""
        started = time.monotonic()
        try:
            with self._translated(), self.sessions() as s:
                last = s.scalar(select(func.max(OperationRow.stamp)))
            now = datetime.now(UTC)
            if not backup.due(self.profile, last, since=since or datetime.min.replace(tzinfo=UTC),
                              now=now, gap=gap):
                return
            with self._translated():
                self._make_backup(reason)
            self.backup_problem = None
        except StoreError as e:
            self.backup_problem = e
            log.warning("automatic backup not made: %s", type(e).__name__)
        log.debug("backup check took %.3f s", time.monotonic() - started)

    def _make_backup(self, reason: str) -> backup.Backup:
        raw = self.engine.raw_connection()
        try:
            made = backup.make(raw.driver_connection, self.profile, self._key, reason)
        except BaseException:
            raw.invalidate()  # SQLCipher leaves a connection that met a bad page unusable
            raise
        raw.close()
        return made


def create_profile(name: str, author: str, passphrase: str,
                   kdf: vault.VaultKdf = vault.KDF_DEFAULT) -> tuple[Profile, str]:
    """Create a profile and count its recovery key as shown; return both. Closed afterwards.

    For callers that show the recovery key themselves straight away, or need
    none shown (tests, benchmarks). A window or the CLI uses
    :func:`eolcare.store.lifecycle.begin_profile` and confirms the key was shown.
    """
    from eolcare.store import lifecycle  # lifecycle builds on Store

    new = lifecycle.begin_profile(name, author, passphrase, kdf)
    with new.store as store:
        profile = lifecycle.confirm_recovery_key_shown(store)
    return profile, new.recovery_key


KEYRING_TIMEOUT = 3.0
"""Seconds to wait for the OS keyring before asking for the passphrase instead."""


def key_from_keyring(profile: Profile, timeout: float = KEYRING_TIMEOUT) -> bytes | None:
    """The database key cached in the OS keyring, or None (no secure keyring, nothing cached).

    Never blocks for more than ``timeout`` seconds: a locked Secret Service can
    hang. A cached key that does not match this profile's key file (a stale
    entry) is forgotten and None is returned, so the caller asks for the
    passphrase. Safe to call from a worker thread.
    """
    key = keycache.load_key(profile.id, timeout)
    if key is None:
        return None
    try:
        matches = vault.key_matches(profile.vault_path, key)
    except EolcareError:
        matches = None  # the key file is unreadable: let Store or the passphrase say why
    if matches is False:
        log.info("cached key does not match the key file; forgotten")
        keycache.forget_key(profile.id, timeout)
        return None
    return key


def unlock_with_passphrase(profile: Profile, passphrase: str, *,
                           use_keyring: bool = True) -> bytes:
    """The database key, from the coordinator's passphrase (Argon2id: about half a second).

    Raises :class:`WrongPassphraseError` (try again), or an error saying the key
    file is missing, damaged or another profile's. With ``use_keyring`` the key
    is then cached in the OS keyring, only when a secure one answers in time.
    """
    key = vault.unlock(profile.vault_path, passphrase, profile_id=profile.id)
    if use_keyring:
        keycache.store_key(profile.id, key, KEYRING_TIMEOUT)
    return key


def unlock_with_recovery_key(profile: Profile, recovery_key: str) -> bytes:
    """The database key, from the recovery key shown when the profile was created.

    Not cached in the keyring: after using the recovery key the coordinator
    should set a new passphrase, and that unlock caches the key.
    """
    return vault.unlock_with_recovery_key(profile.vault_path, recovery_key,
                                          profile_id=profile.id)


def forget_cached_key(profile: Profile) -> None:
    """Remove the profile's key from the OS keyring (lock the profile on this computer)."""
    keycache.forget_key(profile.id, KEYRING_TIMEOUT)


def change_passphrase(profile: Profile, old: str, new: str) -> None:
    """Change the profile's passphrase, holding its lock (refused while it is open elsewhere).

    The key is checked against the profile's own database before the key file
    is rewritten, so another profile's key file put in its place is never
    changed; a temporary key file left by an interrupted change is removed.
    """
    _rewrapping(profile, lambda check: vault.change_passphrase(
        profile.vault_path, old, new, profile_id=profile.id, check_key=check))


def reset_passphrase(profile: Profile, recovery_key: str, new: str) -> None:
    """Set a new passphrase with the recovery key (forgotten passphrase), holding the lock."""
    _rewrapping(profile, lambda check: vault.reset_passphrase(
        profile.vault_path, recovery_key, new, profile_id=profile.id, check_key=check))


def _rewrapping(profile: Profile, rewrap: Callable[[Callable[[bytes], None]], bytes]) -> None:
    def opens_this_database(key: bytes) -> None:
        try:
            engines.inspect(profile.db_path, key)
        except CorruptDatabaseError:
            raise vault.VaultMismatchError(
                "The key file does not open this profile's database: it may be another "
                "profile's key file, or the database may be damaged. Nothing was changed; "
                "restore this profile's own key file or its latest good backup.") from None

    lock = profiles.hold_lock(profile)
    try:
        vault.remove_stray_temps(profile.path)
        rewrap(opens_this_database)
    finally:
        lock.release()


def open_profile(name: str | None, ask_passphrase: Callable[[], str], *,
                 use_keyring: bool = True) -> Store:
    """Find, unlock and open a profile: the keyring first, else ``ask_passphrase()``.

    For the command line. ``ask_passphrase`` is called only after the keyring
    has answered (or given up), never during keyring or Argon2 work.
    """
    profile = profiles.find_profile(name)
    key = key_from_keyring(profile) if use_keyring else None
    from_keyring = key is not None
    if key is None:
        key = unlock_with_passphrase(profile, ask_passphrase(), use_keyring=use_keyring)
    try:
        return Store(profile, key)
    except CorruptDatabaseError:
        if from_keyring:
            # a stale cached key (the key decrypts nothing) must not lock anyone out
            forget_cached_key(profile)
        raise
