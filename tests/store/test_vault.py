"""The key file: the database key wrapped by the passphrase and by the recovery key."""

from __future__ import annotations

import base64
import errno
import json
import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eolcare.domain import errors
from eolcare.store import vault
from eolcare.store.vault import KDF_DEFAULT, KDF_FAST_FOR_TESTS, NewVault, VaultKdf

PASSPHRASE = "correct horse battery"
FAST = KDF_FAST_FOR_TESTS


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "vault.json"


@pytest.fixture
def made(path: Path) -> NewVault:
    return vault.create_vault(path, PASSPHRASE, FAST)


def document(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


# --- create and unlock ---------------------------------------------------------------


def test_a_new_vault_unlocks_with_its_passphrase(path: Path, made: NewVault) -> None:
    assert len(made.key) == 32
    assert vault.unlock(path, PASSPHRASE) == made.key


def test_each_vault_has_its_own_key_and_recovery_key(tmp_path: Path) -> None:
    first = vault.create_vault(tmp_path / "a.json", PASSPHRASE, FAST)
    second = vault.create_vault(tmp_path / "b.json", PASSPHRASE, FAST)
    assert first.key != second.key
    assert first.recovery_key != second.recovery_key


def test_the_recovery_key_is_32_crockford_characters_in_groups_of_four(made: NewVault) -> None:
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}", made.recovery_key)


def test_the_file_records_format_kdf_and_times(path: Path, made: NewVault) -> None:
    saved = document(path)
    assert saved["format"] == "eolcare-vault"
    assert saved["version"] == 1
    assert saved["created"] == saved["changed"]
    wrap = saved["passphrase"]
    assert (wrap["kdf"], wrap["opslimit"], wrap["memlimit"]) == (
        "argon2id",
        FAST.opslimit,
        FAST.memlimit,
    )
    assert set(wrap) == {"kdf", "opslimit", "memlimit", "salt", "check", "nonce", "wrapped_key"}
    assert set(saved["recovery"]) == {"kdf", "salt", "check", "nonce", "wrapped_key"}


def test_create_refuses_to_replace_an_existing_key_file(path: Path, made: NewVault) -> None:
    before = path.read_bytes()
    with pytest.raises(errors.ProfileExistsError):
        vault.create_vault(path, PASSPHRASE, FAST)
    assert path.read_bytes() == before
    assert vault.unlock(path, PASSPHRASE) == made.key


@pytest.mark.parametrize("short", ["", "seven!!", "e\u0301e\u0301e\u0301e\u0301"])
def test_create_refuses_a_passphrase_under_eight_characters(path: Path, short: str) -> None:
    with pytest.raises(errors.ValidationError) as raised:
        vault.create_vault(path, short, FAST)
    assert [p.field for p in raised.value.problems] == ["passphrase"]
    assert not path.exists()


def test_the_default_kdf_works_and_is_interactive(path: Path) -> None:
    made = vault.create_vault(path, PASSPHRASE)
    started = time.perf_counter()
    assert vault.unlock(path, PASSPHRASE) == made.key
    assert time.perf_counter() - started < 5
    assert document(path)["passphrase"]["memlimit"] == KDF_DEFAULT.memlimit


# --- wrong passphrase and recovery key -------------------------------------------------


def test_a_wrong_passphrase_is_refused_and_changes_nothing(path: Path, made: NewVault) -> None:
    before = path.read_bytes()
    with pytest.raises(errors.WrongPassphraseError, match="passphrase"):
        vault.unlock(path, "correct horse battery!")
    assert path.read_bytes() == before


def test_a_passphrase_typed_in_another_unicode_form_unlocks(tmp_path: Path) -> None:
    typed_on_mac = unicodedata.normalize("NFD", "Crème brûlée für Zoë")
    typed_on_windows = unicodedata.normalize("NFC", typed_on_mac)
    assert typed_on_mac != typed_on_windows
    made = vault.create_vault(tmp_path / "v.json", typed_on_mac, FAST)
    assert vault.unlock(tmp_path / "v.json", typed_on_windows) == made.key


def test_the_recovery_key_unlocks(path: Path, made: NewVault) -> None:
    assert vault.unlock_with_recovery_key(path, made.recovery_key) == made.key


def test_the_recovery_key_may_be_typed_loosely(path: Path, made: NewVault) -> None:
    compact = made.recovery_key.replace("-", "")
    loose = " ".join(compact[i : i + 4] for i in range(0, 32, 4)).lower()
    misread = compact.replace("0", "O").replace("1", "l")
    assert vault.unlock_with_recovery_key(path, f"  {loose}\n") == made.key
    assert vault.unlock_with_recovery_key(path, misread) == made.key


