"""Profiles: one per coordinator, each a folder in the platform's user-data folder.

A profile folder holds the encrypted database (``eolcare.db``), the key file
(``vault.json``), a small description (``profile.json``: ids, the
coordinator's display name and the profile's state, never anything about a
patient), its automatic backups (``backups/``) and a lock file that stops two
eolcare programs using one profile at once. Whoever changes or removes the
folder holds that lock (:func:`hold_lock`).

A profile is *created* only once its recovery key has been shown: until then
its state says how far creation got, and it is listed as unfinished rather
than opened (see :mod:`eolcare.store.lifecycle`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import filelock
import platformdirs

from eolcare.domain.errors import (
    DiskError,
    Problem,
    ProfileExistsError,
    ProfileInUseError,
    ProfileNotFoundError,
    StoreError,
    ValidationError,
)

HOME_ENV = "EOLCARE_HOME"
_NAME = re.compile(r"^[\w][\w .\-]{0,39}$", re.UNICODE)


def profiles_root() -> Path:
    """Where profiles live: ``$EOLCARE_HOME`` if set, else the user-data folder."""
    home = os.environ.get(HOME_ENV)
    base = Path(home) if home else platformdirs.user_data_path("eolcare", appauthor=False)
    return base / "profiles"


CREATING = "creating"
"""The folder exists; the key file and the database are being made (nothing in it yet)."""
NEW = "new"
"""Key file and database made, but the recovery key has not been shown yet."""
READY = "ready"
"""Created: its recovery key was shown."""

_DESCRIPTION = "profile.json"
_REMOVING = ".removing-"


@dataclass(frozen=True)
class Profile:
    name: str
    id: str
    device_id: str
    author: str
    created: str
    path: Path
    state: str = READY
    incomplete: str | None = None
    """What was being added when it was interrupted (e.g. "demo"), or None."""

    @property
    def finished(self) -> bool:
        return self.state == READY

    @property
    def db_path(self) -> Path:
        return self.path / "eolcare.db"

    @property
    def vault_path(self) -> Path:
        return self.path / "vault.json"

    @property
    def lock_path(self) -> Path:
        return self.path / "eolcare.lock"

    @property
    def backups_path(self) -> Path:
        return self.path / "backups"


class ProfileUnfinishedError(StoreError):
    """The profile's creation was interrupted: it can be finished or removed, not opened."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        if profile.state == NEW:
            what = ("it was interrupted before its recovery key was shown. Finish it (a new "
                    "recovery key is made and shown; the passphrase is needed) or remove it")
        else:
            what = ("it was interrupted while its files were being made, so nothing is in it. "
                    "Remove it and create it again")
        super().__init__(f"The profile {profile.name!r} was not finished: {what}.")


def incomplete_note(profile: Profile) -> str | None:
    """The sentence to show when filling the profile (e.g. with a demo) was interrupted."""
    if profile.incomplete is None:
        return None
    return (f"The {profile.incomplete} caseload in profile {profile.name!r} is incomplete: "
            "making it was interrupted. Remove the profile and make it again if you need it "
            "whole.")


def _folder(name: str) -> Path:
    if not _NAME.match(name):
        raise ValidationError(Problem(
            "profile name", "use up to 40 letters, digits, spaces, dots, dashes or underscores"
        ))
    return profiles_root() / name


def hold_lock(profile: Profile) -> filelock.BaseFileLock:
    """Take the profile's lock without waiting; the caller releases it.

    Raises :class:`ProfileInUseError` when another program holds it, and
    :class:`ProfileNotFoundError` when the folder has gone (removed meanwhile).
    """
    if not profile.path.is_dir():  # checked first: filelock would make the folder again
        raise _gone(profile.name)
    lock = filelock.FileLock(profile.lock_path, timeout=0, mode=0o600)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise ProfileInUseError(
            "This profile is already open in another eolcare window or command. "
            "Close that one first; nothing was changed."
        ) from None
    except FileNotFoundError:
        raise _gone(profile.name) from None
    except OSError as e:  # a read-only folder: the lock file cannot be made
        raise _disk_error(e, "The profile folder could not be used") from None
    if profile.state != CREATING and not (profile.path / _DESCRIPTION).exists():
        # removed between the check and the lock: filelock made the folder again for its
        # lock file; take that away too
        lock.release()
        with contextlib.suppress(OSError):
            profile.lock_path.unlink()
            profile.path.rmdir()
        raise _gone(profile.name)
    return lock


