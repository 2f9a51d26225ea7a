"""Automatic backups: encrypted, checked when made, rotated, restored to the same record."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text

from eolcare import demo
from eolcare.domain.entities import Person
from eolcare.domain.errors import CorruptDatabaseError
from eolcare.domain.jobs import run
from eolcare.store import backup, caseload, lifecycle, vault
from eolcare.store import engine as engines
from eolcare.store.database import Store, create_profile, unlock_with_passphrase
from eolcare.store.profiles import Profile
from tests.conftest import PASSPHRASE
from tests.domain.factories import minimal
from tests.store.helpers import new_id, table_counts

PLAIN = b"SQLite format 3\x00"


@pytest.fixture
def profile() -> Profile:
    return create_profile("alex", "Alex", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)[0]


@pytest.fixture
def key(profile: Profile) -> bytes:
    return unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)


def _add_people(store: Store, count: int) -> list[str]:
    ids = [new_id() for _ in range(count)]
    with store.writing() as w:
        for pid in ids:
            w.add(minimal(Person, id=pid))
    return ids


def _snapshot(store: Store) -> dict[str, object]:
    """Everything a coordinator could see, and the log behind it."""
    with store.reading() as s:
        people = caseload.list_people(s, include_ended=True)
        return {
            "counts": table_counts(s),
            "records": [caseload.load_record(s, p.id) for p in people],
            "log": s.execute(text("SELECT op_id, stamp, changes FROM operation ORDER BY seq"))
                    .all(),
            "outbox": s.execute(text("SELECT op_seq FROM outbox ORDER BY op_seq")).all(),
        }


def _open_backup(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path))
    engines.unlock(conn, key, engines.PAGE_SIZE)  # a new profile's (test_page_size.py)
    return conn


# -- made, encrypted, checked ------------------------------------------------------------------


def test_a_changed_profile_is_backed_up_on_close_encrypted_with_its_key(
        profile: Profile, key: bytes) -> None:
    with Store(profile, key) as store:
        _add_people(store, 3)
    [made] = backup.list_backups(profile)
    assert made.reason == "on close"
    assert made.people == 3
    raw = made.path.read_bytes()
    assert not raw.startswith(PLAIN)
    assert raw[:16] != PLAIN[:16]
    conn = _open_backup(made.path, key)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (3,)
    finally:
        conn.close()
    wrong = _open_backup(made.path, os.urandom(32))
    with pytest.raises(sqlcipher3.DatabaseError):
        wrong.execute("SELECT count(*) FROM person").fetchone()
    wrong.close()
    for path in (made.path, made.path.with_suffix(".json"), profile.backups_path / "vault.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert profile.backups_path.joinpath("vault.json").read_bytes() == \
        profile.vault_path.read_bytes()
    description = json.loads(made.path.with_suffix(".json").read_text())
    assert set(description) == {"made", "reason", "people", "last_stamp", "size"}


def test_no_backup_when_nothing_changed_or_the_last_is_recent(profile: Profile,
                                                              key: bytes) -> None:
    Store(profile, key).close()  # an empty profile: nothing to lose
    assert backup.list_backups(profile) == []
    with Store(profile, key) as store:
        _add_people(store, 1)
    assert len(backup.list_backups(profile)) == 1
    Store(profile, key).close()  # nothing changed since
    with Store(profile, key) as store:
        _add_people(store, 1)  # changed, but the last backup is under ON_CLOSE_GAP old
    assert len(backup.list_backups(profile)) == 1


def test_a_close_after_the_gap_makes_another(profile: Profile, key: bytes,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(profile, key) as store:
        _add_people(store, 1)
    monkeypatch.setattr(backup, "ON_CLOSE_GAP", timedelta(0))
    Store(profile, key).close()  # the gap has passed, but nothing changed
    assert len(backup.list_backups(profile)) == 1
    with Store(profile, key) as store:
        _add_people(store, 1)
    assert [b.people for b in backup.list_backups(profile)] == [2, 1]


def test_a_backup_while_editing_after_a_stretch(profile: Profile, key: bytes,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "EVERY", timedelta(0))
    store = Store(profile, key)
    try:
        _add_people(store, 2)
        assert store._backup_thread is not None
        store._backup_thread.join(30)
        [made] = backup.list_backups(profile)
        assert made.reason == "while editing"
        assert made.people == 2
        assert store.backup_problem is None
        with store.reading() as s:  # the store carries on meanwhile
            assert len(caseload.list_people(s)) == 2
    finally:
        store.close()


def test_a_bigger_caseload_backs_up_whole(profile: Profile, key: bytes) -> None:
    with Store(profile, key) as store:
        run(demo.generate(store, 300, seed=3))
        made = store.backup_now()
        with store.reading() as s:
            counts = table_counts(s)
    assert made.people == 300
    conn = _open_backup(made.path, key)
    try:
        for table, count in counts.items():
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (count,), table
    finally:
        conn.close()


# -- rotation ---------------------------------------------------------------------------------


def test_rotation_keeps_the_newest_then_daily_for_a_week_then_weekly_for_a_month(
        profile: Profile, key: bytes) -> None:
    now = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    store = Store(profile, key)
    try:
        _add_people(store, 1)
        raw = store.engine.raw_connection()
        try:
            # two a day for sixty days, oldest first, as a long-used profile would have
            for day in range(60, -1, -1):
                for hour in (9, 17):
                    made_at = now - timedelta(days=day) + timedelta(hours=hour - 18)
                    backup.make(raw.driver_connection, profile, key, "on close", made_at)
        finally:
            raw.close()
    finally:
        store.close()
    kept = [b.made for b in backup.list_backups(profile)]
    assert kept == sorted(kept, reverse=True)
    assert kept[:3] == [now - timedelta(hours=1), now - timedelta(hours=9),
                        now - timedelta(days=1, hours=1)]
    days = {b.astimezone().date() for b in kept if now - b <= timedelta(days=7)}
    assert len(days) >= 7  # one a day for the last week
    older = [b for b in kept if now - b > timedelta(days=8)]
    weeks = [b.astimezone().isocalendar()[:2] for b in older]
    assert len(weeks) == len(set(weeks))  # at most one a week beyond the week
    assert all(now - b <= timedelta(days=31) for b in kept)  # nothing past a month
    assert 4 <= len(older) <= 5
    assert len(kept) <= 3 + 8 + 5
    files = sorted(p.name for p in profile.backups_path.iterdir())
    assert len(files) == 2 * len(kept) + 1  # .db and .json each, and the key file copy


# -- restore ----------------------------------------------------------------------------------


def test_a_restored_profile_equals_the_original_at_backup_time(profile: Profile,
                                                               key: bytes) -> None:
    with Store(profile, key) as store:
        run(demo.generate(store, 40, seed=11))
        made = store.backup_now()
        original = _snapshot(store)
        ids = _add_people(store, 5)  # after the backup: not in it
        with store.writing() as w:
            w.update(Person, ids[0], pronouns="they/them")
    aside = backup.restore(profile, key, made)
    assert (aside / "eolcare.db").exists()  # the file replaced is kept, not deleted
    with Store(profile, key) as store:
        assert _snapshot(store) == original
        with store.writing() as w:  # and it takes new work
            w.add(minimal(Person, id=new_id()))
    with Store(profile, key) as store, store.reading() as s:
        assert len(caseload.list_people(s, include_ended=True)) == len(original["records"]) + 1


def test_restore_refuses_while_the_profile_is_open(profile: Profile, key: bytes) -> None:
    with Store(profile, key) as store:
        _add_people(store, 1)
        made = store.backup_now()
        before = profile.db_path.read_bytes()
        with pytest.raises(Exception, match="already open"):
            backup.restore(profile, key, made)
        assert profile.db_path.read_bytes() == before


def test_a_damaged_backup_is_refused_and_nothing_changes(profile: Profile, key: bytes) -> None:
    with Store(profile, key) as store:
        _add_people(store, 2)
        made = store.backup_now()
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 16] = os.urandom(16)
    made.path.write_bytes(bytes(data))
    before = profile.db_path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="older backup"):
        backup.restore(profile, key, made)
    assert profile.db_path.read_bytes() == before
    assert not (profile.path / "set-aside").exists()


def test_a_lost_key_file_comes_back_from_the_backups(profile: Profile, key: bytes) -> None:
    with Store(profile, key) as store:
        _add_people(store, 1)
    profile.vault_path.unlink()
    assert backup.restore_key_file(profile)
    assert unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False) == key


# -- damage found while backing up ------------------------------------------------------------


def _damage_a_page(profile: Profile, key: bytes) -> None:
    """Flip bytes inside a page well past the schema, after folding the WAL into the file."""
    with Store(profile, key) as store:
        run(demo.generate(store, 200, seed=1))
        with store.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    for path in backup.list_backups(profile):
        path.path.unlink()
        path.path.with_suffix(".json").unlink()
    data = bytearray(profile.db_path.read_bytes())
    page = len(data) // 4096 // 2
    data[page * 4096 - 2000: page * 4096 - 1990] = os.urandom(10)
    profile.db_path.write_bytes(bytes(data))


def test_damage_is_found_by_the_backup_and_reported_with_the_way_out(
        profile: Profile, key: bytes) -> None:
    _damage_a_page(profile, key)
    store = Store(profile, key)  # the first page is fine: it opens
    with pytest.raises(CorruptDatabaseError) as caught:
        store.backup_now()
    assert "restore the latest good backup" in str(caseload_message := str(caught.value))
    assert backup.list_backups(profile) == []  # the damaged copy was not kept
    assert not list(profile.backups_path.glob(".*.tmp"))
    # every later call answers with the same sentence, never a bare MemoryError
    for _ in range(3):
        with pytest.raises(CorruptDatabaseError) as again, store.reading() as s:
            caseload.list_people(s)
        assert str(again.value) == caseload_message
    with pytest.raises(CorruptDatabaseError), store.writing() as w:
        w.add(minimal(Person, id=new_id()))
    store.close()  # closing still works, and makes no backup of a damaged file
    assert backup.list_backups(profile) == []


def test_a_query_that_meets_damage_leaves_a_usable_store_for_the_message(
        profile: Profile, key: bytes) -> None:
    """Reading every row meets the bad page; later calls get the sentence again."""
    _damage_a_page(profile, key)
    store = Store(profile, key)
    try:
        with pytest.raises(CorruptDatabaseError) as caught:
            _read_every_row(store)
        for _ in range(3):
            with pytest.raises(CorruptDatabaseError) as again, store.reading() as s:
                s.execute(text("SELECT count(*) FROM person")).scalar_one()
            assert str(again.value) == str(caught.value)
    finally:
        store.close()


def _read_every_row(store: Store) -> None:
    with store.reading() as s:
        tables = s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"
                                " AND name NOT LIKE 'search_index%'")).scalars().all()
        for table in tables:  # every row of every table: one may be on the bad page
            s.execute(text(f'SELECT * FROM "{table}"')).all()
        s.execute(text("PRAGMA integrity_check")).all()  # and every index page


@pytest.fixture
def open_store(profile: Profile, key: bytes) -> Iterator[Store]:
    store = Store(profile, key)
    yield store
    store.close()


def test_removal_facts_name_what_has_not_been_synced(open_store: Store) -> None:
    _add_people(open_store, 4)
    facts = lifecycle.removal_facts(open_store)
    assert facts.people == 4
    assert facts.unsynced_changes == 4
    assert facts.never_synced