@pytest.mark.parametrize(
    "wrong", ["0000-0000-0000-0000-0000-0000-0000-0000", "K7QF-2M9X", "U" * 32]
)
def test_a_wrong_recovery_key_is_refused(path: Path, made: NewVault, wrong: str) -> None:
    with pytest.raises(errors.WrongPassphraseError, match="recovery key"):
        vault.unlock_with_recovery_key(path, wrong)


# --- changing and resetting the passphrase ---------------------------------------------


def test_change_passphrase_keeps_the_key_and_retires_the_old_one(
    path: Path, made: NewVault
) -> None:
    recovery_before = document(path)["recovery"]
    vault.change_passphrase(path, PASSPHRASE, "a new passphrase")
    assert vault.unlock(path, "a new passphrase") == made.key
    with pytest.raises(errors.WrongPassphraseError):
        vault.unlock(path, PASSPHRASE)
    assert document(path)["recovery"] == recovery_before
    assert vault.unlock_with_recovery_key(path, made.recovery_key) == made.key


def test_change_passphrase_keeps_the_kdf_unless_given_one(path: Path, made: NewVault) -> None:
    vault.change_passphrase(path, PASSPHRASE, "second passphrase")
    assert document(path)["passphrase"]["opslimit"] == FAST.opslimit
    stronger = VaultKdf(opslimit=2, memlimit=FAST.memlimit * 2)
    vault.change_passphrase(path, "second passphrase", "third passphrase", stronger)
    saved = document(path)["passphrase"]
    assert (saved["opslimit"], saved["memlimit"]) == (2, FAST.memlimit * 2)
    assert vault.unlock(path, "third passphrase") == made.key


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("not the passphrase", "a new passphrase", errors.WrongPassphraseError),
        (PASSPHRASE, "short", errors.ValidationError),
    ],
)
def test_a_refused_change_leaves_the_file_byte_for_byte(
    path: Path, made: NewVault, old: str, new: str, error: type[Exception]
) -> None:
    before = path.read_bytes()
    with pytest.raises(error):
        vault.change_passphrase(path, old, new)
    assert path.read_bytes() == before


def test_reset_with_the_recovery_key_sets_a_new_passphrase(path: Path, made: NewVault) -> None:
    vault.reset_passphrase(path, made.recovery_key, "remembered this time")
    assert vault.unlock(path, "remembered this time") == made.key
    with pytest.raises(errors.WrongPassphraseError):
        vault.unlock(path, PASSPHRASE)
    assert vault.unlock_with_recovery_key(path, made.recovery_key) == made.key


def test_reset_with_a_wrong_recovery_key_changes_nothing(path: Path, made: NewVault) -> None:
    before = path.read_bytes()
    with pytest.raises(errors.WrongPassphraseError, match="recovery key"):
        vault.reset_passphrase(path, "0" * 32, "remembered this time")
    assert path.read_bytes() == before


# --- damaged, unknown and missing files -----------------------------------------------


def flip_wrapped_key(saved: dict[str, Any]) -> dict[str, Any]:
    wrap = saved["passphrase"]
    raw = bytearray(base64.b64decode(wrap["wrapped_key"]))
    raw[0] ^= 1
    return {**saved, "passphrase": {**wrap, "wrapped_key": base64.b64encode(raw).decode()}}


def set_memlimit(saved: dict[str, Any], memlimit: int) -> dict[str, Any]:
    wrap = saved["passphrase"]
    return {**saved, "passphrase": {**wrap, "memlimit": memlimit}}


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"\xff\xfe" + raw, id="not-utf8"),
        pytest.param(lambda raw: b"[1, 2, 3]", id="not-an-object"),
        pytest.param(lambda raw: raw.replace(b'"nonce": "', b'"nonce": "!'), id="bad-base64"),
        pytest.param(lambda raw: raw.replace(b"eolcare-vault", b"something-else"), id="format"),
        pytest.param(lambda raw: raw.replace(b'"version": 1', b'"version": 2'), id="version"),
        pytest.param(lambda raw: raw.replace(b'"argon2id"', b'"scrypt"'), id="kdf-name"),
    ],
)
def test_a_damaged_or_unknown_file_is_reported_as_such(
    path: Path, made: NewVault, damage: Callable[[bytes], bytes]
) -> None:
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(errors.VaultCorruptError):
        vault.unlock(path, PASSPHRASE)
    with pytest.raises(errors.VaultCorruptError):
        vault.unlock_with_recovery_key(path, made.recovery_key)


def test_a_newer_version_says_to_update(path: Path, made: NewVault) -> None:
    path.write_text(json.dumps({**document(path), "version": 2}))
    with pytest.raises(errors.VaultCorruptError, match="newest eolcare"):
        vault.unlock(path, PASSPHRASE)


