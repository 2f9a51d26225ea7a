"""Fixtures shared by the whole suite: profiles live in a temporary folder, the
OS keyring is the 'fail' backend unless a test asks for the real one, and a
fresh encrypted store is one fixture away."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from eolcare.store import vault
from eolcare.store.database import Store, create_profile, open_profile

PASSPHRASE = "a long test passphrase"


@pytest.fixture(autouse=True)
def eolcare_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "eolcare-home"
    monkeypatch.setenv("EOLCARE_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep tests away from the machine's keyring unless marked ``keyring``."""
    if request.node.get_closest_marker("keyring"):
        yield
        return
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def store() -> Iterator[Store]:
    """A new, empty, encrypted profile called 'test', open."""
    create_profile("test", "Test Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    opened = open_profile("test", lambda: PASSPHRASE, use_keyring=False)
    yield opened
    opened.close()
