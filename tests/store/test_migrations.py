"""Migrations: a database of the first schema opens in this version without losing a field."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, Boolean, Date, Engine, Integer, String, Table, Text, select, text

from eolcare.domain.entities import Person
from eolcare.domain.errors import SchemaTooNewError
from eolcare.store import caseload, migrate, profiles, vault
from eolcare.store import engine as engines
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.tables import UTCDateTime, metadata
from eolcare.store.writes import load
from tests.conftest import PASSPHRASE

#: Tables of the first schema (0002 added search_doc, 0004 sync_cursor, 0005 sync_* and
#: possible_duplicate).
FIRST_TABLES = [t for t in metadata.sorted_tables if t.name not in ("search_doc", "sync_cursor")
                and not t.name.startswith("sync_") and t.name != "possible_duplicate"]
LIVE_NAME = "Gwendolyn Pryce-Ó Súilleabháin"


def _value(table: Table, column: str, n: int) -> Any:
    """A value for one column that differs from every other column's (where the type allows)."""
    col = table.c[column]
    if column in ("stamp", "updated_stamp", "deleted_stamp"):
        return f"{1_700_000_000_000 + n:015d}-{n:06d}-dev{n}"
    if isinstance(col.type, UTCDateTime):
        return datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
    if isinstance(col.type, Boolean):
        return n % 2 == 0 if column not in ("needs_review", "local", "won") else True
    if isinstance(col.type, Integer):
        return 1000 + n
    if isinstance(col.type, Date):
        return date(2020, 1, 1) + timedelta(days=n)
    if isinstance(col.type, JSON):
        return {"column": f"{table.name}.{column}", "n": [n, str(n)]}
    if isinstance(col.type, String) and col.type.length is not None:
        return f"{n}:{table.name}.{column}"[: col.type.length]
    assert isinstance(col.type, Text | String), (table.name, column, col.type)
    return f"{table.name}.{column} #{n} – ünïcödé"


def _rows() -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    n = 0
    for table in FIRST_TABLES:
        row = {}
        for column in table.c.keys():  # noqa: SIM118 - keys() are the column names
            n += 1
            row[column] = _value(table, column, n)
        rows[table.name] = [row]
    rows["outbox"][0]["op_seq"] = rows["operation"][0]["seq"]
    rows["field_change"][0]["op_seq"] = rows["operation"][0]["seq"]
    live = dict(rows["person"][0], id="live-person", full_name=LIVE_NAME, deleted_stamp=None)
    rows["person"].append(live)
    return rows


