"""The key cache falls back to "not available", quickly, whenever the keyring cannot help."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend

from eolcare.store import keycache

KEY = bytes(range(32))


class FakeKeyring(KeyringBackend):
    """Base of the keyrings below: secure-looking, but never chosen by keyring's own discovery.

    keyring registers every subclass and would otherwise pick one as the process's
    default the first time ``get_keyring()`` runs, even in other test files.
    """

    priority = 5
    viable = False


class HangingKeyring(FakeKeyring):
    """A keyring that never answers, as a locked Secret Service can do."""

    released = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.released.wait(60)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.released.wait(60)

    def delete_password(self, service: str, username: str) -> None:
        self.released.wait(60)


class MemoryKeyring(FakeKeyring):
    """A keyring that keeps secrets in a dict, to see what is stored."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[service, username]


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's plain-text file keyring, which reports a positive priority."""

    __module__ = "keyrings.alt.file"


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    """Each test sets its own keyring; put the process's one back afterwards."""
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize(
    "backend", [fail.Keyring, null.Keyring, PlaintextKeyring], ids=["fail", "null", "plaintext"]
)
def test_an_insecure_backend_is_never_used(backend: type[KeyringBackend]) -> None:
    keyring.set_keyring(backend())
    assert keycache.secure_backend_available() is False
    assert keycache.store_key("profile-1", KEY) is False
    assert keycache.load_key("profile-1") is None
    keycache.forget_key("profile-1")


def test_a_hanging_keyring_is_given_up_within_the_timeout(caplog: pytest.LogCaptureFixture) -> None:
    keyring.set_keyring(HangingKeyring())
    started = time.monotonic()
    try:
        assert keycache.store_key("profile-1", KEY, timeout=0.2) is False
        assert keycache.load_key("profile-1", timeout=0.2) is None
        keycache.forget_key("profile-1", timeout=0.2)
    finally:
        HangingKeyring.released.set()
    assert time.monotonic() - started < 2
    assert "gave no answer" in caplog.text


def test_a_secure_backend_keeps_the_key_base64_under_the_profile_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    caplog.set_level(logging.DEBUG, logger="eolcare.store.keycache")
    assert keycache.secure_backend_available()
    assert keycache.store_key("profile-1", KEY)
    assert memory.secrets == {
        ("eolcare", "profile-1"): "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    }
    assert keycache.load_key("profile-1") == KEY
    keycache.forget_key("profile-1")
    keycache.forget_key("profile-1")  # forgetting twice is fine
    assert keycache.load_key("profile-1") is None
    assert "MemoryKeyring" in caplog.text
    assert "AAECAwQF" not in caplog.text


def test_a_chainer_uses_its_secure_member_only(monkeypatch: pytest.MonkeyPatch) -> None:
    memory = MemoryKeyring()
    monkeypatch.setattr(ChainerBackend, "backends", [null.Keyring(), memory, fail.Keyring()])
    keyring.set_keyring(ChainerBackend())
    assert keycache.store_key("profile-1", KEY)
    assert ("eolcare", "profile-1") in memory.secrets


def test_a_garbled_entry_is_ignored() -> None:
    memory = MemoryKeyring()
    memory.secrets["eolcare", "profile-1"] = "not base64!"
    keyring.set_keyring(memory)
    assert keycache.load_key("profile-1") is None
