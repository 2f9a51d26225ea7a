"""Creating, finishing and removing profiles: the steps a window drives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eolcare.domain.errors import (
    CorruptDatabaseError,
    ProfileExistsError,
    ProfileInUseError,
    ProfileNotFoundError,
    ValidationError,
    WrongPassphraseError,
)
from eolcare.store import lifecycle, profiles, vault
from eolcare.store.database import (
    Store,
    open_profile,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from eolcare.store.profiles import ProfileUnfinishedError
from tests.conftest import PASSPHRASE

FAST = vault.KDF_FAST_FOR_TESTS


def _begin(name: str = "alex") -> lifecycle.NewProfile:
    return lifecycle.begin_profile(name, "Alex", PASSPHRASE, FAST)


def test_a_profile_is_created_only_once_its_recovery_key_was_shown() -> None:
    new = _begin()
    try:
        assert new.profile.state == profiles.NEW
        [listed] = lifecycle.list_profiles()
        assert not listed.finished
        with pytest.raises(ProfileUnfinishedError, match="before its recovery key was shown"):
            profiles.find_profile("alex")
        assert lifecycle.confirm_recovery_key_shown(new.store).finished
    finally:
        new.store.close()
    assert profiles.find_profile("alex").finished
    assert unlock_with_recovery_key(profiles.find_profile("alex"), new.recovery_key)


def test_the_new_profile_stays_locked_from_creation_to_close() -> None:
    new = _begin()
    with pytest.raises(ProfileInUseError):
        profiles.hold_lock(new.profile)
    with pytest.raises(ProfileInUseError):
        lifecycle.remove_profile(new.profile)
    lifecycle.confirm_recovery_key_shown(new.store)
    with pytest.raises(ProfileInUseError):
        open_profile("alex", lambda: PASSPHRASE, use_keyring=False)
    new.store.close()
    open_profile("alex", lambda: PASSPHRASE, use_keyring=False).close()


def test_a_failed_creation_leaves_nothing(eolcare_home: Path) -> None:
    with pytest.raises(ValidationError, match="passphrase"):
        lifecycle.begin_profile("alex", "Alex", "short", FAST)
    with pytest.raises(ValidationError, match="your name"):
        lifecycle.begin_profile("alex", "  ", PASSPHRASE, FAST)
    assert lifecycle.list_profiles() == []
    assert not (eolcare_home / "profiles" / "alex").exists()


def test_a_name_in_use_is_refused_saying_whether_it_was_finished() -> None:
    new = _begin()
    with pytest.raises(ProfileUnfinishedError):
        _begin()
    lifecycle.confirm_recovery_key_shown(new.store)
    new.store.close()
    with pytest.raises(ProfileExistsError, match="already exists"):
        _begin()


def test_an_unfinished_profile_is_finished_with_a_new_recovery_key() -> None:
    new = _begin()
    new.store.close()  # as if the program stopped before showing the key
    profile = profiles.find_profile("alex", unfinished=True)
    with pytest.raises(WrongPassphraseError):
        lifecycle.finish_profile(profile, "not the passphrase")
    finished = lifecycle.finish_profile(profile, PASSPHRASE)
    try:
        assert finished.recovery_key != new.recovery_key
        lifecycle.confirm_recovery_key_shown(finished.store)
    finally:
        finished.store.close()
    profile = profiles.find_profile("alex")
    assert unlock_with_recovery_key(profile, finished.recovery_key)
    with pytest.raises(WrongPassphraseError):
        unlock_with_recovery_key(profile, new.recovery_key)


def test_a_folder_left_empty_is_unfinished_and_removable(eolcare_home: Path) -> None:
    (eolcare_home / "profiles" / "bea").mkdir(parents=True)
    [listed] = lifecycle.list_profiles()
    assert listed.state == profiles.CREATING
    with pytest.raises(ProfileUnfinishedError, match="nothing is in it"):
        profiles.find_profile("bea")
    with pytest.raises(ProfileUnfinishedError):
        lifecycle.finish_profile(listed, PASSPHRASE)
    lifecycle.remove_profile(listed)
    assert lifecycle.list_profiles() == []


def test_removal_takes_the_lock_and_leaves_no_trace(eolcare_home: Path) -> None:
    new = _begin()
    lifecycle.confirm_recovery_key_shown(new.store)
    new.store.close()
    profile = profiles.find_profile("alex")
    store = Store(profile, unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False))
    with pytest.raises(ProfileInUseError):
        lifecycle.remove_profile(profile)
    assert profile.db_path.exists()
    lifecycle.remove_open_profile(store)
    assert not profile.path.exists()
    assert list((eolcare_home / "profiles").iterdir()) == []
    with pytest.raises(ProfileNotFoundError):
        profiles.hold_lock(profile)


def test_an_interrupted_removal_is_finished_later(eolcare_home: Path) -> None:
    leftover = eolcare_home / "profiles" / ".removing-alex.0abc"
    (leftover / "backups").mkdir(parents=True)
    (leftover / "eolcare.db").write_bytes(b"x")
    assert lifecycle.list_profiles() == []
    profiles.tidy()
    assert not leftover.exists()


def test_a_ready_profile_without_its_database_is_not_given_an_empty_one() -> None:
    new = _begin()
    lifecycle.confirm_recovery_key_shown(new.store)
    new.store.close()
    profile = profiles.find_profile("alex")
    profile.db_path.unlink()
    with pytest.raises(CorruptDatabaseError, match="missing"):
        open_profile("alex", lambda: PASSPHRASE, use_keyring=False)
    assert not profile.db_path.exists()


def test_an_incomplete_fill_is_noted_until_complete() -> None:
    new = _begin()
    lifecycle.confirm_recovery_key_shown(new.store)
    lifecycle.mark_incomplete(new.store, "demo")
    new.store.close()
    profile = profiles.find_profile("alex")
    note = profiles.incomplete_note(profile)
    assert note is not None
    assert "demo caseload in profile 'alex' is incomplete" in note
    with pytest.raises(ProfileExistsError, match="incomplete"):
        _begin()
    with Store(profile, unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)) as s:
        lifecycle.mark_complete(s)
    assert profiles.incomplete_note(profiles.find_profile("alex")) is None
    description = json.loads((profile.path / "profile.json").read_text())
    assert description["state"] == "ready"
    assert description["incomplete"] is None
