"""Fixtures: a fresh database per test on SQLite and PostgreSQL, in-process apps,
real uvicorn processes on loopback, and clients that act exactly as a laptop would.

PostgreSQL comes from EOLCARE_TEST_PG_URL (tools/test starts it). Without it a
local run skips the PostgreSQL half with a reason; under CI, or when the URL
is set but the server does not answer, the tests fail instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from eolcare.server.app import create_app
from eolcare.server.config import Settings, write_config
from eolcare.server.db import Database
from eolcare.server.models import Base
from eolcare.server.scratch import free_port, scratch_database
from eolcare.sync import crypto
from eolcare.sync.client_api import AccountKeys, SyncApi

PG_ENV = "EOLCARE_TEST_PG_URL"
PASSPHRASE = "correct horse"
#: The cheapest Argon2id: the tests exercise the protocol, not the KDF's cost.
FAST_KDF = (1, 8192)
#: Limits high enough that only the rate-limit tests meet them.
TEST_SETTINGS = {"login_per_account": 1000, "login_per_address": 10_000,
                 "lookups_per_account": 1000, "lookups_per_address": 10_000,
                 "anonymous_per_address": 10_000}


def _postgres_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must test on PostgreSQL (run tools/test)")
        pytest.skip(f"{PG_ENV} not set; run tools/test to include PostgreSQL")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        pytest.fail(f"{PG_ENV} is set but PostgreSQL does not answer: {exc}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """One migrated PostgreSQL database for the session; tests empty it (`database_url`)."""
    with scratch_database(_postgres_url(), "eolcare_t") as url:
        database = Database(url)
        database.migrate()
        database.dispose()
        yield url


def _empty_postgres(url: str) -> None:
    """Every table emptied (TRUNCATE, which the audit triggers allow); the schema stays."""
    tables = [t.name for t in Base.metadata.sorted_tables if t.name != "server_secret"]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for this test alone: a new SQLite file, or the emptied PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    url: str = request.getfixturevalue("pg_database")
    _empty_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, **TEST_SETTINGS)  # type: ignore[arg-type]


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url, settings.pool_size)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def app_http(settings: Settings, db: Database) -> Iterator[TestClient]:
    """The app in-process (for broad matrices); key scenarios use `live_server`."""
    with TestClient(create_app(settings, db)) as client:
        yield client


@dataclass
class User:
    """A registered, signed-in account and its device's API session."""

    api: SyncApi
    keys: AccountKeys
    account_id: str


UserFactory = Callable[..., User]


def make_user_factory(http: httpx.Client) -> UserFactory:
    def make(name: str | None = None, passphrase: str = PASSPHRASE) -> User:
        username = name or f"user-{uuid.uuid4().hex[:8]}"
        api = SyncApi(http)
        keys = AccountKeys.create(username, passphrase, crypto.KdfParams.new(*FAST_KDF))
        account_id = api.register(keys)
        api.login(username, keys.login_key, "test laptop")
        return User(api, keys, account_id)

    return make


@pytest.fixture
def user(app_http: TestClient) -> UserFactory:
    """Make users on the in-process app."""
    return make_user_factory(app_http)


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    #: The process's stderr: its JSON log lines.
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


ServerFactory = Callable[..., LiveServer]


@pytest.fixture
def live_servers(settings: Settings, tmp_path: Path) -> Iterator[ServerFactory]:
    """Start real `eolcare-server serve` processes on loopback sharing the test database."""
    started: list[LiveServer] = []

    def start(*, serve_args: Sequence[str] = (), **overrides: object) -> LiveServer:
        """A server with these settings in its config file and extra `serve` options."""
        data = tmp_path / f"server{len(started)}"
        data.mkdir()
        write_config(data, replace(settings, **overrides))  # type: ignore[arg-type]
        port = free_port()
        with (data / "server.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "eolcare.server.cli", "serve", "--data", str(data),
                 "--host", "127.0.0.1", "--port", str(port), *serve_args],
                stdout=subprocess.DEVNULL, stderr=log,
                # the config file holds no database password; serve takes it from here
                env=os.environ | {"EOLCARE_DATABASE_URL": settings.database_url},
            )
        server = LiveServer(f"http://127.0.0.1:{port}", process, data / "server.log")
        started.append(server)
        _wait_healthy(server, data / "server.log")
        return server

    yield start
    for server in started:
        server.process.terminate()
    for server in started:
        server.process.wait(timeout=20)


def _wait_healthy(server: LiveServer, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(server.url + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not become healthy in 30 s")


@pytest.fixture
def live_server(live_servers: ServerFactory) -> LiveServer:
    return live_servers()


@pytest.fixture
def live_http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with live_server.client() as client:
        yield client


@pytest.fixture
def live_user(live_http: httpx.Client) -> UserFactory:
    """Make users against the real server process."""
    return make_user_factory(live_http)
