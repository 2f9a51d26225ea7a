"""Schemathesis fuzzes every operation of the OpenAPI document against a real server:
whatever it sends, the server answers without a server error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.server.conftest import LiveServer, UserFactory


@pytest.mark.slow
def test_no_server_errors_on_generated_requests(
    live_server: LiveServer, live_user: UserFactory, tmp_path: Path
) -> None:
    alice = live_user()
    alice.api.create_team("T", alice.keys.identity_public_key)
    assert alice.api.tokens is not None
    st = Path(sys.executable).with_name("st")
    result = subprocess.run(
        [str(st), "run", f"{live_server.url}/openapi.json",
         "--checks", "not_a_server_error",
         "--header", f"Authorization: Bearer {alice.api.tokens.access_token}",
         "--max-examples", "15", "--phases", "examples,coverage,fuzzing",
         "--workers", "1", "--seed", "1", "--exclude-path", "/v1/auth/logout",
         "--exclude-path-regex", "^/v1/devices/"],
        capture_output=True, text=True, timeout=240, cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in result.stdout