def _first_schema_database(profile: profiles.Profile, key: bytes,
                           rows: dict[str, list[dict[str, Any]]]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{profile.db_path}{suffix}").unlink(missing_ok=True)
    engine = engines.create_store_engine(profile.db_path, key)
    try:
        migrate.upgrade(engine, "0001")
        assert migrate.current_revision(engine) == "0001"
        with engine.begin() as conn:
            assert "search_doc" not in _tables(conn)
            for table in FIRST_TABLES:
                conn.execute(table.insert(), rows[table.name])
    finally:
        engine.dispose()


def _tables(conn: Any) -> set[str]:
    return {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}


@pytest.fixture
def old_profile() -> tuple[profiles.Profile, bytes, dict[str, list[dict[str, Any]]]]:
    profile, _ = create_profile("old", "Test Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    key = vault.unlock(profile.vault_path, PASSPHRASE)
    rows = _rows()
    _first_schema_database(profile, key, rows)
    return profile, key, rows


def test_every_value_of_the_first_schema_survives_the_upgrade(old_profile: Any) -> None:
    profile, key, rows = old_profile
    with Store(profile, key) as store:
        assert migrate.current_revision(store.engine) == migrate.head_revision() != "0001"
        with store.engine.connect() as conn:
            for table in FIRST_TABLES:
                got = [dict(r) for r in conn.execute(select(table)).mappings()]
                key_col = next(iter(table.primary_key.columns)).name
                want = sorted(rows[table.name], key=lambda r: str(r[key_col]))
                assert sorted(got, key=lambda r: str(r[key_col])) == want, table.name
        with store.reading() as s:
            old = load(s, Person, rows["person"][0]["id"], deleted=True)
        assert old.full_name == rows["person"][0]["full_name"]
        assert old.provenance is not None
        assert old.provenance.deleted


def test_the_search_index_is_built_on_first_open_after_the_upgrade(old_profile: Any) -> None:
    profile, key, _ = old_profile
    with Store(profile, key) as store, store.reading() as s:
        assert [p.id for p in caseload.find_people(s, "gwendolyn")] == ["live-person"]
        assert [p.id for p in caseload.find_people(s, "suilleabhain")] == ["live-person"]
        assert caseload.find_people(s, "person.full_name") == []  # the tombstone is not
        flag = s.execute(text("SELECT count(*) FROM meta WHERE key='search_rebuild'"))
        assert flag.scalar_one() == 0
        assert s.execute(text("SELECT count(*) FROM meta")).scalar_one() == 1  # ours


def test_an_index_made_before_cjk_splitting_is_rebuilt_on_upgrade(store: Store) -> None:
    """0003: a given name alone finds a Chinese full name once the index is rebuilt."""
    with store.writing() as w:
        w.add(Person(id="cjk-person", full_name="王秀英"))
    with store.engine.begin() as conn:  # the index and revision as 0002 left them
        conn.execute(text("UPDATE search_index SET names = '王秀英'"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
        for added_by_0004 in ("TABLE sync_cursor", "INDEX ix_person_caseload",
                              "INDEX ix_task_open", "INDEX ix_involvement_key_worker"):
            conn.execute(text(f"DROP {added_by_0004}"))
        for table in ("sync_account", "sync_team", "sync_team_key", "sync_sealed",
                      "sync_failure", "possible_duplicate"):  # 0005 adds them
            conn.execute(text(f"DROP TABLE {table}"))
    with store.reading() as s:
        assert caseload.find_people(s, "秀英") == []  # what the old index could not find
    store.close()
    with open_profile("test", lambda: PASSPHRASE, use_keyring=False) as reopened:
        assert migrate.current_revision(reopened.engine) == migrate.head_revision()
        with reopened.reading() as s:
            assert [p.id for p in caseload.find_people(s, "秀英")] == ["cjk-person"]


def test_the_head_schema_is_the_one_tables_py_describes(store: Store) -> None:
    def include(name: str | None, type_: str, _parent: Any) -> bool:
        return not (type_ == "table" and name is not None and name.startswith("search_index"))

    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include})
        diff = compare_metadata(context, metadata)
        assert {"search_index", "search_index_data", "search_index_config"} <= _tables(conn)
    assert diff == []


def _stamp(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_from_a_newer_version_is_refused_and_not_changed(store: Store) -> None:
    profile = store.profile
    key = vault.unlock(profile.vault_path, PASSPHRASE)
    _stamp(store.engine, "9999_from_the_future")
    store.close()
    before = _digest(profile.db_path)
    wal = Path(f"{profile.db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with pytest.raises(SchemaTooNewError, match="newer version of eolcare"):
        Store(profile, key)
    with pytest.raises(SchemaTooNewError):
        open_profile("test", lambda: PASSPHRASE, use_keyring=False)
    assert _digest(profile.db_path) == before
    engine = engines.create_store_engine(profile.db_path, key)
    try:
        assert migrate.current_revision(engine) == "9999_from_the_future"
    finally:
        engine.dispose()
    _stamp_back(profile, key)
    store.__init__(profile, key)  # type: ignore[misc]  # so the fixture can close it


def _stamp_back(profile: profiles.Profile, key: bytes) -> None:
    engine = engines.create_store_engine(profile.db_path, key)
    try:
        _stamp(engine, migrate.head_revision())
    finally:
        engine.dispose()
