"""Stores made now have 16 KiB pages; stores made before (4 KiB) open, back up and restore
as they are. SQLCipher cannot read an encrypted file's page size, so the store finds it."""

from __future__ import annotations

import pytest
import sqlcipher3

from eolcare import demo
from eolcare.domain.entities import Person
from eolcare.domain.errors import CorruptDatabaseError
from eolcare.domain.jobs import run
from eolcare.store import backup, caseload, vault
from eolcare.store import engine as engines
from eolcare.store.database import Store, create_profile, unlock_with_passphrase
from eolcare.store.profiles import Profile
from tests.conftest import PASSPHRASE
from tests.domain.factories import minimal
from tests.store.helpers import new_id

OLD = 4_096


def _made(name: str, monkeypatch: pytest.MonkeyPatch, page_size: int) -> tuple[Profile, bytes]:
    """A profile whose database was made with ``page_size`` pages, 12 people in it."""
    monkeypatch.setattr(engines, "PAGE_SIZE", page_size)  # what a new file is given
    profile = create_profile(name, "Alex", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)[0]
    key = unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)
    with Store(profile, key) as store:
        run(demo.generate(store, 12, seed=5))
    monkeypatch.undo()
    return profile, key


def _file_page_size(store: Store) -> int:
    with store.reading() as s:
        return int(s.connection().exec_driver_sql("PRAGMA page_size").scalar_one())


def test_a_new_store_has_16_kib_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    profile, key = _made("new", monkeypatch, engines.PAGE_SIZE)
    assert engines.PAGE_SIZE == 16_384
    with Store(profile, key) as store:
        assert store.page_size == _file_page_size(store) == engines.PAGE_SIZE
    size = profile.db_path.stat().st_size
    assert size % engines.PAGE_SIZE == 0
    # and with 4 KiB pages the file does not read
    conn = sqlcipher3.connect(str(profile.db_path))
    try:
        engines.unlock(conn, key, OLD)
        with pytest.raises(sqlcipher3.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def test_a_store_made_with_4_kib_pages_opens_edits_and_keeps_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    profile, key = _made("older", monkeypatch, OLD)
    with Store(profile, key) as store:
        assert store.page_size == _file_page_size(store) == OLD
        with store.reading() as s:
            before = len(caseload.list_people(s, include_ended=True))
        with store.writing() as w:
            w.add(minimal(Person, id=new_id()))
    assert before == 12
    with Store(profile, key) as store, store.reading() as s:
        assert len(caseload.list_people(s, include_ended=True)) == before + 1
        assert _file_page_size(store) == OLD  # it keeps its pages


@pytest.mark.parametrize("page_size", [OLD, engines.PAGE_SIZE])
def test_backups_keep_the_page_size_and_restore(monkeypatch: pytest.MonkeyPatch,
                                                page_size: int) -> None:
    profile, key = _made(f"backed{page_size}", monkeypatch, page_size)
    with Store(profile, key) as store:
        made = store.backup_now()
        with store.reading() as s:
            people = len(caseload.list_people(s, include_ended=True))
    assert engines.page_size_of(made.path.resolve().as_uri(), key) == page_size
    backup.verify(made, key)
    backup.restore(profile, key, made)
    with Store(profile, key) as store, store.reading() as s:
        assert store.page_size == page_size
        assert len(caseload.list_people(s, include_ended=True)) == people


def test_a_wrong_key_reads_with_no_page_size_and_says_so(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    profile, _ = _made("wrongkey", monkeypatch, engines.PAGE_SIZE)
    before = profile.db_path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="cannot be read"):
        engines.inspect(profile.db_path, bytes(32))
    assert profile.db_path.read_bytes() == before  # nothing written
    with pytest.raises(ValueError, match="not a store page size"):
        engines.unlock(sqlcipher3.connect(":memory:"), bytes(32), 8_192)