def test_a_damaged_wrapped_key_is_not_taken_for_a_wrong_passphrase(
    path: Path, made: NewVault
) -> None:
    path.write_text(json.dumps(flip_wrapped_key(document(path))))
    with pytest.raises(errors.VaultCorruptError, match="passphrase is right"):
        vault.unlock(path, PASSPHRASE)
    assert vault.unlock_with_recovery_key(path, made.recovery_key) == made.key


def test_an_absurd_memory_cost_is_refused_without_trying_it(path: Path, made: NewVault) -> None:
    path.write_text(json.dumps(set_memlimit(document(path), 2**50)))
    with pytest.raises(errors.VaultCorruptError):
        vault.unlock(path, PASSPHRASE)


def test_a_missing_file_says_so_plainly(path: Path) -> None:
    with pytest.raises(errors.VaultMissingError, match="missing") as raised:
        vault.unlock(path, PASSPHRASE)
    assert isinstance(raised.value, errors.StoreError)
    assert str(path) not in str(raised.value)


# --- how the file is written -----------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_file_is_readable_by_its_owner_only(path: Path, made: NewVault) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    vault.change_passphrase(path, PASSPHRASE, "a new passphrase")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_holds_no_key_or_passphrase_in_the_clear(path: Path, made: NewVault) -> None:
    raw = path.read_bytes()
    compact_recovery = made.recovery_key.replace("-", "")
    for secret in (
        made.key,
        made.key.hex().encode(),
        base64.b64encode(made.key),
        PASSPHRASE.encode(),
        made.recovery_key.encode(),
        compact_recovery.encode(),
    ):
        assert secret not in raw


# Tests run as root, where a chmod-ed read-only folder still accepts writes, and
# no read-only or full filesystem is at hand; so the OS call itself is made to
# fail, as it would on a full disk or a read-only mount.
@pytest.mark.parametrize(
    ("failing", "code"),
    [
        pytest.param("fsync", errno.ENOSPC, id="disk-full"),
        pytest.param("replace", errno.EROFS, id="read-only"),
        pytest.param("open", errno.EACCES, id="not-writable"),
    ],
)
def test_a_failed_write_leaves_the_old_file_and_no_debris(
    path: Path, made: NewVault, monkeypatch: pytest.MonkeyPatch, failing: str, code: int
) -> None:
    before = path.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(errors.DiskError, match="earlier one is unchanged"):
        vault.change_passphrase(path, PASSPHRASE, "a new passphrase")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert vault.unlock(path, PASSPHRASE) == made.key


def test_a_failed_first_write_leaves_no_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(errors.DiskError, match="disk is full"):
        vault.create_vault(path, PASSPHRASE, FAST)
    monkeypatch.undo()
    assert list(path.parent.iterdir()) == []


# --- the profile's own key file ----------------------------------------------------------


def test_a_key_file_names_its_profile_and_refuses_to_unlock_another(path: Path) -> None:
    made = vault.create_vault(path, PASSPHRASE, FAST, profile_id="profile-a")
    assert document(path)["profile"] == "profile-a"
    assert vault.unlock(path, PASSPHRASE, profile_id="profile-a") == made.key
    with pytest.raises(vault.VaultMismatchError, match="another profile"):
        vault.unlock(path, PASSPHRASE, profile_id="profile-b")
    before = path.read_bytes()
    with pytest.raises(vault.VaultMismatchError):
        vault.change_passphrase(path, PASSPHRASE, "a brand new passphrase", profile_id="profile-b")
    assert path.read_bytes() == before


def test_the_key_check_tells_the_right_key_from_a_stale_one(path: Path, made: NewVault) -> None:
    assert vault.key_matches(path, made.key) is True
    assert vault.key_matches(path, bytes(32)) is False
    raw = document(path)
    del raw["key_check"]
    path.write_text(json.dumps(raw))
    assert vault.key_matches(path, bytes(32)) is None  # an older key file cannot tell
    assert vault.unlock(path, PASSPHRASE) == made.key


def test_a_new_recovery_key_replaces_the_old_one(path: Path, made: NewVault) -> None:
    fresh = vault.new_recovery_key(path, PASSPHRASE).recovery_key
    assert fresh != made.recovery_key
    assert vault.unlock_with_recovery_key(path, fresh) == made.key
    with pytest.raises(errors.WrongPassphraseError):
        vault.unlock_with_recovery_key(path, made.recovery_key)
    assert vault.unlock(path, PASSPHRASE) == made.key


def test_stray_temporary_key_files_are_removed(path: Path, made: NewVault) -> None:
    stray = path.with_name(".vault.json.0badc0de.tmp")
    stray.write_bytes(b"half a key file")
    assert vault.remove_stray_temps(path.parent) == 1
    assert not stray.exists()
    assert vault.unlock(path, PASSPHRASE) == made.key
