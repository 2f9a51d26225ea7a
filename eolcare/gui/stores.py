"""Opening and closing a profile's store from the window, on the writer thread.

A store holds the profile's lock file, which is owned by the thread that took
it; so the window opens and closes stores only on the one writer thread
(:func:`eolcare.gui.worker.writer` keeps that thread for the whole run). These
functions are what the worker runs; they never touch a widget.
"""

from __future__ import annotations

import logging

from eolcare.domain.errors import CorruptDatabaseError
from eolcare.gui import worker
from eolcare.store import database
from eolcare.store.database import Store
from eolcare.store.profiles import Profile

log = logging.getLogger(__name__)


def open_from_keyring(profile: Profile) -> Store | None:
    """The open store when the OS keyring holds this profile's key, else None."""
    key = database.key_from_keyring(profile)
    if key is None:
        return None
    try:
        return Store(profile, key)
    except CorruptDatabaseError:
        # a stale cached key must not lock anyone out: forget it, ask for the passphrase
        database.forget_cached_key(profile)
        log.info("cached key did not open the store; forgotten")
        return None


def open_with_secret(profile: Profile, secret: str, *, recovery: bool = False,
                     use_keyring: bool = True) -> Store:
    """Unlock with the passphrase (or recovery key) and open the store."""
    if recovery:
        key = database.unlock_with_recovery_key(profile, secret)
    else:
        key = database.unlock_with_passphrase(profile, secret, use_keyring=use_keyring)
    return Store(profile, key)


def close(store: Store, timeout: float | None = 300.0) -> None:
    """Close ``store`` on the writer thread (where it was opened) and wait for it: the
    close makes the profile's backup when one is due."""
    worker.on_writer(store.close, timeout)
