"""Saved means saved: every connection syncs the WAL at every commit (synchronous = FULL).

A power cut cannot be staged in a test; what can be checked is that no
connection the store ever uses runs with a weaker setting, including the
pool's overflow connections opened under load.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack

from sqlalchemy import text

from eolcare.domain.entities import Person
from eolcare.store import vault
from eolcare.store.database import Store
from tests.conftest import PASSPHRASE
from tests.domain.factories import minimal
from tests.store.helpers import new_id

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def _settings(conn: object) -> tuple[int, str]:
    level = conn.execute(text("PRAGMA synchronous")).scalar_one()  # type: ignore[attr-defined]
    mode = conn.execute(text("PRAGMA journal_mode")).scalar_one()  # type: ignore[attr-defined]
    return int(level), str(mode)


def test_every_pooled_connection_syncs_each_commit(store: Store) -> None:
    size = store.engine.pool.size() + store.engine.pool._max_overflow  # type: ignore[attr-defined]
    with ExitStack() as stack:
        conns = [stack.enter_context(store.engine.connect()) for _ in range(size)]
        assert len({id(c.connection.dbapi_connection) for c in conns}) == size
        assert [_settings(c) for c in conns] == [(FULL, "wal")] * size


def test_sessions_used_for_reading_and_writing_sync_each_commit(store: Store) -> None:
    seen: list[int] = []

    def read() -> None:
        with store.reading() as s:
            seen.append(int(s.execute(text("PRAGMA synchronous")).scalar_one()))

    threads = [threading.Thread(target=read) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with store.writing() as w:
        w.add(minimal(Person, id=new_id()))
        seen.append(int(w.session.execute(text("PRAGMA synchronous")).scalar_one()))
    assert seen == [FULL] * 7


def test_a_reopened_store_keeps_the_setting(store: Store) -> None:
    profile = store.profile
    key = vault.unlock(profile.vault_path, PASSPHRASE)
    store.close()
    with Store(profile, key) as again, again.engine.connect() as conn:
        assert _settings(conn) == (FULL, "wal")
