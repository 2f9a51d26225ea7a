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

from eolcare.domain.errors import CorruptDatabaseError, ProfileInUseError
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
                   kdf: vault.VaultKdf = vault.KDF_DEFAULT) -> tuple[Profile, str]:
    """Create a profile with its vault and an empty encrypted database.

    Returns the profile and its recovery key (to show once). If any step fails,
    nothing of the profile is left behind.
    """
    profile = profiles.new_profile(name, author)
    try:
        created = vault.create_vault(profile.vault_path, passphrase, kdf)
        Store(profile, created.key).close()
    except BaseException:
        profiles.remove_unfinished(profile)
        raise
    return profile, created.recovery_key


def unlock_key(profile: Profile, ask_passphrase: Callable[[], str], *,
               use_keyring: bool = True) -> bytes:
    """The database key: from the OS keyring if cached there, else from the passphrase.

    After a passphrase unlock the key is cached in the keyring, but only when a
    secure keyring is present (see :mod:`eolcare.store.keycache`).
    """
    if use_keyring:
        cached = keycache.load_key(profile.id)
        if cached is not None:
            return cached
    key = vault.unlock(profile.vault_path, ask_passphrase())
    if use_keyring:
        keycache.store_key(profile.id, key)
    return key


def open_profile(name: str | None, ask_passphrase: Callable[[], str], *,
                 use_keyring: bool = True) -> Store:
    profile = profiles.find_profile(name)
    key = unlock_key(profile, ask_passphrase, use_keyring=use_keyring)
    try:
        return Store(profile, key)
    except CorruptDatabaseError:
        if use_keyring:
            # a stale cached key (the key decrypts nothing) must not lock anyone out
            keycache.forget_key(profile.id)
        raise
