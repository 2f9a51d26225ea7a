"""Fixtures for command-line tests: passphrase files and a runner for ``main``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from eolcare.cli.main import main


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text("a long test passphrase\n", "utf-8")
    return path


CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], passphrase_file: Path) -> CliRun:
    """Run ``eolcare ARGS`` in-process with the test passphrase file; (code, out, err)."""

    def run(*args: str, passphrase: Path | None = passphrase_file) -> tuple[int, str, str]:
        argv = list(args)
        if passphrase is not None:
            argv += ["--passphrase-file", str(passphrase)]
        code = main(argv)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def profile(cli: CliRun) -> str:
    code, _, err = cli("init", "--profile", "alex", "--name", "Alex Coordinator",
                       "--fast-kdf-for-tests")
    assert code == 0, err
    return "alex"
