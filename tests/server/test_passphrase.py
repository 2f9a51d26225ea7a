"""Changing the account's passphrase (POST /v1/account/passphrase), on both databases."""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eolcare.server.db import Database
from eolcare.server.models import Account, Audit
from eolcare.sync import crypto, protocol
from eolcare.sync.client_api import AccountKeys, ApiError, SyncApi, open_change, seal_op
from tests.server.conftest import FAST_KDF, ServerFactory, User, UserFactory, make_user_factory

ROUTE = "/v1/account/passphrase"


def _account(db: Database, account_id: str) -> tuple[Any, ...]:
    """Everything a passphrase change may touch, to show that nothing did."""
    with db.reading.begin() as s:
        row = s.get_one(Account, account_id)
        return (row.login_public_key, row.kdf_salt, row.kdf_opslimit, row.kdf_memlimit,
                row.wrapped_account_key, row.identity_public_key, row.wrapped_identity_key)


def _post(who: User, body: protocol.PassphraseChange | dict[str, Any]) -> httpx.Response:
    """The change as `who`'s device sends it; the status is the test's to check."""
    assert who.api.tokens is not None
    json = body.model_dump(mode="json") if isinstance(body, protocol.PassphraseChange) else body
    return who.api.http.post(ROUTE, json=json,
                             headers={"Authorization": f"Bearer {who.api.tokens.access_token}"})


def _login_failure(http: httpx.Client, username: str, keys: AccountKeys) -> ApiError:
    with pytest.raises(ApiError) as err:
        SyncApi(http).login(username, keys.login_key)
    return err.value


def _wrong_current(keys: AccountKeys) -> AccountKeys:
    """Someone holding the device's token but not the passphrase: a guessed login key."""
    return replace(keys, login_key=crypto.derive_keys("a guess", keys.kdf).login_key)


def test_new_keys_keep_the_account_key_and_identity_under_a_fresh_salt() -> None:
    keys = AccountKeys.create("alice", "old passphrase", crypto.KdfParams.new(*FAST_KDF))
    new = keys.with_passphrase("new passphrase")
    assert new.kdf.salt != keys.kdf.salt
    assert (new.kdf.opslimit, new.kdf.memlimit) == (keys.kdf.opslimit, keys.kdf.memlimit)
    assert (new.account_key, bytes(new.identity)) == (keys.account_key, bytes(keys.identity))
    derived = crypto.derive_keys("new passphrase", new.kdf)
    assert new.master_key == derived.master_key != keys.master_key
    assert new.login_public_key == bytes(derived.login_key.verify_key) != keys.login_public_key
    assert crypto.unwrap(new.master_key, new.wrapped_account_key(),
                         b"eolcare-account-key-v1") == keys.account_key
    with pytest.raises(ValueError, match="salt"):
        keys.with_passphrase("new passphrase", keys.kdf)
    stranger = AccountKeys.create("alice", "new passphrase", new.kdf)
    with pytest.raises(ValueError, match="account key"):
        keys.passphrase_change(stranger, "any challenge")


def test_after_a_change_only_the_new_passphrase_unlocks_the_same_keys(
    live_user: UserFactory, live_http: httpx.Client
) -> None:
    alice = live_user("alice", "old passphrase")
    team, team_key = alice.api.create_team("T", alice.keys.identity_public_key)
    alice.api.push(team.team_id, [seal_op(team.team_id, team_key, 1, b"sealed before")])
    new_keys = alice.keys.with_passphrase("new passphrase")

    alice.api.change_passphrase(alice.keys, new_keys)

    old_login = _login_failure(live_http, "alice", alice.keys)
    assert old_login.status == 401
    with pytest.raises(ApiError) as err:
        SyncApi(live_http).unlock("alice", "old passphrase")
    assert err.value.status == 401
    laptop = SyncApi(live_http)
    unlocked = laptop.unlock("alice", "new passphrase", "new laptop")
    assert unlocked.kdf == new_keys.kdf
    assert unlocked.account_key == alice.keys.account_key
    assert bytes(unlocked.identity) == bytes(alice.keys.identity)
    opened = laptop.team_keys(team.team_id, unlocked.identity)
    [change] = laptop.pull_all(team.team_id)
    assert open_change(team.team_id, opened[1], change) == b"sealed before"
    # the device that made the change stays signed in, and sees the new parameters
    info = alice.api.request("GET", "/account").json()
    assert base64.b64decode(info["kdf"]["salt"]) == new_keys.kdf.salt
    alice.api.refresh()
    assert alice.api.request("GET", "/account").status_code == 200


