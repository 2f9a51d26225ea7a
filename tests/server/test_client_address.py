"""The client address behind a reverse proxy, against real uvicorn processes on both databases.

X-Forwarded-For is believed only from a peer the operator listed (`--trusted-proxy`,
`trusted_proxies` in the config); then per-address rate limits and the audit log use
the address the proxy saw. From anyone else the header is ignored, whatever uvicorn's
$FORWARDED_ALLOW_IPS says.
"""

from __future__ import annotations

import json

import httpx
import pytest
from nacl.signing import SigningKey

from eolcare.server import admin
from eolcare.server.db import Database
from eolcare.sync.client_api import ApiError, SyncApi
from tests.server.conftest import LiveServer, ServerFactory, make_user_factory

#: Only the per-address limit matters here.
LIMITS = {"login_per_account": 1000, "login_per_address": 3, "rate_window": 60}


def _login(server: LiveServer, key: SigningKey, forwarded: str | None) -> int:
    """Status of one login as alice, through a client that sends this X-Forwarded-For."""
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    with httpx.Client(base_url=server.url, timeout=30, headers=headers) as http:
        try:
            SyncApi(http).login("alice", key)
        except ApiError as err:
            return err.status
    return 200


def _addresses(db: Database, action: str) -> list[str | None]:
    return [a.address for a in admin.audit_log(db, None, 1000) if a.action == action]


def _startup(server: LiveServer) -> dict[str, object]:
    for line in server.log.read_text("utf-8").splitlines():
        entry: dict[str, object] = json.loads(line)
        if entry.get("event") == "serving":
            return entry
    raise AssertionError("no start-up log line")


def test_behind_a_trusted_proxy_the_forwarded_address_is_audited_and_limited(
    live_servers: ServerFactory, db: Database,
) -> None:
    server = live_servers(**LIMITS, serve_args=["--trusted-proxy", "127.0.0.1",
                                                "--trusted-proxy", "::1"])
    assert _startup(server)["trusted_proxies"] == ["127.0.0.1", "::1"]
    with server.client() as http:
        alice = make_user_factory(http)("alice")  # signs up and in from 127.0.0.1 itself
    key = alice.keys.login_key

    assert [_login(server, key, "203.0.113.7") for _ in range(4)] == [200, 200, 200, 429]
    # another client behind the proxy has a limit of its own
    assert _login(server, key, "203.0.113.8") == 200
    # an address the client wrote itself, before the one the proxy appended, changes nothing
    assert _login(server, key, "198.51.100.9, 203.0.113.8") == 200
    # the proxy's own requests still count as the proxy's (1 so far, at sign-up)
    assert _login(server, key, None) == 200
    # a proxy passing on garbage: neither a 500 nor garbage in the audit log
    assert _login(server, key, "not an address\t" + "x" * 100) == 200
    wrong = SigningKey.generate()
    assert _login(server, wrong, "203.0.113.9") == 401

    assert _addresses(db, "login") == [
        "127.0.0.1", "203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.8",
        "203.0.113.8", "127.0.0.1", "invalid",
    ]
    assert _addresses(db, "login_failed") == ["203.0.113.9"]
    assert _addresses(db, "register") == ["127.0.0.1"]


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(
    live_servers: ServerFactory, db: Database, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # uvicorn would otherwise take its trusted proxies from here: serve must not
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    server = live_servers(**LIMITS)  # the default: no trusted proxy
    assert _startup(server)["trusted_proxies"] == []
    with server.client() as http:
        alice = make_user_factory(http)("alice")  # 1 login from 127.0.0.1
    key = alice.keys.login_key

    # forged addresses share the peer's one limit (3)
    statuses = [_login(server, key, f"203.0.113.{i}") for i in (7, 8, 9)]
    assert statuses == [200, 200, 429]
    assert _login(server, key, "198.51.100.1, 203.0.113.10") == 429
    assert _addresses(db, "login") == ["127.0.0.1"] * 3
