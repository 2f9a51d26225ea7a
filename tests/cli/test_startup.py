"""What ``eolcare`` imports before it needs to: nothing heavy for --help or before the
passphrase prompt (speed is measured by bench/cli_startup.py, not here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "alembic", "sqlcipher3", "nacl", "httpx", "rich", "reportlab",
         "PySide6", "faker", "pydantic", "fastapi", "uvicorn", "psycopg", "phonenumbers",
         "keyring", "eolcare.store.database", "eolcare.sync", "eolcare.reports")

PROBE = """
import json, sys
from eolcare.cli.main import main
code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] if not m.startswith("eolcare") else m
                for m in sys.modules for h in json.loads(HEAVY)
                if m == h or m.startswith(h + ".")})
print(json.dumps({"code": code, "heavy": heavy}))
"""


def _imported(*args: str, home: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {json.dumps(json.dumps(HEAVY))}\n{PROBE}", *args],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False, timeout=120,
        env={**os.environ, "EOLCARE_HOME": str(home)})
    last = result.stdout.strip().splitlines()[-1]
    return json.loads(last)  # type: ignore[no-any-return]


def test_help_imports_nothing_heavy(eolcare_home: Path) -> None:
    assert _imported("--help", home=eolcare_home) == {"code": 0, "heavy": []}
    assert _imported("add", "--help", home=eolcare_home) == {"code": 0, "heavy": []}


@pytest.mark.parametrize("args", [("list",), ("show", "Siân"), ("reviews",),
                                  ("search", "Evans"), ("history", "Siân")])
def test_reading_commands_import_nothing_heavy_before_the_passphrase(
        profile: str, eolcare_home: Path, args: tuple[str, ...]) -> None:
    # no terminal and no passphrase file: the command stops where it would ask
    got = _imported(*args, "--no-keyring", home=eolcare_home)
    assert got == {"code": 2, "heavy": []}


def test_a_wrong_field_is_refused_before_the_passphrase(profile: str,
                                                        eolcare_home: Path) -> None:
    got = _imported("add", "person", "favourite_colour=blue", "--no-keyring",
                    home=eolcare_home)
    assert got == {"code": 2, "heavy": []}
