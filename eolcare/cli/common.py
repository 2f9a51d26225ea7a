"""What every command shares: choosing and unlocking the profile, printing, finding people.

Imports stay light at module level; the store (SQLAlchemy, SQLCipher) is
imported in a background thread as soon as a command knows it needs it, so
it loads while the coordinator types the passphrase.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eolcare.domain.errors import (
    AmbiguousReferenceError,
    CorruptDatabaseError,
    EolcareError,
    ProfileNotFoundError,
    WrongPassphraseError,
)

if TYPE_CHECKING:
    from eolcare.store.database import Store
    from eolcare.store.profiles import Profile

TRIES = 3
"""Passphrase attempts at a terminal before giving up."""


class UsageError(EolcareError):
    exit_code = 2


def emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    """Print JSON (``--json``) or the text for a terminal."""
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(text())


# -- profiles -----------------------------------------------------------------------


def _settings_path() -> Path:
    from eolcare.store.profiles import profiles_root
    return profiles_root().parent / "settings.json"


def default_profile() -> str | None:
    """The profile set with ``eolcare profiles default NAME``, if any."""
    try:
        data = json.loads(_settings_path().read_text("utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("default_profile") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def set_default_profile(name: str | None) -> None:
    path = _settings_path()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    data["default_profile"] = name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
    temp.replace(path)


def choose_profile(name: str | None) -> Profile:
    """The profile named, else the default one, else the only one; else say how to choose."""
    from eolcare.store import profiles

    if name is not None:
        return profiles.find_profile(name)
    found = profiles.list_profiles()
    default = default_profile()
    if default is not None and any(p.name == default for p in found):
        return profiles.find_profile(default)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ProfileNotFoundError(
            f"There are several profiles on this computer ({names}); choose one.", "several")
    return profiles.find_profile(None)


# -- unlocking ----------------------------------------------------------------------


def preload_store() -> threading.Thread:
    """Start importing the store (SQLAlchemy, SQLCipher, Alembic) in the background."""
    thread = threading.Thread(target=importlib.import_module, args=("eolcare.store.database",),
                              daemon=True, name="eolcare-preload")
    thread.start()
    return thread


def open_store(args: argparse.Namespace) -> Store:
    """Choose, unlock and open the profile: the keyring first, else the passphrase.

    At a terminal a wrong passphrase is asked for again (three tries); from a
    file it is not (the file will not change).
    """
    from eolcare.cli.profile_commands import warn_if_incomplete

    profile = choose_profile(args.profile)
    use_keyring = not args.no_keyring
    store = None
    if use_keyring:
        from eolcare.store import database

        key = database.key_from_keyring(profile)
        if key is not None:
            try:
                store = database.Store(profile, key)
            except CorruptDatabaseError:
                database.forget_cached_key(profile)  # a stale cached key locks nobody out
    if store is None:
        key = unlock(args, profile, use_keyring=use_keyring)
        from eolcare.store import database

        store = database.Store(profile, key)
    warn_if_incomplete(store)
    return store


def unlock(args: argparse.Namespace, profile: Profile, *, use_keyring: bool) -> bytes:
    """The profile's key from the passphrase (asked again after a wrong one at a terminal).

    The store's modules load in the background while the passphrase is typed.
    """
    from eolcare.cli import passphrases

    if not args.passphrase_file and sys.stdin.isatty() \
            and "eolcare.store.database" not in sys.modules:
        preload_store()
    tries = 1 if args.passphrase_file else TRIES
    for attempt in range(1, tries + 1):
        passphrase = passphrases.existing(args.passphrase_file)
        from eolcare.store import database

        try:
            return database.unlock_with_passphrase(profile, passphrase, use_keyring=use_keyring)
        except WrongPassphraseError:
            if attempt == tries:
                raise
            print(f"That passphrase is not right for the profile {profile.name!r}; "
                  f"try again ({tries - attempt} more).", file=sys.stderr)
    raise AssertionError("unreachable")


# -- people -------------------------------------------------------------------------


def resolve_person(store: Store, ref: str) -> str:
    """A person's id from a name, NHS number or id; several matches are listed to choose from."""
    from eolcare.store import caseload

    with store.reading() as s:
        try:
            return caseload.resolve_person(s, ref)
        except AmbiguousReferenceError:
            found = caseload.find_people(s, ref, limit=11)
    from eolcare.cli import render

    more = "\n(and more: give more of the name)" if len(found) > 10 else ""
    raise AmbiguousPersonError(render.matches(found[:10]) + more)


class AmbiguousPersonError(AmbiguousReferenceError):
    """Several people match. The message stays free of personal data (it may be logged);
    the matches are printed beside it, for the coordinator at the terminal only."""

    def __init__(self, choices: str) -> None:
        super().__init__("Several people match that. Choose one by NHS number or id "
                         "(its last 8 characters are enough):")
        self.choices = choices
