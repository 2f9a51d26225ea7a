"""Profiles: one per coordinator, each a folder in the platform's user-data folder.

A profile folder holds the encrypted database (``eolcare.db``), the key file
(``vault.json``), a small description (``profile.json``: ids and the
coordinator's display name, never anything about a patient) and a lock file
that stops two eolcare programs writing to one profile at once.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from eolcare.domain.errors import (
    DiskError,
    Problem,
    ProfileExistsError,
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


@dataclass(frozen=True)
class Profile:
    name: str
    id: str
    device_id: str
    author: str
    created: str
    path: Path

    @property
    def db_path(self) -> Path:
        return self.path / "eolcare.db"

    @property
    def vault_path(self) -> Path:
        return self.path / "vault.json"

    @property
    def lock_path(self) -> Path:
        return self.path / "eolcare.lock"


def _folder(name: str) -> Path:
    if not _NAME.match(name):
        raise ValidationError(Problem(
            "profile name", "use up to 40 letters, digits, spaces, dots, dashes or underscores"
        ))
    return profiles_root() / name


def new_profile(name: str, author: str) -> Profile:
    """Make the profile folder and its description (the vault and database come next)."""
    author = author.strip()
    if not author:
        raise ValidationError(Problem("your name", "is required: it is shown on every change"))
    folder = _folder(name)
    if folder.exists():
        raise ProfileExistsError(f"A profile called {name!r} already exists on this computer.")
    profile = Profile(
        name=name, id=str(uuid.uuid4()), device_id=secrets.token_hex(6), author=author,
        created=datetime.now(UTC).isoformat(timespec="seconds"), path=folder,
    )
    try:
        folder.mkdir(parents=True, mode=0o700)
        description = {k: v for k, v in asdict(profile).items() if k != "path"}
        (folder / "profile.json").write_text(json.dumps(description, indent=2), "utf-8")
    except OSError as e:
        shutil.rmtree(folder, ignore_errors=True)
        raise DiskError(f"The profile folder could not be created ({e.strerror}).") from None
    return profile


def remove_unfinished(profile: Profile) -> None:
    """Undo :func:`new_profile` when creating the vault or database failed."""
    shutil.rmtree(profile.path, ignore_errors=True)


def _read(folder: Path) -> Profile:
    try:
        data = json.loads((folder / "profile.json").read_text("utf-8"))
        return Profile(path=folder, **data)
    except (OSError, ValueError, TypeError) as e:
        raise StoreError(
            f"The profile folder {folder.name!r} is incomplete or damaged (profile.json)."
        ) from e


def list_profiles() -> list[Profile]:
    root = profiles_root()
    if not root.is_dir():
        return []
    return [_read(p) for p in sorted(root.iterdir()) if (p / "profile.json").is_file()]


def find_profile(name: str | None) -> Profile:
    """The named profile; with no name, the only one (it is the default)."""
    if name is not None:
        folder = _folder(name)
        if not (folder / "profile.json").is_file():
            raise ProfileNotFoundError(
                f"There is no profile called {name!r}. Create it with 'eolcare init'."
            )
        return _read(folder)
    profiles = list_profiles()
    if not profiles:
        raise ProfileNotFoundError(
            "There is no profile on this computer yet. Create one with 'eolcare init' "
            "(or 'eolcare demo' for a demo caseload)."
        )
    if len(profiles) > 1:
        names = ", ".join(p.name for p in profiles)
        raise ProfileNotFoundError(f"There are several profiles ({names}): choose one with "
                                   "--profile NAME.")
    return profiles[0]
