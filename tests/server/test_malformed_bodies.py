"""Issue 12, finding 3: every malformed body gets a 4xx with a plain sentence naming the
field, never the value (NaN, Infinity and lone surrogates were 500s; 422s echoed the
input, refresh tokens among them). On every route of the OpenAPI document that takes a
body, signed in where the route needs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import UserFactory
from tests.server.openapi import ROUTES, Route

WITH_BODY = [r for r in ROUTES if r.body_fields]
SECRET = "SENTINEL-7f3a-do-not-echo"
#: Raw JSON values a client could send (Python's JSON reader takes NaN and Infinity).
VALUES = {"nan": "NaN", "infinity": "-Infinity", "lone-surrogate": '"\\ud800"',
          "secret-string": json.dumps(SECRET), "secret-in-list": json.dumps([SECRET])}


def _headers(route: Route, token: str) -> dict[str, str]:
    headers = {"content-type": "application/json"}
    if route.protected:
        headers["authorization"] = f"Bearer {token}"
    return headers


@pytest.fixture
def token(user: UserFactory) -> str:
    alice = user()
    assert alice.api.tokens is not None
    return alice.api.tokens.access_token


@pytest.mark.parametrize("value", list(VALUES), ids=list(VALUES))
@pytest.mark.parametrize("route", WITH_BODY, ids=str)
def test_a_malformed_value_in_every_field_is_a_422_naming_the_fields(
    app_http: TestClient, token: str, route: Route, value: str,
) -> None:
    body = "{" + ", ".join(f'"{f}": {VALUES[value]}' for f in route.body_fields) + "}"
    reply = app_http.request(route.method, route.url(), content=body.encode(),
                             headers=_headers(route, token))
    detail = reply.json()["detail"]
    assert isinstance(detail, str)
    if value.startswith("secret") and reply.status_code != 422:
        # a string is a well-formed refresh token: refused as one, not echoed
        assert (route.path, reply.status_code) == ("/v1/auth/refresh", 401)
    else:
        assert reply.status_code == 422, reply.text
        assert detail.startswith("the request is not valid: ")
        assert any(f"{field}{c}" in detail for field in route.body_fields for c in ":[."), detail
    for echo in (SECRET, "NaN", "Infinity", "\ud800", "\\ud800", "inf"):
        assert echo not in detail, detail


@pytest.mark.parametrize("route", WITH_BODY, ids=str)
@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2", b'{"a": 1}{', b"\xff\xfe"],
                         ids=["broken", "empty", "unclosed", "trailing", "not-utf8"])
def test_a_body_that_is_not_json_is_a_422_saying_so(
    app_http: TestClient, token: str, route: Route, raw: bytes,
) -> None:
    reply = app_http.request(route.method, route.url(), content=raw,
                             headers=_headers(route, token))
    assert reply.status_code == 422, reply.text
    detail = reply.json()["detail"]
    assert detail.startswith("the request is not valid: the request body"), detail


def test_a_refresh_token_is_never_echoed(app_http: TestClient) -> None:
    token = "r" * 100 + "\u00e9"  # not printable ASCII: refused by the pattern
    reply = app_http.post("/v1/auth/refresh", json={"refresh_token": token})
    assert reply.status_code == 422
    assert reply.json() == {"detail": "the request is not valid: refresh_token: has "
                                      "characters or a form that is not allowed here"}


def test_nested_fields_are_named_by_their_path(app_http: TestClient, token: str) -> None:
    reply = app_http.post(
        "/v1/teams/00000000-0000-4000-8000-000000000000/changes",
        content=b'{"ops": [{"op_id": NaN}]}',
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
    assert reply.status_code == 422
    detail = reply.json()["detail"]
    assert "ops[0].op_id: must be a string" in detail
    assert "ops[0].blob: is missing" in detail
