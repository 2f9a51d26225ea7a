"""Unlock in two steps, as a window drives it from a worker thread.

Step one asks the OS keyring (quickly, or not at all); step two unlocks with a
passphrase or the recovery key. Each is a plain function that returns or
raises; ``Store(profile, key)`` then opens the database.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import keyring
import pytest

from eolcare.domain.errors import CorruptDatabaseError, WrongPassphraseError
from eolcare.store import vault
from eolcare.store.database import (
    Store,
    create_profile,
    forget_cached_key,
    key_from_keyring,
    open_profile,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from eolcare.store.profiles import Profile
from eolcare.store.vault import VaultMismatchError
from tests.conftest import PASSPHRASE
from tests.store.test_keycache import FakeKeyring, MemoryKeyring


class _HangingKeyring(FakeKeyring):
    """Never answers until released, as a locked Secret Service can do."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.released.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.released.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.released.wait(30)


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _new(name: str = "alex") -> tuple[Profile, str]:
    return create_profile(name, "Test Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)


def test_no_secure_keyring_means_no_cached_key_and_no_wait() -> None:
    profile, _ = _new()
    started = time.monotonic()
    assert key_from_keyring(profile) is None  # the suite's default: the "fail" backend
    assert time.monotonic() - started < 1


def test_a_hanging_keyring_is_given_up_within_the_timeout() -> None:
    profile, _ = _new()
    hanging = _HangingKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(hanging)
    started = time.monotonic()
    try:
        assert key_from_keyring(profile, timeout=0.3) is None
    finally:
        hanging.released.set()
        keyring.set_keyring(previous)
    assert time.monotonic() - started < 2


def test_passphrase_unlock_caches_the_key_and_the_next_unlock_needs_no_passphrase(
        memory: MemoryKeyring) -> None:
    profile, _ = _new()
    assert key_from_keyring(profile) is None
    key = unlock_with_passphrase(profile, PASSPHRASE)
    assert ("eolcare", profile.id) in memory.secrets
    assert key_from_keyring(profile) == key
    with Store(profile, key) as store, store.reading():
        pass
    forget_cached_key(profile)
    assert key_from_keyring(profile) is None


def test_no_caching_when_asked_not_to(memory: MemoryKeyring) -> None:
    profile, _ = _new()
    unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)
    assert memory.secrets == {}


def test_a_wrong_passphrase_raises_and_caches_nothing(memory: MemoryKeyring) -> None:
    profile, _ = _new()
    with pytest.raises(WrongPassphraseError, match="passphrase is not right"):
        unlock_with_passphrase(profile, "not the passphrase at all")
    assert memory.secrets == {}


def test_the_recovery_key_unlocks_and_is_not_cached(memory: MemoryKeyring) -> None:
    profile, recovery = _new()
    key = unlock_with_recovery_key(profile, recovery.lower().replace("-", " "))
    assert key == unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)
    assert memory.secrets == {}
    with pytest.raises(WrongPassphraseError, match="recovery key"):
        unlock_with_recovery_key(profile, "0" * 32)


def test_a_stale_cached_key_is_forgotten_not_used(memory: MemoryKeyring) -> None:
    profile, _ = _new()
    memory.secrets["eolcare", profile.id] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    assert key_from_keyring(profile) is None
    assert memory.secrets == {}


def test_open_profile_forgets_a_stale_key_from_an_old_key_file(memory: MemoryKeyring) -> None:
    """A key file written before the key check cannot tell; the database open then does."""
    profile, _ = _new()
    document = json.loads(profile.vault_path.read_text())
    del document["key_check"]
    profile.vault_path.write_text(json.dumps(document))
    memory.secrets["eolcare", profile.id] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    with pytest.raises(CorruptDatabaseError):
        open_profile(profile.name, lambda: PASSPHRASE)
    assert memory.secrets == {}
    open_profile(profile.name, lambda: PASSPHRASE).close()
    assert ("eolcare", profile.id) in memory.secrets


def test_another_profiles_key_file_is_named_as_such() -> None:
    alex, _ = _new("alex")
    bea, bea_recovery = _new("bea")
    shutil.copy(bea.vault_path, alex.vault_path)
    with pytest.raises(VaultMismatchError, match="belongs to another profile"):
        unlock_with_passphrase(alex, PASSPHRASE, use_keyring=False)
    with pytest.raises(VaultMismatchError):
        unlock_with_recovery_key(alex, bea_recovery)


def test_both_steps_run_on_a_worker_thread(memory: MemoryKeyring) -> None:
    profile, _ = _new()
    with ThreadPoolExecutor(1) as worker:
        assert worker.submit(key_from_keyring, profile).result(5) is None
        key = worker.submit(unlock_with_passphrase, profile, PASSPHRASE).result(30)
        assert worker.submit(key_from_keyring, profile).result(5) == key
    with Store(profile, key) as store, store.reading():
        pass
