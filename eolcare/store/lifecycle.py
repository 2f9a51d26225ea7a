"""Creating, finishing and removing profiles: all or nothing, and only under the profile's lock.

A profile is created in steps that each leave something recognisable if the
program is killed: the folder is claimed and locked (state ``creating``), the
key file and the empty database are made (state ``new``), the recovery key is
shown and the caller confirms it was (state ``ready``: created). A profile that
is not ``ready`` is listed as unfinished and never opened for work: a ``new``
one can be finished (a fresh recovery key is made and shown, as nobody saw
the first) and either can be removed. Creation hands its lock to the open
store it returns, so no other program can open or remove the profile between
creating and filling it.

Removal always holds the profile's lock: a profile open in another program is
never deleted under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from eolcare.store import backup, inbox, profiles, vault
from eolcare.store.database import Store
from eolcare.store.profiles import Profile, ProfileUnfinishedError, list_profiles
from eolcare.store.tables import ENTITY_TABLES, OperationRow

__all__ = [
    "NewProfile",
    "Removal",
    "begin_profile",
    "confirm_recovery_key_shown",
    "finish_profile",
    "list_profiles",
    "mark_complete",
    "mark_incomplete",
    "removal_facts",
    "remove_open_profile",
    "remove_profile",
]


@dataclass(frozen=True)
class NewProfile:
    """A profile just made (or finished), open, with the recovery key to show once."""

    store: Store
    recovery_key: str

    @property
    def profile(self) -> Profile:
        return self.store.profile


@dataclass(frozen=True)
class Removal:
    """What removing an open profile would delete, to warn the coordinator by name."""

    people: int
    unsynced_changes: int
    """Changes made on this computer that no team server has acknowledged."""
    never_synced: bool
    backups: int


def begin_profile(name: str, author: str, passphrase: str,
                  kdf: vault.VaultKdf = vault.KDF_DEFAULT) -> NewProfile:
    """Make a profile, all or nothing, and return it open; it is not created until confirmed.

    Show ``recovery_key`` to the coordinator, then call
    :func:`confirm_recovery_key_shown`. If anything fails here, nothing of the
    profile is left behind; if the program is killed, what is left is listed
    as unfinished.
    """
    vault.require_acceptable(passphrase)
    profiles.tidy()
    profile, lock = profiles.new_profile(name, author)
    try:
        made = vault.create_vault(profile.vault_path, passphrase, kdf, profile_id=profile.id)
        store = Store(profile, made.key, lock=lock)
    except BaseException:
        profiles.remove_folder(profile)
        lock.release()
        raise
    try:
        store.profile = profiles.with_state(profile, profiles.NEW)
    except BaseException:
        remove_open_profile(store)
        raise
    return NewProfile(store, made.recovery_key)


def confirm_recovery_key_shown(store: Store) -> Profile:
    """The coordinator has seen the recovery key: the profile is now created."""
    store.profile = profiles.with_state(store.profile, profiles.READY)
    return store.profile


def finish_profile(profile: Profile, passphrase: str) -> NewProfile:
    """Finish a profile whose creation stopped before its recovery key was shown.

    A new recovery key replaces the one nobody saw; show it, then call
    :func:`confirm_recovery_key_shown`. A profile stopped earlier (nothing in
    it yet) cannot be finished: remove it and create it again.
    """
    if profile.state != profiles.NEW:
        raise ProfileUnfinishedError(profile)
    lock = profiles.hold_lock(profile)
    try:
        made = vault.new_recovery_key(profile.vault_path, passphrase, profile_id=profile.id)
        store = Store(profile, made.key, lock=lock)
    except BaseException:
        lock.release()
        raise
    return NewProfile(store, made.recovery_key)


def mark_incomplete(store: Store, what: str) -> None:
    """Say the profile is being filled (e.g. with a "demo" caseload) until marked complete."""
    store.profile = profiles.with_incomplete(store.profile, what)


def mark_complete(store: Store) -> None:
    store.profile = profiles.with_incomplete(store.profile, None)


def removal_facts(store: Store) -> Removal:
    """What would be lost by removing this (open) profile from this computer."""
    people = ENTITY_TABLES["person"]
    with store.reading() as s:
        count = s.scalar(select(func.count()).select_from(people)
                         .where(people.c.deleted_stamp.is_(None))) or 0
        unsynced = inbox.pending_count(s)
        local = s.scalar(select(func.count()).select_from(OperationRow)
                         .where(OperationRow.local.is_(True))) or 0
    return Removal(people=count, unsynced_changes=unsynced,
                   never_synced=unsynced > 0 and unsynced == local,
                   backups=len(backup.list_backups(store.profile)))


def remove_profile(profile: Profile) -> None:
    """Delete a profile that no program has open (its lock is taken first).

    Raises :class:`ProfileInUseError` when it is open elsewhere; nothing is
    deleted then. Its backups go with it.
    """
    lock = profiles.hold_lock(profile)
    try:
        profiles.remove_folder(profile)
    finally:
        lock.release()


def remove_open_profile(store: Store) -> None:
    """Delete the profile ``store`` has open, holding its lock until it is gone."""
    lock = store.close_keeping_lock()
    try:
        profiles.remove_folder(store.profile)
    finally:
        lock.release()