def test_a_wrong_current_passphrase_is_refused_as_a_login_and_changes_nothing(
    user: UserFactory, app_http: TestClient, db: Database
) -> None:
    alice = user("alice", "old passphrase")
    new_keys = alice.keys.with_passphrase("new passphrase")
    before = _account(db, alice.account_id)
    with pytest.raises(ApiError) as err:
        alice.api.change_passphrase(_wrong_current(alice.keys), new_keys)
    failed_login = _login_failure(app_http, "alice", _wrong_current(alice.keys))
    assert err.value.status == 403
    assert err.value.detail == failed_login.detail
    assert "alice" not in err.value.detail
    assert _account(db, alice.account_id) == before
    assert _login_failure(app_http, "alice", new_keys).status == 401
    SyncApi(app_http).login("alice", alice.keys.login_key)
    # the same change with the right key goes through: it was only the key that failed
    alice.api.change_passphrase(alice.keys, new_keys)
    assert _account(db, alice.account_id) != before


def test_a_replayed_or_other_challenge_is_refused(user: UserFactory, db: Database) -> None:
    alice = user("alice")
    new_keys = alice.keys.with_passphrase("new passphrase")
    before = _account(db, alice.account_id)
    for action in ("login", "register"):
        body = alice.keys.passphrase_change(new_keys, alice.api.challenge(action))
        assert _post(alice, body).status_code == 403, action
    parts = alice.api.challenge("rekey").split("|")
    parts[1] = "evil.example"  # a challenge whose host was altered
    assert _post(alice, alice.keys.passphrase_change(new_keys, "|".join(parts))).status_code == 403
    # a challenge is spent by a failed attempt: the corrected request cannot reuse it
    good = alice.keys.passphrase_change(new_keys, alice.api.challenge("rekey"))
    spoiled = good.model_copy(update={"new_key_signature": bytes(64)})
    assert _post(alice, spoiled).status_code == 403
    assert _post(alice, good).status_code == 403
    assert _account(db, alice.account_id) == before
    fresh = alice.keys.passphrase_change(new_keys, alice.api.challenge("rekey"))
    assert _post(alice, fresh).status_code == 204
    assert _account(db, alice.account_id)[0] == new_keys.login_public_key
    assert _post(alice, fresh).status_code == 403  # and a used one stays used


def test_without_the_accounts_own_token_the_change_is_refused(
    user: UserFactory, app_http: TestClient, db: Database
) -> None:
    alice, bob = user("alice"), user("bob")
    new_keys = alice.keys.with_passphrase("new passphrase")
    before = _account(db, alice.account_id)
    body = alice.keys.passphrase_change(new_keys, alice.api.challenge("rekey"))
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        response = app_http.post(ROUTE, json=body.model_dump(mode="json"), headers=headers)
        assert response.status_code == 401
        assert response.json()["detail"]
    # another account's token: checked against that account's key, so refused
    other = alice.keys.passphrase_change(new_keys, alice.api.challenge("rekey"))
    assert _post(bob, other).status_code == 403
    assert _account(db, alice.account_id) == before
    # the 401s did not spend the challenge; with alice's token the body is good
    assert _post(alice, body).status_code == 204


def test_the_new_key_must_sign_the_challenge(
    user: UserFactory, app_http: TestClient, db: Database
) -> None:
    alice = user("alice", "old passphrase")
    new_keys = alice.keys.with_passphrase("new passphrase")
    before = _account(db, alice.account_id)
    other_key = crypto.derive_keys("other", new_keys.kdf).login_key

    def signed_by(key: Any, text: str | None = None,
                  bare: bool = False) -> protocol.PassphraseChange:
        body = alice.keys.passphrase_change(new_keys, alice.api.challenge("rekey"))
        message = text if text is not None else body.challenge if bare else body.statement()
        signature = crypto.sign(key, message)
        return body.model_copy(update={"new_key_signature": signature})

    missing = alice.keys.passphrase_change(new_keys, alice.api.challenge("rekey")).model_dump(
        mode="json")
    del missing["new_key_signature"]
    assert _post(alice, missing).status_code == 422
    for body in (signed_by(other_key), signed_by(alice.keys.login_key),
                 signed_by(new_keys.login_key, "something else"),
                 signed_by(new_keys.login_key, bare=True)):  # not bound to the new keys
        assert _post(alice, body).status_code == 403
    assert _account(db, alice.account_id) == before
    SyncApi(app_http).login("alice", alice.keys.login_key)
    assert _login_failure(app_http, "alice", new_keys).status == 401
    assert _post(alice, signed_by(new_keys.login_key)).status_code == 204