def new_profile(name: str, author: str) -> tuple[Profile, filelock.BaseFileLock]:
    """Claim the name: make the folder, lock it and describe it as being created.

    The folder is made in one step (two programs creating the same name: one
    wins), then locked before anything is written into it. Returns the
    profile and its held lock; the key file and the database come next.
    """
    author = author.strip()
    if not author:
        raise ValidationError(Problem("your name", "is required: it is shown on every change"))
    folder = _folder(name)
    profile = Profile(
        name=name, id=str(uuid.uuid4()), device_id=secrets.token_hex(6), author=author,
        created=datetime.now(UTC).isoformat(timespec="seconds"), path=folder, state=CREATING,
    )
    try:
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(mode=0o700)
    except FileExistsError:
        existing = _read(folder)
        if not existing.finished:
            raise ProfileUnfinishedError(existing) from None
        note = incomplete_note(existing)
        raise ProfileExistsError(f"A profile called {name!r} already exists on this computer."
                                 + (f" {note}" if note else "")) from None
    except OSError as e:
        raise _disk_error(e, "The profile folder could not be created") from None
    try:
        lock = hold_lock(profile)
    except BaseException:
        with contextlib.suppress(OSError):
            folder.rmdir()
        raise
    try:
        save(profile)
    except BaseException:
        remove_folder(profile)
        lock.release()
        raise
    return profile, lock


def save(profile: Profile) -> None:
    """Write the profile's description, whole or not at all (temp file, fsync, rename)."""
    description = {k: v for k, v in asdict(profile).items() if k != "path"}
    path = profile.path / _DESCRIPTION
    temp = path.with_name(f".{_DESCRIPTION}.{secrets.token_hex(4)}.tmp")
    try:
        with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w",
                       encoding="utf-8") as f:
            f.write(json.dumps(description, indent=2))
            f.flush()
            os.fsync(f.fileno())
        temp.replace(path)
        fsync_folder(profile.path)
    except OSError as e:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise _disk_error(e, "The profile's description could not be saved") from None


def with_state(profile: Profile, state: str) -> Profile:
    """Save and return the profile in a new state (the caller holds its lock)."""
    return _saved(replace(profile, state=state), profile)


def with_incomplete(profile: Profile, incomplete: str | None) -> Profile:
    """Save and return the profile noting what is being added to it, or None when done."""
    return _saved(replace(profile, incomplete=incomplete), profile)


def _saved(changed: Profile, before: Profile) -> Profile:
    if changed != before:
        save(changed)
    return changed


def remove_folder(profile: Profile) -> None:
    """Delete the profile's folder; the caller holds its lock.

    The folder is first renamed to a hidden name (one atomic step: from then
    on no program finds the profile), then deleted. A deletion cut short is
    finished by :func:`tidy` later.
    """
    aside = profile.path.with_name(f"{_REMOVING}{profile.path.name}.{secrets.token_hex(4)}")
    try:
        profile.path.rename(aside)
    except FileNotFoundError:
        return
    except OSError as e:
        raise _disk_error(e, "The profile could not be removed") from None
    fsync_folder(aside.parent)
    shutil.rmtree(aside, ignore_errors=True)


def tidy() -> None:
    """Finish deleting folders whose removal was interrupted (renamed aside already)."""
    root = profiles_root()
    if root.is_dir():
        for leftover in root.glob(f"{_REMOVING}*"):
            shutil.rmtree(leftover, ignore_errors=True)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX only)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _read(folder: Path) -> Profile:
    path = folder / _DESCRIPTION
    if not path.exists():
        # the folder was made but creation stopped before its description was written
        return Profile(name=folder.name, id="", device_id="", author="", created="",
                       path=folder, state=CREATING)
    try:
        data = json.loads(path.read_text("utf-8"))
        return Profile(path=folder, **data)
    except (OSError, ValueError, TypeError) as e:
        raise StoreError(
            f"The profile folder {folder.name!r} is damaged (its profile.json cannot be read)."
        ) from e


def list_profiles() -> list[Profile]:
    """Every profile folder, finished or not (see :attr:`Profile.state`), by name."""
    root = profiles_root()
    if not root.is_dir():
        return []
    return [_read(p) for p in sorted(root.iterdir())
            if p.is_dir() and _NAME.match(p.name)]


def find_profile(name: str | None, *, unfinished: bool = False) -> Profile:
    """The named profile; with no name, the only one (it is the default).

    An unfinished profile raises :class:`ProfileUnfinishedError` unless
    ``unfinished`` (for finishing or removing it).
    """
    found = _find(name)
    if not found.finished and not unfinished:
        raise ProfileUnfinishedError(found)
    return found


def _gone(name: str) -> ProfileNotFoundError:
    return ProfileNotFoundError(f"The profile {name!r} is no longer on this computer.")


def _disk_error(e: OSError, what: str) -> StoreError:
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskError(f"{what}: the disk is full. Free some space and try again.")
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DiskError(f"{what}: the folder is read-only or not yours to write.")
    return DiskError(f"{what} ({e.strerror}).")


def _find(name: str | None) -> Profile:
    if name is not None:
        folder = _folder(name)
        if not folder.is_dir():
            raise ProfileNotFoundError(f"There is no profile called {name!r} on this computer.",
                                       "missing", name)
        return _read(folder)
    profiles = list_profiles()
    if not profiles:
        raise ProfileNotFoundError("There is no profile on this computer yet.", "none")
    if len(profiles) > 1:
        names = ", ".join(p.name for p in profiles)
        raise ProfileNotFoundError(f"There are several profiles on this computer ({names}); "
                                   "choose one.", "several")
    return profiles[0]
