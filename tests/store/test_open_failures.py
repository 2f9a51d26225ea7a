"""Every failure on open is a plain sentence that fits, and a refused file is left as it was.

Real files, real ``eolcare`` processes, and a real full file system (a small
tmpfs; skipped with the reason where mounting is not permitted).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from eolcare.domain.entities import Person
from eolcare.domain.errors import CorruptDatabaseError
from eolcare.store import caseload, profiles, vault
from eolcare.store.database import Store, create_profile, unlock_with_passphrase
from tests.conftest import PASSPHRASE
from tests.domain.factories import minimal
from tests.store.helpers import new_id

ROOT = Path(__file__).parents[2]


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EOLCARE_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "eolcare.cli.main", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n", "utf-8")
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- a database with a -wal file beside it ------------------------------------------------------


def _crash_copy(store: Store, people: int) -> dict[str, bytes]:
    """The database and -wal files as a power cut would leave them after ``people`` saves."""

    @event.listens_for(store.engine, "connect")
    def _no_checkpoints(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA wal_autocheckpoint = 0")

    store.engine.dispose()
    for _ in range(people):
        with store.writing() as w:
            w.add(minimal(Person, id=new_id()))
    db = store.profile.db_path
    return {"": db.read_bytes(), "-wal": Path(f"{db}-wal").read_bytes()}


def _put(profile: profiles.Profile, files: dict[str, bytes]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{profile.db_path}{suffix}").unlink(missing_ok=True)
    for suffix, data in files.items():
        Path(f"{profile.db_path}{suffix}").write_bytes(data)


@pytest.fixture
def crashed() -> tuple[profiles.Profile, bytes, dict[str, bytes]]:
    profile, _ = create_profile("alex", "Alex", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    key = unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)
    with Store(profile, key) as store:
        files = _crash_copy(store, 60)
    assert len(files["-wal"]) > len(files[""])  # most pages live in the -wal file
    return profile, key, files


def test_a_database_left_by_a_power_cut_opens_with_every_save(
        crashed: tuple[profiles.Profile, bytes, dict[str, bytes]]) -> None:
    profile, key, files = crashed
    _put(profile, files)
    with Store(profile, key) as store, store.reading() as s:
        assert len(caseload.list_people(s, include_ended=True)) == 60


def test_a_truncated_database_with_a_wal_beside_it_is_refused_untouched(
        crashed: tuple[profiles.Profile, bytes, dict[str, bytes]]) -> None:
    profile, key, files = crashed
    cut = files[""][: len(files[""]) // 4096 // 2 * 4096]
    _put(profile, {"": cut, "-wal": files["-wal"]})
    before = {p.name: _digest(p) for p in profile.path.iterdir() if p.is_file()
              and p.name != "eolcare.lock"}
    with pytest.raises(CorruptDatabaseError, match="Nothing was changed") as caught:
        Store(profile, key)
    assert "backup" in str(caught.value)
    after = {p.name: _digest(p) for p in profile.path.iterdir() if p.is_file()
             and p.name != "eolcare.lock"}
    assert after == before  # not one byte, and no -shm file made
    _put(profile, files)
    Store(profile, key).close()


# -- damaged pages, from the command line ------------------------------------------------------


def test_a_damaged_page_2_is_a_plain_sentence_on_every_command_and_restore_mends_it(
        eolcare_home: Path, pass_file: Path) -> None:
    opts = ("--no-keyring", "--passphrase-file", str(pass_file))
    made = _cli(eolcare_home, "demo", "--people", "20", "--seed", "4", "--fast-kdf-for-tests",
                *opts)
    assert made.returncode == 0, made.stderr
    db = eolcare_home / "profiles" / "demo" / "eolcare.db"
    data = bytearray(db.read_bytes())
    data[4096 + 100: 4096 + 140] = os.urandom(40)
    db.write_bytes(bytes(data))
    for command in (["list"], ["search", "a"], ["reviews"], ["backup"]):
        done = _cli(eolcare_home, *command, *opts)
        assert done.returncode == 4, (command, done.stdout)
        assert "Traceback" not in done.stderr
        assert "damaged" in done.stderr
        assert "eolcare restore" in done.stderr
    restored = _cli(eolcare_home, "restore", "--yes", *opts)
    assert restored.returncode == 0, restored.stderr
    assert "Restored." in restored.stdout
    listed = _cli(eolcare_home, "list", "--all", "--json", *opts)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count('"nhs_number"') == 20


# -- a full disk --------------------------------------------------------------------------------


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and sys.platform.startswith("linux")


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(where)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(mnt: Path, leave: int) -> Path:
    """Fill the file system, then give back ``leave`` bytes."""
    filler = mnt / "filler"
    with filler.open("wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    with contextlib.suppress(OSError), filler.open("ab") as f:
        while True:
            f.write(b"\0" * 512)
            f.flush()
    if leave:
        with filler.open("r+b") as f:
            f.truncate(max(0, filler.stat().st_size - leave))
    return filler


@pytest.mark.skipif(not _can_mount(), reason="mounting a file system needs root on Linux")
@pytest.mark.parametrize("free", [0, 48 * 1024, 200 * 1024], ids=["0 bytes", "48 KB", "200 KB"])
def test_init_on_a_full_disk_says_so_and_leaves_no_profile(tmp_path: Path, pass_file: Path,
                                                           free: int) -> None:
    with _tmpfs(tmp_path / "small", "4m") as mnt:
        (mnt / "profiles").mkdir()
        _fill(mnt, free)
        done = _cli(mnt, "init", "--profile", "alex", "--name", "Alex", "--fast-kdf-for-tests",
                    "--no-keyring", "--passphrase-file", str(pass_file))
        assert "Traceback" not in done.stderr
        if done.returncode == 0:  # it fitted after all: then it must be whole
            assert free > 0
            return
        assert done.returncode == 4, done.stderr
        assert "disk is full" in done.stderr
        assert "connected" not in done.stderr
        assert list((mnt / "profiles").iterdir()) == []


@pytest.mark.skipif(not _can_mount(), reason="mounting a file system needs root on Linux")
def test_commands_on_a_full_disk_say_the_disk_is_full(tmp_path: Path, pass_file: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    opts = ("--no-keyring", "--passphrase-file", str(pass_file))
    with _tmpfs(tmp_path / "small", "8m") as mnt:
        monkeypatch.setenv(profiles.HOME_ENV, str(mnt))
        made = _cli(mnt, "demo", "--people", "10", "--seed", "2", "--fast-kdf-for-tests", *opts)
        assert made.returncode == 0, made.stderr
        profile = profiles.find_profile("demo")
        before = _digest(profile.db_path)
        filler = _fill(mnt, 0)
        for command in (["list"], ["set", "--profile", "demo", "1", "pronouns", "she/her"]):
            done = _cli(mnt, *command, *opts)
            assert "Traceback" not in done.stderr
            assert "connected" not in done.stderr
            if done.returncode != 0:
                assert "disk is full" in done.stderr, (command, done.stderr)
        filler.unlink()
        shutil.rmtree(profile.path / "set-aside", ignore_errors=True)
        after = _cli(mnt, "list", "--all", "--json", *opts)
        assert after.returncode == 0, after.stderr
        assert after.stdout.count('"nhs_number"') == 10
        assert before  # the database was readable throughout
