"""The key cache against a real OS keyring (the Secret Service that tools/test starts)."""

from __future__ import annotations

import os
import secrets

import keyring
import pytest

from eolcare.store import keycache, vault
from eolcare.store.database import (
    Store,
    create_profile,
    key_from_keyring,
    open_profile,
    unlock_with_passphrase,
)

pytestmark = pytest.mark.keyring

TIMEOUT = 10.0  # generous: the first D-Bus call may start the keyring daemon


def require_secure_keyring() -> None:
    """Fail when tools/test promised a keyring (EOLCARE_TEST_KEYRING=1); skip otherwise."""
    if keycache.secure_backend_available(TIMEOUT):
        return
    if os.environ.get("EOLCARE_TEST_KEYRING") == "1":
        pytest.fail(
            "EOLCARE_TEST_KEYRING=1 but no secure keyring answered: is the test running inside"
            " tools/test's dbus-run-session with an unlocked gnome-keyring-daemon?"
        )
    pytest.skip("no secure OS keyring here; tools/test starts one (EOLCARE_TEST_KEYRING=1)")


def test_the_real_keyring_stores_loads_and_forgets_a_key() -> None:
    require_secure_keyring()
    # the OS keyring itself, not a test double left behind by another test
    assert type(keyring.get_keyring()).__module__.startswith("keyring.backends.")
    profile_id = f"test-{secrets.token_hex(8)}"
    key = secrets.token_bytes(32)
    try:
        assert keycache.store_key(profile_id, key, TIMEOUT)
        assert keycache.load_key(profile_id, TIMEOUT) == key
    finally:
        keycache.forget_key(profile_id, TIMEOUT)
    assert keycache.load_key(profile_id, TIMEOUT) is None


def test_an_unlocked_profile_opens_from_the_keyring_without_the_passphrase() -> None:
    """The whole path: a passphrase unlock fills the keyring; the next open needs none."""
    require_secure_keyring()
    profile, _ = create_profile("keyring", "Test", "a long test passphrase",
                                vault.KDF_FAST_FOR_TESTS)
    try:
        open_profile("keyring", lambda: "a long test passphrase").close()

        def no_passphrase() -> str:
            raise AssertionError("the passphrase was asked for although the keyring has the key")

        open_profile("keyring", no_passphrase).close()
    finally:
        keycache.forget_key(profile.id, TIMEOUT)
    with pytest.raises(AssertionError, match="asked for"):
        open_profile("keyring", no_passphrase)


def test_two_step_unlock_with_the_real_keyring() -> None:
    """The window's path: keyring first, then the passphrase, then the keyring again."""
    require_secure_keyring()
    profile, _ = create_profile("two-step", "Test", "a long test passphrase",
                                vault.KDF_FAST_FOR_TESTS)
    try:
        assert key_from_keyring(profile, TIMEOUT) is None
        key = unlock_with_passphrase(profile, "a long test passphrase")
        assert key_from_keyring(profile, TIMEOUT) == key
        Store(profile, key).close()
    finally:
        keycache.forget_key(profile.id, TIMEOUT)
    assert key_from_keyring(profile, TIMEOUT) is None
