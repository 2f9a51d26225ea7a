"""Damaged, missing, locked, read-only or full: a plain sentence, and the data as it was.

Everything here is real: real files, a real second process, a real read-only and a real
full file system (tmpfs mounts, skipped with a reason where mounting is not permitted),
and SQLite's own limits (``PRAGMA query_only``, ``PRAGMA max_page_count``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from eolcare.domain.entities import ContactNote, Person
from eolcare.domain.errors import (
    CorruptDatabaseError,
    DiskError,
    EolcareError,
    NotEncryptedError,
    ProfileInUseError,
    StoreError,
    ValidationError,
    VaultMissingError,
)
from eolcare.domain.values import Coded
from eolcare.store import caseload, profiles, vault
from eolcare.store.database import Store, create_profile, open_profile
from tests.conftest import PASSPHRASE
from tests.domain.factories import TODAY, full, minimal, nhs_numbers
from tests.store.helpers import add_all, new_id, table_counts

NAME = "Perpetua Quigley-Ng"
NHS = nhs_numbers(1, seed=99)[0]
SECRET_NOTE = "key safe behind the blue gate, code told to daughter"


def _record(store: Store) -> Person:
    person = full(Person, id=new_id(), full_name=NAME, nhs_number=NHS, home_access=SECRET_NOTE)
    add_all(store, [person])
    return person


def _no_personal_data(error: BaseException) -> None:
    message = str(error)
    assert message
    for secret in (NAME, "Perpetua", "Quigley", NHS, NHS[:6], SECRET_NOTE, "blue gate"):
        assert secret.lower() not in message.lower(), message
    assert isinstance(error, EolcareError)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(profile: profiles.Profile) -> dict[str, str]:
    return {p.name: _digest(p) for p in sorted(profile.path.iterdir())
            if p.is_file() and p.name != "eolcare.lock"}


def _key(profile: profiles.Profile) -> bytes:
    return vault.unlock(profile.vault_path, PASSPHRASE)


def _checkpointed_close(store: Store) -> None:
    with store.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    store.close()


@pytest.fixture
def closed(store: Store) -> Iterator[tuple[profiles.Profile, Person]]:
    """A profile holding one person, closed (WAL checkpointed into the file)."""
    person = _record(store)
    _checkpointed_close(store)
    yield store.profile, person
    store.__init__(store.profile, _key(store.profile))  # type: ignore[misc]  # fixture closes it


def _replace_db(profile: profiles.Profile, data: bytes) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{profile.db_path}{suffix}").unlink(missing_ok=True)
    profile.db_path.write_bytes(data)


def _assert_refused(profile: profiles.Profile, error: type[EolcareError], key: bytes | None = None
                    ) -> EolcareError:
    before = _files(profile)
    def attempt() -> Store:
        if key is None:
            return open_profile(profile.name, lambda: PASSPHRASE, use_keyring=False)
        return Store(profile, key)

    with pytest.raises(error) as caught:
        attempt()
    _no_personal_data(caught.value)
    assert _files(profile) == before  # not one byte changed
    return caught.value


def _reopens_with(profile: profiles.Profile, person: Person) -> None:
    with open_profile(profile.name, lambda: PASSPHRASE, use_keyring=False) as again, \
            again.reading() as s:
        assert caseload.load_record(s, person.id).person == person


# -- files that are not this profile's encrypted database ----------------------------------


def test_a_plain_sqlite_file_is_refused(closed: tuple[profiles.Profile, Person]) -> None:
    profile, _ = closed
    saved = profile.db_path.read_bytes()
    Path(f"{profile.db_path}-wal").unlink(missing_ok=True)
    profile.db_path.unlink()
    conn = sqlite3.connect(profile.db_path)
    conn.execute("CREATE TABLE person (full_name TEXT)")
    conn.execute("INSERT INTO person VALUES (?)", (NAME,))
    conn.commit()
    conn.close()
    assert profile.db_path.read_bytes().startswith(b"SQLite format 3\x00")
    _assert_refused(profile, NotEncryptedError)
    assert "not encrypted" in str(_assert_refused(profile, NotEncryptedError, _key(profile)))
    profile.db_path.write_bytes(saved)


@pytest.mark.parametrize("content", ["random", "text", "empty", "short"])
def test_a_file_that_is_not_a_database_is_refused(
        closed: tuple[profiles.Profile, Person], content: str) -> None:
    profile, person = closed
    saved = profile.db_path.read_bytes()
    data = {"random": os.urandom(64 * 1024), "empty": b"", "short": b"SQLite",
            "text": f"Notes about {NAME}\n{NHS}\n".encode() * 500}[content]
    _replace_db(profile, data)
    _assert_refused(profile, CorruptDatabaseError)
    assert profile.db_path.read_bytes() == data
    _replace_db(profile, saved)
    _reopens_with(profile, person)


def test_a_truncated_database_is_refused(closed: tuple[profiles.Profile, Person]) -> None:
    profile, person = closed
    saved = profile.db_path.read_bytes()
    assert not Path(f"{profile.db_path}-wal").exists() or Path(
        f"{profile.db_path}-wal").stat().st_size == 0
    _replace_db(profile, saved[: len(saved) // 2])
    _assert_refused(profile, CorruptDatabaseError)
    _replace_db(profile, saved)
    _reopens_with(profile, person)


def test_a_wrong_key_is_refused(closed: tuple[profiles.Profile, Person]) -> None:
    profile, person = closed
    _assert_refused(profile, StoreError, key=os.urandom(32))
    _reopens_with(profile, person)


def test_a_missing_key_file_is_a_clear_error(closed: tuple[profiles.Profile, Person]) -> None:
    profile, person = closed
    saved = profile.vault_path.read_bytes()
    profile.vault_path.unlink()
    before = _files(profile)
    with pytest.raises(VaultMissingError, match="key file") as caught:
        open_profile(profile.name, lambda: PASSPHRASE, use_keyring=False)
    _no_personal_data(caught.value)
    assert _files(profile) == before
    profile.vault_path.write_bytes(saved)
    _reopens_with(profile, person)


# -- a profile already open -------------------------------------------------------------


def test_a_second_store_on_one_profile_is_refused(store: Store) -> None:
    person = _record(store)
    with pytest.raises(ProfileInUseError, match="already open") as caught:
        open_profile("test", lambda: PASSPHRASE, use_keyring=False)
    _no_personal_data(caught.value)
    with store.reading() as s:  # the first one is unaffected
        assert caseload.load_record(s, person.id).person == person


def test_a_second_program_on_one_profile_is_refused(store: Store, eolcare_home: Path) -> None:
    _record(store)
    script = textwrap.dedent("""
        from eolcare.domain.errors import EolcareError
        from eolcare.store.database import open_profile
        try:
            open_profile("test", lambda: "a long test passphrase", use_keyring=False)
        except EolcareError as e:
            print(type(e).__name__)
            print(e)
        else:
            print("opened")
    """)
    env = dict(os.environ, EOLCARE_HOME=str(eolcare_home))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=60, check=True, cwd=Path(__file__).parents[2])
    first, message = done.stdout.splitlines()[:2]
    assert first == "ProfileInUseError", done.stdout + done.stderr
    assert NAME not in message
    assert "already open" in message


# -- read-only -----------------------------------------------------------------------


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


@pytest.mark.skipif(not _can_mount(), reason="mounting a file system needs root on Linux")
def test_a_profile_on_a_read_only_file_system(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with _tmpfs(tmp_path / "mnt", "16m") as mnt:
        monkeypatch.setenv(profiles.HOME_ENV, str(mnt))
        create_profile("ro", "Test Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
        with open_profile("ro", lambda: PASSPHRASE, use_keyring=False) as s:
            person = _record(s)
            _checkpointed_close(s)
        profile = profiles.find_profile("ro")
        before = _files(profile)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        try:
            def open_and_write() -> None:
                with open_profile("ro", lambda: PASSPHRASE, use_keyring=False) as opened, \
                        opened.writing(TODAY) as w:  # if opening works, writing must fail
                    w.update(Person, person.id, pronouns="they/them")

            with pytest.raises(DiskError) as caught:
                open_and_write()
            _no_personal_data(caught.value)
            assert "read-only" in str(caught.value)
            assert _files(profile) == before
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(mnt)], check=True)
        _reopens_with(profile, person)


def _on_every_connection(store: Store, *pragmas: str) -> None:
    """Run ``pragmas`` on every connection the store opens from now on."""

    @event.listens_for(store.engine, "connect")
    def _set(dbapi_conn: Any, _record: Any) -> None:
        for pragma in pragmas:
            dbapi_conn.execute(pragma)

    store.engine.dispose()  # the pooled connections were opened before


def test_sqlite_read_only_mode_gives_a_plain_error_and_changes_nothing(store: Store) -> None:
    person = _record(store)
    with store.reading() as s:
        before = table_counts(s)
    _on_every_connection(store, "PRAGMA query_only = ON")
    with pytest.raises(DiskError, match="read-only") as caught, store.writing(TODAY) as w:
        w.update(Person, person.id, pronouns="they/them", full_name="Perpetua Changed")
    _no_personal_data(caught.value)
    with store.reading() as s:
        assert table_counts(s) == before
        assert caseload.load_record(s, person.id).person == person


# -- a full disk -------------------------------------------------------------------


def _fill(f: Any) -> None:
    """Write to ``f`` until the file system is full."""
    while True:
        f.write(b"\0" * 65536)
        f.flush()


def _many_notes(person_id: str, count: int) -> list[ContactNote]:
    return [minimal(ContactNote, id=new_id(), person_id=person_id,
                    occurred_at=full(ContactNote).occurred_at,
                    contact_type=Coded("phone"), discussed=f"{uuid.uuid4().hex * 40} {i}")
            for i in range(count)]


def test_sqlite_full_gives_a_plain_error_and_writes_nothing(store: Store) -> None:
    person = _record(store)
    with store.reading() as s:
        before = table_counts(s)
        pages = s.execute(text("PRAGMA page_count")).scalar_one()
    _on_every_connection(store, f"PRAGMA max_page_count = {pages + 3}")
    with pytest.raises(DiskError, match="full") as caught:
        add_all(store, list(_many_notes(person.id, 200)))
    _no_personal_data(caught.value)
    with store.reading() as s:
        assert table_counts(s) == before
        assert caseload.load_record(s, person.id).contacts == []


@pytest.mark.skipif(not _can_mount(), reason="mounting a file system needs root on Linux")
def test_a_full_file_system_gives_a_plain_error_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _tmpfs(tmp_path / "small", "3m") as mnt:
        monkeypatch.setenv(profiles.HOME_ENV, str(mnt))
        create_profile("full", "Test Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
        store = open_profile("full", lambda: PASSPHRASE, use_keyring=False)
        try:
            person = _record(store)
            with store.reading() as s:
                before = table_counts(s)
            filler = mnt / "filler"
            with filler.open("wb") as f, pytest.raises(OSError, match="No space") as full_up:
                _fill(f)
            assert full_up.value.errno == errno.ENOSPC
            with pytest.raises(DiskError, match="full") as caught:
                add_all(store, _many_notes(person.id, 300))
            _no_personal_data(caught.value)
            filler.unlink()
            with store.reading() as s:
                assert table_counts(s) == before
        finally:
            with contextlib.suppress(EolcareError):
                store.close()
        _reopens_with(profiles.find_profile("full"), person)
        with open_profile("full", lambda: PASSPHRASE, use_keyring=False) as again, \
                again.reading() as s:
            assert table_counts(s) == before


# -- values that cannot be right ---------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "says"), [
    ("nhs_number", "943 476 5918", "check digit"),
    ("nhs_number", "12345", "10 digits"),
    ("nhs_number", "９４３４７６５９１９", "10 digits"),  # full-width digits
    ("date_of_birth", TODAY + timedelta(days=1), "future"),
    ("date_of_death", date(1930, 1, 1), "before the date of birth"),
    ("cpr_review_date", date(2024, 1, 1), "before the cpr decision date"),
    ("akps", 101, "between 0 and 100"),
    ("status", Coded("not-a-status"), "not one of the choices"),
])
def test_impossible_values_are_refused_and_nothing_is_written(
        store: Store, field: str, value: Any, says: str) -> None:
    person = _record(store)
    with store.reading() as s:
        before = table_counts(s)
    base = {"date_of_birth": date(1940, 5, 17), "cpr_date": date(2024, 6, 1)}
    new = full(Person, id=new_id(), full_name=NAME, home_access=SECRET_NOTE,
               **{**base, field: value})
    with pytest.raises(ValidationError, match=says) as added:
        add_all(store, [new])
    with pytest.raises(ValidationError, match=says) as updated, store.writing(TODAY) as w:
        w.update(Person, person.id, **{field: value})
    for caught in (added, updated):
        _no_personal_data(caught.value)
        assert str(value) not in str(caught.value) or field == "akps"
    with store.reading() as s:
        assert table_counts(s) == before
        assert caseload.load_record(s, person.id).person == person
