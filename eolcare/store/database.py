"""The open store of one profile: engine, sessions, clock and the profile lock.

``Store`` is what every layer above uses: ``with store.writing() as w:`` for a
unit of work that changes the record (one transaction, operations stamped by
this device's clock), ``with store.reading() as s:`` for queries. Only one
program may have a profile open at a time (a lock file, checked without
waiting), and database failures reach callers as plain-sentence errors.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from types import TracebackType

import filelock
from sqlalchemy import exc, func, select
from sqlalchemy.orm import Session, sessionmaker

from eolcare.domain.errors import CorruptDatabaseError, EolcareError, ProfileInUseError
from eolcare.domain.hlc import Clock, Stamp
from eolcare.store import engine as engines
from eolcare.store import keycache, migrate, profiles, search, vault
from eolcare.store.profiles import Profile
from eolcare.store.tables import MetaRow, OperationRow
from eolcare.store.writes import Writer

log = logging.getLogger(__name__)


class Store:
    """An unlocked profile. Close it (or use it as a context manager) when done."""

    def __init__(self, profile: Profile, key: bytes) -> None:
        self.profile = profile
        self._lock = filelock.FileLock(profile.lock_path, timeout=0, mode=0o600)
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise ProfileInUseError(
                "This profile is already open in another eolcare window or command. "
                "Close that one first; nothing was changed."
            ) from None
        except OSError as e:  # a read-only or missing folder: the lock file cannot be made
            raise engines.translate(e) from None
        try:
            engines.check_file(profile.db_path)
            self.engine = engines.create_store_engine(profile.db_path, key)
            engines.verify(self.engine, profile.db_path)
            # Only the coordinator's account may read the file (SQLite gives the -wal
            # and -shm files the same permissions).
            profile.db_path.chmod(0o600)
            migrate.upgrade(self.engine)
        except BaseException:
            self._release()
            raise
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.Lock()
        with self.reading() as s:
            last = s.scalar(select(func.max(OperationRow.stamp)))
            rebuild = s.get(MetaRow, "search_rebuild") is not None
        self.clock = Clock(profile.device_id, Stamp.parse(last) if last else None)
        if rebuild:
            with self.writing() as w:
                count = search.rebuild(w.session)
            log.info("search index rebuilt: %d entries", count)

    def _release(self) -> None:
        if hasattr(self, "engine"):
            self.engine.dispose()
        self._lock.release()

    def close(self) -> None:
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

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._translated(), self.sessions() as session:
            yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except exc.DBAPIError as e:
            raise engines.translate(e) from None
        except OSError as e:
            raise engines.translate(e) from None


def create_profile(name: str, author: str, passphrase: str,
                   kdf: vault.KdfParams = vault.KDF_DEFAULT) -> tuple[Profile, str]:
    """Create a profile with its vault and an empty encrypted database.

    Returns the profile and its recovery key (to show once). If any step fails,
    nothing of the profile is left behind.
    """
    profile = profiles.new_profile(name, author)
    try:
        created = vault.create_vault(profile.vault_path, passphrase, kdf, profile_id=profile.id)
        Store(profile, created.key).close()
    except BaseException:
        profiles.remove_unfinished(profile)
        raise
    return profile, created.recovery_key


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
