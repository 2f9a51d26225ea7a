"""Login attacks and rate limits against a real uvicorn process, on both databases."""

from __future__ import annotations

import time

import httpx
import pytest

from eolcare.sync.client_api import ApiError, SyncApi
from tests.server.conftest import ServerFactory, UserFactory, make_user_factory


def _login_status(api: SyncApi, request_json: dict[str, object],
                  host: str | None = None) -> int:
    headers = {"Host": host} if host else {}
    return api.http.post("/v1/auth/login", json=request_json, headers=headers).status_code


def test_a_challenge_works_once(live_user: UserFactory, live_http: httpx.Client) -> None:
    alice = live_user("alice")
    api = SyncApi(live_http)
    body = api.login_request("alice", alice.keys.login_key).model_dump(mode="json")
    assert _login_status(api, body) == 200
    assert _login_status(api, body) == 401  # replayed


def test_a_challenge_for_another_action_or_host_is_refused(
    live_user: UserFactory, live_http: httpx.Client
) -> None:
    alice = live_user("alice")
    api = SyncApi(live_http)
    register_challenge = api.challenge("register")
    body = api.login_request("alice", alice.keys.login_key, register_challenge)
    assert _login_status(api, body.model_dump(mode="json")) == 401
    # the client signs a challenge whose host it altered
    text = api.challenge("login").split("|")
    text[1] = "evil.example"
    body = api.login_request("alice", alice.keys.login_key, "|".join(text))
    assert _login_status(api, body.model_dump(mode="json")) == 401
    # a challenge issued to one host name, presented through another
    issued = api.http.post("/v1/auth/challenge", json={"action": "login"},
                           headers={"Host": "sync.example"}).json()["challenge"]
    body = api.login_request("alice", alice.keys.login_key, issued)
    assert _login_status(api, body.model_dump(mode="json"), host="other.example") == 401
    body = api.login_request("alice", alice.keys.login_key, api.challenge("login"))
    assert _login_status(api, body.model_dump(mode="json")) == 200


def test_an_expired_challenge_and_an_expired_token_are_refused(
    live_servers: ServerFactory,
) -> None:
    # Lifetimes long enough for signing up on a busy machine, short enough to wait out.
    server = live_servers(challenge_ttl=3, access_ttl=3)
    with server.client() as http:
        alice = make_user_factory(http)("alice")
        api = SyncApi(http)
        stale = api.login_request("alice", alice.keys.login_key)
        time.sleep(3.5)
        assert _login_status(api, stale.model_dump(mode="json")) == 401
        with pytest.raises(ApiError) as err:
            alice.api.request("GET", "/account")
        assert err.value.status == 401
        alice.api.refresh()
        assert alice.api.request("GET", "/account").status_code == 200


def test_a_revoked_device_token_is_refused_at_once(live_user: UserFactory) -> None:
    alice = live_user()
    assert alice.api.tokens is not None
    token = alice.api.tokens.access_token
    alice.api.request("DELETE", f"/devices/{alice.api.tokens.device_id}")
    response = alice.api.http.get("/v1/account", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_logins_are_rate_limited_per_account_then_per_address(
    live_servers: ServerFactory,
) -> None:
    server = live_servers(login_per_account=3, login_per_address=5, rate_window=60)
    with server.client() as http:
        make = make_user_factory(http)
        alice = make("alice")  # one login
        api = SyncApi(http)
        for _ in range(2):
            api.login("alice", alice.keys.login_key)
        with pytest.raises(ApiError) as err:
            api.login("alice", alice.keys.login_key)
        assert err.value.status == 429
        assert 0 < int(err.value.headers["Retry-After"]) <= 61
        # another account from the same address: the address limit (5) is reached next
        bob = make("bob")
        with pytest.raises(ApiError) as err:
            api.login("bob", bob.keys.login_key)
        assert err.value.status == 429
