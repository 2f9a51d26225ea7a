"""Automatic encrypted backups of a profile's database, checked when made, rotated, restorable.

Anki's periodic collection backups are the model. A backup is a copy made
with SQLite's online backup API while the profile is open (a consistent
snapshot; saves carry on meanwhile), encrypted with the same database key
(the copy is made page by page through SQLCipher, so it is never plain on
disk), and kept in the profile's ``backups/`` folder beside a small
description (when, why, how many people: never anything about a patient).

Each copy is checked with ``PRAGMA integrity_check`` before it is kept: that
is where damage inside the file is found, at no cost the coordinator feels.
A damaged copy is never kept (it would push good ones out of the rotation),
and the damage is reported with the way out: restore the latest good backup.

When: on close, and every :data:`EVERY` while the profile stays open and is
being edited; only when something changed since the newest backup. Which are
kept (:func:`rotate`): the newest :data:`KEEP_NEWEST`, then the newest of
each day for a week, then of each week for a month.

The key file (``vault.json``) is copied into the folder with each backup, so
a lost or damaged key file can be put back too (it opens with the passphrase
of that day, or with the recovery key, which never changes).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from eolcare.domain.errors import CorruptDatabaseError, StoreError
from eolcare.store import engine as engines
from eolcare.store import profiles
from eolcare.store.profiles import Profile

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=30)
"""While a profile is open and edited, a backup at most this often (Anki's default)."""
ON_CLOSE_GAP = timedelta(minutes=30)
"""On close, no new backup if the newest is younger than this: a checked backup of a large
caseload takes seconds, and many short commands in a row must not each pay for one."""
KEEP_NEWEST = 3
DAILY_FOR = timedelta(days=7)
WEEKLY_FOR = timedelta(days=31)

_SUFFIX = ".db"
_PREFIX = "eolcare-"
_STAMP = "%Y%m%dT%H%M%S%fZ"
_KEY_FILE_COPY = "vault.json"

DAMAGED = (
    "Damage was found inside this profile's database while it was being backed up, so "
    "that copy was not kept. Stop editing and restore the latest good backup of this profile "
    "(or, once it syncs with a team server, sync it again); the damaged file is kept aside."
)


@dataclass(frozen=True)
class Backup:
    """One kept backup: the encrypted copy and what it holds."""

    path: Path
    made: datetime
    """When it was made (UTC)."""
    reason: str
    """"on close", "while editing", "by hand" or "before restore"."""
    people: int
    """How many people's records it holds (people who died or left included)."""
    last_stamp: str
    """The newest operation in it: tells whether anything changed since."""
    size: int

    def describe(self) -> dict[str, Any]:
        return {"made": self.made.isoformat(), "reason": self.reason,
                "people": self.people, "last_stamp": self.last_stamp, "size": self.size}


def folder(profile: Profile) -> Path:
    return profile.backups_path


def list_backups(profile: Profile) -> list[Backup]:
    """The profile's backups, newest first (a copy without its description is skipped)."""
    found = []
    base = folder(profile)
    if not base.is_dir():
        return []
    for path in base.glob(f"{_PREFIX}*{_SUFFIX}"):
        try:
            about = json.loads(path.with_suffix(".json").read_text("utf-8"))
            found.append(Backup(path=path, made=datetime.fromisoformat(about["made"]),
                                reason=str(about["reason"]), people=int(about["people"]),
                                last_stamp=str(about["last_stamp"]), size=path.stat().st_size))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("backup without a readable description skipped")
    # the file name breaks ties: it holds the moment to the microsecond too
    return sorted(found, key=lambda b: (b.made, b.path.name), reverse=True)


def due(profile: Profile, last_stamp: str | None, *, since: datetime, now: datetime,
        gap: timedelta) -> bool:
    """Whether a backup should be made now.

    Only when something changed since the newest backup (``last_stamp`` is the
    store's newest operation), and the newest backup and ``since`` (when the
    store was opened, for backups while editing) are at least ``gap`` old.
    """
    if not last_stamp:
        return False  # an empty profile: nothing to lose
    newest = next(iter(list_backups(profile)), None)
    if newest is not None and newest.last_stamp == last_stamp:
        return False
    latest = max(since, newest.made) if newest is not None else since
    return now - latest >= gap


def make(source: sqlcipher3.Connection, profile: Profile, key: bytes, reason: str,
         now: datetime | None = None) -> Backup:
    """Copy the open database into a new backup, check it, keep it, rotate; return it.

    ``source`` is a connection of the open store (its pages are read in one
    consistent snapshot). Raises :class:`CorruptDatabaseError` with
    :data:`DAMAGED` when the copy fails its integrity check.
    """
    now = now or datetime.now(UTC)
    base = folder(profile)
    _mkdir(base)
    final = base / f"{_PREFIX}{now.strftime(_STAMP)}{_SUFFIX}"
    temp = base / f".{final.name}.{secrets.token_hex(4)}.tmp"
    try:
        temp.touch(mode=0o600, exist_ok=False)  # only the coordinator's account may read it
        dest = _connect(temp, key, int(source.execute("PRAGMA cipher_page_size").fetchone()[0]))
        try:
            try:
                source.backup(dest)
            except (sqlcipher3.Error, MemoryError):
                # SQLCipher says "SQL logic error" when a source page will not decrypt
                # a quick check on a connection of its own (None: it cannot tell)
                if engines.sound(profile.db_path, key) is False:
                    log.warning("the database failed its check after a failed backup")
                    raise CorruptDatabaseError(DAMAGED) from None
                raise
            # the copy stands alone: no -wal file beside it
            dest.execute("PRAGMA journal_mode = DELETE")
            ok = _integrity(dest)
            people, last_stamp = _contents(dest)
        finally:
            dest.close()
        if not ok:
            log.warning("integrity check failed on a new backup; not kept")
            raise CorruptDatabaseError(DAMAGED)
        _fsync(temp)
        temp.replace(final)
        kept = Backup(path=final, made=now, reason=reason, people=people,
                      last_stamp=last_stamp, size=final.stat().st_size)
        _write_json(final.with_suffix(".json"), kept.describe())
        if profile.vault_path.exists():
            _copy_atomic(profile.vault_path, base / _KEY_FILE_COPY)
        profiles.fsync_folder(base)
    except sqlcipher3.Error as e:
        raise engines.translate_driver(e, base) from None
    except (OSError, MemoryError) as e:
        raise engines.translate(e, base) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    removed = rotate(profile, now)
    log.info("backup made (%s); %d people; %d old ones removed", reason, people, len(removed))
    return kept


def verify(backup: Backup, key: bytes) -> None:
    """Open a backup with the key and run the integrity check; raise if it is not good."""
    uri = f"{backup.path.resolve().as_uri()}?mode=ro"
    try:
        page_size = engines.page_size_of(uri, key)
        conn = sqlcipher3.connect(uri, uri=True)
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            engines.unlock(conn, key, page_size)
            ok = _integrity(conn)
        finally:
            conn.close()
    except (sqlcipher3.Error, MemoryError, StoreError):
        ok = False
    if not ok:
        raise CorruptDatabaseError(
            "That backup cannot be read with this profile's key, or is damaged itself. "
            "Nothing was changed; choose an older backup.")


def restore(profile: Profile, key: bytes, backup: Backup) -> Path:
    """Put ``backup`` in place of the profile's database; return where the old file was put.

    Takes the profile's lock (so no program has it open), checks the backup,
    moves the current database (and its -wal and -shm files) into
    ``set-aside/<when>/`` in the profile folder, and copies the backup in
    (temp file, fsync, rename). On any failure before the rename the profile
    is as it was.
    """
    lock = profiles.hold_lock(profile)
    try:
        verify(backup, key)
        when = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = profile.path / "set-aside" / when
        temp = profile.path / f".restoring.{secrets.token_hex(4)}.tmp"
        try:
            shutil.copyfile(backup.path, temp)
            temp.chmod(0o600)
            _fsync(temp)
            aside.mkdir(parents=True, mode=0o700)
            for name in _database_files(profile):
                (profile.path / name).rename(aside / name)
            temp.replace(profile.db_path)
            profiles.fsync_folder(profile.path)
        except OSError as e:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            _put_back(aside, profile)
            raise engines.translate(e, profile.path) from None
        log.info("backup restored; the replaced database kept aside")
        return aside
    finally:
        lock.release()


def restore_key_file(profile: Profile) -> bool:
    """Put the key file copied with the newest backup in place of a missing or damaged one."""
    copy = folder(profile) / _KEY_FILE_COPY
    if not copy.exists():
        return False
    lock = profiles.hold_lock(profile)
    try:
        if profile.vault_path.exists():
            profile.vault_path.replace(profile.path / f"vault.damaged-{secrets.token_hex(3)}.json")
        _copy_atomic(copy, profile.vault_path)
        profiles.fsync_folder(profile.path)
    except OSError as e:
        raise engines.translate(e, profile.path) from None
    finally:
        lock.release()
    return True


def rotate(profile: Profile, now: datetime) -> list[Path]:
    """Delete backups no longer needed; return what was deleted.

    Kept: the newest :data:`KEEP_NEWEST`; the newest of each day in the last
    :data:`DAILY_FOR`; the newest of each ISO week in the last :data:`WEEKLY_FOR`.
    """
    backups = list_backups(profile)
    keep = {b.path for b in backups[:KEEP_NEWEST]}
    keep |= _newest_of_each(b for b in backups if now - b.made <= DAILY_FOR)
    keep |= _newest_of_each((b for b in backups if now - b.made <= WEEKLY_FOR), weekly=True)
    removed = []
    for b in backups:
        if b.path not in keep:
            for path in (b.path, b.path.with_suffix(".json")):
                with contextlib.suppress(OSError):
                    path.unlink()
            removed.append(b.path)
    return removed


def _newest_of_each(backups: Iterable[Backup], *, weekly: bool = False) -> set[Path]:
    newest: dict[tuple[int, int], Backup] = {}
    for b in backups:  # newest first, so the first of each period is its newest
        local = b.made.astimezone()
        period = local.isocalendar()[:2] if weekly else (local.year, local.timetuple().tm_yday)
        newest.setdefault((period[0], period[1]), b)
    return {b.path for b in newest.values()}


def _connect(path: Path, key: bytes, page_size: int) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    engines.unlock(conn, key, page_size)
    conn.execute(f"PRAGMA synchronous = {engines.SYNCHRONOUS}")
    return conn


def _integrity(conn: sqlcipher3.Connection) -> bool:
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except (sqlcipher3.Error, MemoryError):
        return False
    return rows == [("ok",)]


def _contents(conn: sqlcipher3.Connection) -> tuple[int, str]:
    people = conn.execute("SELECT count(*) FROM person WHERE deleted_stamp IS NULL").fetchone()
    stamp = conn.execute("SELECT max(stamp) FROM operation").fetchone()
    return int(people[0]), str(stamp[0] or "")


def _database_files(profile: Profile) -> list[str]:
    names = [profile.db_path.name + suffix for suffix in ("", "-wal", "-shm")]
    return [n for n in names if (profile.path / n).exists()]


def _put_back(aside: Path, profile: Profile) -> None:
    """Undo a restore cut short: move the files set aside back into place."""
    if not aside.is_dir():
        return
    for moved in aside.iterdir():
        with contextlib.suppress(OSError):
            moved.rename(profile.path / moved.name)
    with contextlib.suppress(OSError):
        aside.rmdir()


def _mkdir(path: Path) -> None:
    try:
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError as e:
        raise engines.translate(e, path.parent) from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w",
                   encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2))
        f.flush()
        os.fsync(f.fileno())
    temp.replace(path)


def _copy_atomic(source: Path, target: Path) -> None:
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    shutil.copyfile(source, temp)
    temp.chmod(0o600)
    _fsync(temp)
    temp.replace(target)


def describe_all(backups: Iterable[Backup]) -> list[dict[str, Any]]:
    """For ``--json``: each backup's file name and description (no personal data)."""
    return [{"file": b.path.name, **b.describe()} for b in backups]

