"""Issue 12, finding 4: request headers are capped, in count and in size, while uvicorn
parses them (a 32 MB header grew the server by 60 MB) and in the app. Through a real
server process on every route of the OpenAPI document, on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from eolcare.server.limits import HEADERS_TOO_LARGE, MAX_HEADER_BYTES, MAX_HEADERS
from tests.server.conftest import LiveServer
from tests.server.openapi import ROUTES, Route

TOO_LONG = {"x-padding": "a" * (MAX_HEADER_BYTES + 1)}
TOO_MANY = {f"x-h{i}": "1" for i in range(MAX_HEADERS + 1)}
CASES = {"one-long-header": TOO_LONG, "many-headers": TOO_MANY}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_every_route_refuses_oversized_headers_with_a_431(
    live_http: httpx.Client, case: str,
) -> None:
    for route in ROUTES:
        reply = live_http.request(route.method, route.url(), headers=CASES[case])
        assert reply.status_code == 431, f"{route}: {reply.status_code}"
        assert reply.json() == {"detail": HEADERS_TOO_LARGE}
    assert live_http.get("/health").status_code == 200  # a new connection serves on


def test_headers_up_to_the_limit_are_served(live_http: httpx.Client) -> None:
    headers = {f"x-h{i}": "1" for i in range(MAX_HEADERS - 10)}
    headers["x-padding"] = "a" * (MAX_HEADER_BYTES - 2000)
    assert live_http.get("/health", headers=headers).status_code == 200


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_32_mb_header_is_cut_off_early_and_costs_no_memory(
    live_server: LiveServer,
) -> None:
    host, port = live_server.url.removeprefix("http://").split(":")
    before = _rss_kib(live_server.process.pid)
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ")
        chunk = b"a" * 65536
        try:
            while sent < 32 * 1024 * 1024:
                conn.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection: what we want
        conn.settimeout(10)
        reply = b""
        try:
            while data := conn.recv(65536):
                reply += data
        except ConnectionResetError:
            pass
    assert reply.startswith(b"HTTP/1.1 431 "), reply[:100]
    assert sent < 8 * 1024 * 1024  # cut off long before the end
    time.sleep(0.2)
    assert _rss_kib(live_server.process.pid) - before < 8 * 1024


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "GET"][:6], ids=str)
def test_the_app_itself_refuses_them_too(app_http: TestClient, route: Route) -> None:
    """The app's own check, for any server it runs in (the tests' in-process one here)."""
    assert app_http.get(route.url(), headers=TOO_MANY).status_code == 431
    assert app_http.get(route.url(), headers=TOO_LONG).status_code == 431
