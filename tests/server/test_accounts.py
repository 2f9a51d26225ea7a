"""Accounts, login and tokens through the API, on both databases."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from eolcare.server.db import Database
from eolcare.server.models import Account, Audit
from eolcare.sync import crypto
from eolcare.sync.client_api import ApiError, SyncApi
from tests.server.conftest import UserFactory


def test_a_new_device_unlocks_the_account_with_the_passphrase_alone(
    user: UserFactory, app_http: TestClient
) -> None:
    alice = user("alice", "long passphrase")
    keys = SyncApi(app_http).unlock("alice", "long passphrase", "second laptop")
    assert keys.identity_public_key == alice.keys.identity_public_key
    assert keys.account_key == alice.keys.account_key


def test_the_server_stores_no_passphrase_and_no_private_key(user: UserFactory,
                                                            db: Database) -> None:
    alice = user("alice", "long passphrase")
    with db.reading.begin() as s:
        row = s.scalars(select(Account)).one()
    stored = b"".join([row.login_public_key, row.kdf_salt, row.wrapped_account_key,
                       row.identity_public_key, row.wrapped_identity_key])
    for secret in (b"long passphrase", alice.keys.master_key, alice.keys.account_key,
                   bytes(alice.keys.identity), bytes(alice.keys.login_key)):
        assert secret not in stored


def test_unknown_user_and_wrong_key_fail_the_same_way(user: UserFactory,
                                                      app_http: TestClient) -> None:
    alice = user("alice")
    api = SyncApi(app_http)
    wrong_key = crypto.derive_keys("wrong", alice.keys.kdf).login_key
    failures = []
    for name, key in (("alice", wrong_key), ("nobody", alice.keys.login_key)):
        with pytest.raises(ApiError) as err:
            api.login(name, key)
        failures.append((err.value.status, err.value.detail))
    assert failures[0] == failures[1]
    assert failures[0][0] == 401


def test_kdf_parameters_of_an_unknown_user_are_stable_decoys(app_http: TestClient) -> None:
    first = app_http.get("/v1/auth/kdf", params={"username": "nobody"}).json()
    again = app_http.get("/v1/auth/kdf", params={"username": "nobody"}).json()
    other = app_http.get("/v1/auth/kdf", params={"username": "someone"}).json()
    assert first == again
    assert first["salt"] != other["salt"]


def test_a_taken_user_name_is_refused(user: UserFactory) -> None:
    alice = user("alice")
    with pytest.raises(ApiError) as err:
        alice.api.register(alice.keys)
    assert err.value.status == 409


def test_registration_needs_a_signature_by_the_key_it_registers(user: UserFactory,
                                                                app_http: TestClient) -> None:
    alice = user("alice")
    api = SyncApi(app_http)
    challenge = api.challenge("register")
    body = alice.keys.registration(challenge).model_dump(mode="json")
    body["username"] = "mallory"
    other = crypto.derive_keys("other", alice.keys.kdf).login_key
    body["signature"] = base64.b64encode(crypto.sign(other, challenge)).decode()
    with pytest.raises(ApiError) as err:
        api.request("POST", "/auth/register", json=body, auth=False)
    assert err.value.status == 401


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_device(
    user: UserFactory,
) -> None:
    alice = user()
    first = alice.api.tokens
    assert first is not None
    second = alice.api.refresh()
    assert second.refresh_token != first.refresh_token
    assert second.device_id == first.device_id
    alice.api.request("GET", "/account")
    alice.api.tokens = first  # a stolen copy of the old pair
    with pytest.raises(ApiError) as err:
        alice.api.refresh()
    assert err.value.status == 401
    alice.api.tokens = second  # the device's own, newer tokens are now dead too
    with pytest.raises(ApiError) as err:
        alice.api.request("GET", "/account")
    assert err.value.status == 401
    with pytest.raises(ApiError):
        alice.api.refresh()


def test_refresh_gives_a_new_access_token_and_ends_the_old_one(user: UserFactory) -> None:
    alice = user()
    old = alice.api.tokens
    assert old is not None
    alice.api.refresh()
    alice.api.tokens, new = old, alice.api.tokens
    with pytest.raises(ApiError) as err:
        alice.api.request("GET", "/account")
    assert err.value.status == 401
    alice.api.tokens = new
    assert alice.api.request("GET", "/account").status_code == 200


def test_devices_are_listed_and_a_revoked_device_is_locked_out_at_once(
    user: UserFactory, app_http: TestClient
) -> None:
    alice = user("alice", "pw")
    laptop = SyncApi(app_http)
    laptop.unlock("alice", "pw", "lost laptop")
    devices = alice.api.request("GET", "/devices").json()
    assert {d["label"] for d in devices} == {"test laptop", "lost laptop"}
    assert laptop.tokens is not None
    alice.api.request("DELETE", f"/devices/{laptop.tokens.device_id}")
    for call in (lambda: laptop.request("GET", "/account"), laptop.refresh):
        with pytest.raises(ApiError) as err:
            call()
        assert err.value.status == 401
    assert alice.api.request("GET", "/account").status_code == 200


def test_a_device_of_another_account_cannot_be_revoked(user: UserFactory) -> None:
    alice, bob = user(), user()
    assert bob.api.tokens is not None
    with pytest.raises(ApiError) as err:
        alice.api.request("DELETE", f"/devices/{bob.api.tokens.device_id}")
    assert err.value.status == 404
    assert bob.api.request("GET", "/account").status_code == 200


def test_logout_ends_the_session(user: UserFactory) -> None:
    alice = user()
    alice.api.request("POST", "/auth/logout")
    with pytest.raises(ApiError) as err:
        alice.api.request("GET", "/account")
    assert err.value.status == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nonsense", "Basic abc",
                                    "Bearer " + "x" * 500])
def test_requests_without_a_valid_token_get_401(app_http: TestClient, header: str) -> None:
    response = app_http.get("/v1/account", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_failed_logins_are_audited_without_the_user_name(user: UserFactory, db: Database,
                                                         app_http: TestClient) -> None:
    alice = user("alice-the-coordinator")
    with pytest.raises(ApiError):
        SyncApi(app_http).login("alice-the-coordinator", crypto.derive_keys(
            "wrong", alice.keys.kdf).login_key)
    with db.reading.begin() as s:
        rows = s.scalars(select(Audit).order_by(Audit.id)).all()
        assert s.scalar(select(func.count()).select_from(Audit)) == len(rows)
    assert [r.action for r in rows] == ["register", "login", "login_failed"]
    assert rows[-1].account_id == alice.account_id
    assert rows[-1].address
    assert all("alice" not in (r.detail + (r.address or "")) for r in rows)
