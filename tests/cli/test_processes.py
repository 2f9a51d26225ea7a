"""The installed ``eolcare`` program in real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from eolcare.store.database import open_profile

EOLCARE = str(Path(sys.executable).with_name("eolcare"))
PASS = "a long test passphrase"


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EOLCARE_HOME": str(home)}
    return subprocess.run([EOLCARE, *args], capture_output=True, text=True, env=env,
                          timeout=60, check=False, stdin=subprocess.DEVNULL)


def test_entry_point_is_installed(eolcare_home: Path) -> None:
    result = _run("--version", home=eolcare_home)
    assert result.returncode == 0
    assert result.stdout.startswith("eolcare ")


def test_second_program_on_one_profile_is_refused(
    eolcare_home: Path, passphrase_file: Path, profile: str
) -> None:
    with open_profile(profile, lambda: PASS, use_keyring=False):
        result = _run("list", "--no-keyring", "--passphrase-file", str(passphrase_file),
                      home=eolcare_home)
    assert result.returncode == 4
    assert "already open" in result.stderr
    after = _run("list", "--no-keyring", "--passphrase-file", str(passphrase_file),
                 home=eolcare_home)
    assert after.returncode == 0, after.stderr


def test_missing_passphrase_without_a_terminal(eolcare_home: Path, profile: str) -> None:
    result = _run("list", "--no-keyring", home=eolcare_home)
    assert result.returncode == 2
    assert "--passphrase-file" in result.stderr
    assert "Traceback" not in result.stderr
