"""Profiles: where they live, their names, the default one, file permissions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from eolcare.domain.errors import (
    ProfileExistsError,
    ProfileNotFoundError,
    ValidationError,
)
from eolcare.store import profiles, vault
from eolcare.store.database import Store, create_profile

PASS = "a long test passphrase"


def _create(name: str) -> profiles.Profile:
    return create_profile(name, "Test Coordinator", PASS, vault.KDF_FAST_FOR_TESTS)[0]


def test_profiles_live_under_eolcare_home(eolcare_home: Path) -> None:
    profile = _create("alex")
    assert profile.path == eolcare_home / "profiles" / "alex"
    assert [p.name for p in profiles.list_profiles()] == ["alex"]


def test_the_only_profile_is_the_default() -> None:
    with pytest.raises(ProfileNotFoundError, match="no profile on this computer yet") as none:
        profiles.find_profile(None)
    assert none.value.reason == "none"
    assert "eolcare" not in str(none.value)  # the core names no command: the CLI adds its own
    alex = _create("alex")
    assert profiles.find_profile(None) == alex
    _create("bea")
    with pytest.raises(ProfileNotFoundError, match=r"several profiles .*\(alex, bea\)"):
        profiles.find_profile(None)
    assert profiles.find_profile("bea").name == "bea"


@pytest.mark.parametrize("name", ["", "../escape", "a/b", "x" * 41, ".hidden"])
def test_unsafe_profile_names_are_refused(name: str, eolcare_home: Path) -> None:
    with pytest.raises(ValidationError, match="profile name"):
        _create(name)
    assert not (eolcare_home / "profiles").exists() or not any(
        (eolcare_home / "profiles").iterdir())


def test_a_profile_name_is_used_once() -> None:
    _create("alex")
    with pytest.raises(ProfileExistsError):
        _create("alex")


def test_a_failed_creation_leaves_no_profile_behind(eolcare_home: Path) -> None:
    with pytest.raises(ValidationError, match="passphrase"):
        create_profile("alex", "Test", "short", vault.KDF_FAST_FOR_TESTS)
    assert profiles.list_profiles() == []
    assert not (eolcare_home / "profiles" / "alex").exists()


def test_only_the_owner_may_read_the_profile_files() -> None:
    profile = _create("alex")
    with Store(profile, vault.unlock(profile.vault_path, PASS)):
        pass
    assert stat.S_IMODE(profile.path.stat().st_mode) == 0o700
    for path in (profile.db_path, profile.vault_path, profile.lock_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_device_ids_differ_between_profiles() -> None:
    assert _create("alex").device_id != _create("bea").device_id