def test_a_request_altered_after_signing_is_refused(
    user: UserFactory, app_http: TestClient, db: Database
) -> None:
    """Both signatures cover the new credentials: whoever sees the request cannot swap
    in a login key, KDF parameters or wrapped key of their own."""
    alice = user("alice", "old passphrase")
    new_keys = alice.keys.with_passphrase("new passphrase")
    before = _account(db, alice.account_id)
    mallory = alice.keys.with_passphrase("mallory's")

    def fresh() -> protocol.PassphraseChange:
        return alice.keys.passphrase_change(new_keys, alice.api.challenge("rekey"))

    body = fresh()
    swapped_key = body.model_copy(update={
        "login_public_key": mallory.login_public_key,
        "new_key_signature": crypto.sign(mallory.login_key, protocol.rekey_statement(
            body.challenge, mallory.login_public_key, body.kdf, body.wrapped_account_key))})
    costs = fresh()
    other_kdf = costs.model_copy(update={"kdf": costs.kdf.model_copy(update={
        "opslimit": costs.kdf.opslimit + 1})})
    rewrapped = fresh()
    other_wrapping = rewrapped.model_copy(update={
        "wrapped_account_key": mallory.wrapped_account_key()})
    for altered in (swapped_key, other_kdf, other_wrapping):
        assert _post(alice, altered).status_code == 403
    assert _account(db, alice.account_id) == before
    assert _post(alice, fresh()).status_code == 204  # the same change, unaltered, goes in
    SyncApi(app_http).login("alice", new_keys.login_key)


def test_changes_and_failures_are_audited_by_id_only(user: UserFactory, db: Database) -> None:
    alice = user("alice-the-coordinator")
    new_keys = alice.keys.with_passphrase("new passphrase")
    with pytest.raises(ApiError):
        alice.api.change_passphrase(_wrong_current(alice.keys), new_keys)
    alice.api.change_passphrase(alice.keys, new_keys)
    with db.reading.begin() as s:
        rows = s.scalars(select(Audit).order_by(Audit.id)).all()
    assert [r.action for r in rows] == ["register", "login", "passphrase_change_failed",
                                        "passphrase_changed"]
    assert alice.api.tokens is not None
    for row in rows[-2:]:
        assert (row.account_id, row.device_id) == (alice.account_id,
                                                   alice.api.tokens.device_id)
        assert row.address
        assert row.detail == ""
    assert all("alice" not in r.detail + (r.address or "") for r in rows)


def test_changes_are_rate_limited_with_logins_per_account_and_per_address(
    live_servers: ServerFactory,
) -> None:
    server = live_servers(login_per_account=3, login_per_address=6, rate_window=60)
    with server.client() as http:
        make = make_user_factory(http)
        alice, bob = make("alice"), make("bob")  # one login each: address at 2
        alice_new = alice.keys.with_passphrase("new passphrase")
        for _ in range(2):  # alice's account at 3, the address at 4
            with pytest.raises(ApiError) as err:
                alice.api.change_passphrase(_wrong_current(alice.keys), alice_new)
            assert err.value.status == 403
        with pytest.raises(ApiError) as err:  # even with the right key now
            alice.api.change_passphrase(alice.keys, alice_new)
        assert err.value.status == 429
        assert 0 < int(err.value.headers["Retry-After"]) <= 61
        # the count is shared with logins: alice cannot log in either (address at 6)
        with pytest.raises(ApiError) as err:
            SyncApi(http).login("alice", alice.keys.login_key)
        assert err.value.status == 429
        # bob's account is under its limit, the address is not
        with pytest.raises(ApiError) as err:
            bob.api.change_passphrase(bob.keys, bob.keys.with_passphrase("new passphrase"))
        assert err.value.status == 429
        for who in (alice, bob):
            info = who.api.request("GET", "/account").json()
            assert base64.b64decode(info["kdf"]["salt"]) == who.keys.kdf.salt
