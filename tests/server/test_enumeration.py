"""Issue 12, finding 5: user names cannot be enumerated. The account look-up and the KDF
parameters are rate-limited like login, and an unknown name costs the server the same
work as a known one. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from eolcare.server.app import create_app
from eolcare.server.config import Settings
from eolcare.server.db import Database
from eolcare.sync.client_api import ApiError
from tests.server.conftest import make_user_factory


@pytest.fixture
def strict_http(settings: Settings, db: Database) -> Iterator[TestClient]:
    strict = replace(settings, lookups_per_account=5, lookups_per_address=8,
                     login_per_account=6, login_per_address=9)
    with TestClient(create_app(strict, db)) as client:
        yield client


def test_the_account_lookup_is_rate_limited_per_account(strict_http: TestClient) -> None:
    make = make_user_factory(strict_http)
    mallory = make()
    replies = []
    for i in range(8):
        try:
            mallory.api.lookup(f"guess{i}")
        except ApiError as exc:
            replies.append((exc.status, exc.headers.get("retry-after", "")))
    assert [status for status, _ in replies] == [404] * 5 + [429] * 3
    assert all(int(wait) > 0 for status, wait in replies if status == 429)


def test_the_kdf_lookup_is_rate_limited_per_name_and_address(strict_http: TestClient) -> None:
    statuses = [strict_http.get("/v1/auth/kdf", params={"username": "rtalice"}).status_code
                for _ in range(8)]
    assert statuses == [200] * 6 + [429] * 2
    # another name from the same address: two more before the address is over its limit
    others = [strict_http.get("/v1/auth/kdf", params={"username": f"n{i}xx"}).status_code
              for i in range(3)]
    assert others == [200, 429, 429]


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    for engine in {db.engine, db.writer}:
        event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        for engine in {db.engine, db.writer}:
            event.remove(engine, "before_cursor_execute", on_execute)


def test_a_known_and_an_unknown_name_take_the_same_statements(
    app_http: TestClient, db: Database,
) -> None:
    make = make_user_factory(app_http)
    alice = make("rtalice")
    work = {}
    for name in ("rtalice", "nosuchuser"):
        with _statements(db) as kdf:
            assert app_http.get("/v1/auth/kdf", params={"username": name}).status_code == 200
        with _statements(db) as lookup:
            status = alice.api.http.get(
                "/v1/accounts/lookup", params={"username": name},
                headers={"authorization": f"Bearer {alice.api.tokens.access_token}"},  # type: ignore[union-attr]
            ).status_code
        assert status == (200 if name == "rtalice" else 404)
        work[name] = (kdf, lookup)
    assert work["rtalice"] == work["nosuchuser"]
