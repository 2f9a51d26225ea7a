"""Issue 7, item 9: authenticate before reading. On every protected route of the OpenAPI
document, a request with no token or a made-up one is a 401 before its body is read or
validated (a made-up token with an invalid push body was a 422), on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from eolcare.server import gate
from eolcare.sync import crypto
from eolcare.sync.client_api import seal_op
from tests.server.conftest import UserFactory
from tests.server.openapi import ROUTES, Route

PROTECTED = [r for r in ROUTES if r.protected]
NOT_SIGNED_IN = {"detail": "not signed in, or the session ended; sign in again"}
BAD_BODY = b'{"ops": [{"op_id": NaN}], "junk": "\\ud800"'  # broken JSON as well
TOKENS = {"missing": None, "made-up": crypto.random_token(), "not-bearer": "Basic abc",
          "too-long": "x" * 200}


def _headers(token: str | None) -> dict[str, str]:
    headers = {"content-type": "application/json"}
    if token == "Basic abc":
        headers["authorization"] = token
    elif token is not None:
        headers["authorization"] = f"Bearer {token}"
    return headers


def test_the_gate_and_the_document_agree_on_what_is_public() -> None:
    public = {r.path for r in ROUTES if not r.protected}
    assert public == {"/health", *gate.PUBLIC}
    assert all(gate.is_protected(r.path) for r in PROTECTED)


@pytest.mark.parametrize("token", list(TOKENS), ids=list(TOKENS))
@pytest.mark.parametrize("route", PROTECTED, ids=str)
def test_no_valid_token_is_a_401_whatever_the_body(
    app_http: TestClient, route: Route, token: str,
) -> None:
    reply = app_http.request(route.method, route.url() + "?after=-1&limit=NaN&username=%00",
                             content=BAD_BODY, headers=_headers(TOKENS[token]))
    assert reply.status_code == 401, reply.text
    assert reply.json() == NOT_SIGNED_IN
    assert reply.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("route", PROTECTED, ids=str)
def test_the_body_is_not_read_before_the_token_is_checked(
    app_http: TestClient, route: Route,
) -> None:
    """A body over the 1 MiB limit would be a 413 once read; unauthenticated, it is a 401
    and the connection is closed rather than read on."""
    big = b"x" * (2 * 1024 * 1024)
    reply = app_http.request(route.method, route.url(), content=big,
                             headers=_headers(TOKENS["made-up"]))
    assert reply.status_code == 401
    assert reply.headers["connection"] == "close"


def test_a_revoked_token_the_gate_remembers_is_still_a_401_on_push_and_pull(
    app_http: TestClient, user: UserFactory,
) -> None:
    """Push and pull let a token seen valid in the last 30 s through the gate without a
    query; revoked since, it still gets a 401, with a bad body or query too."""
    alice = user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    url = f"/v1/teams/{made.team_id}/changes"
    alice.api.push(made.team_id, [seal_op(made.team_id, key, 1, b"x")])  # remembered now
    assert alice.api.tokens is not None
    headers = _headers(alice.api.tokens.access_token)
    alice.api.request("POST", "/auth/logout")
    assert app_http.post(url, content=BAD_BODY, headers=headers).status_code == 401
    assert app_http.get(url + "?limit=NaN", headers=headers).status_code == 401
    good = {"ops": [seal_op(made.team_id, key, 1, b"y").model_dump(mode="json")]}
    assert app_http.post(url, json=good, headers=headers).status_code == 401
    assert app_http.get(url, headers=headers).status_code == 401


def test_a_signed_in_caller_still_gets_the_422(app_http: TestClient,
                                               user: UserFactory) -> None:
    alice = user()
    made, _ = alice.api.create_team("T", alice.keys.identity_public_key)
    assert alice.api.tokens is not None
    reply = app_http.post(f"/v1/teams/{made.team_id}/changes", content=b'{"ops": [{}]}',
                          headers=_headers(alice.api.tokens.access_token))
    assert reply.status_code == 422
    assert "ops[0].op_id: is missing" in reply.json()["detail"]
