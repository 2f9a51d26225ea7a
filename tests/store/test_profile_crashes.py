"""Killed, stopped, raced: real ``eolcare`` processes at the moments that used to go wrong.

Each test runs ``python -m eolcare.cli.main`` in its own process with a private
EOLCARE_HOME, kills it (SIGKILL: nothing of ours runs) or stops it (SIGTERM)
at a chosen moment, then checks what the next command says and does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from eolcare.domain.errors import WrongPassphraseError
from eolcare.store import profiles, vault
from eolcare.store.database import Store, create_profile, unlock_with_passphrase
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
NEW_PASSPHRASE = "a different new passphrase"


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "EOLCARE_HOME": str(home), "PYTHONUNBUFFERED": "1"}


def _cli(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eolcare.cli.main", *args], cwd=ROOT,
                          env=_env(home), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "eolcare.cli.main", *args], cwd=ROOT,
                            env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True)


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[str],
              timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the process ended first: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the moment to kill never came")
        time.sleep(0.0005)


def _read_until(process: subprocess.Popen[str], text: str) -> str:
    """Read the process's output up to the line containing ``text``."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if text in line:
            return "".join(seen)
    pytest.fail(f"{text!r} never printed: {''.join(seen)} {process.communicate()}")


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n", "utf-8")
    return path


def _demo(home: Path, pass_file: Path, people: int = 3000) -> subprocess.Popen[str]:
    return _start(home, "demo", "--people", str(people), "--seed", "5", "--fast-kdf-for-tests",
                  "--no-keyring", "--passphrase-file", str(pass_file))


def _ok(home: Path, pass_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _cli(home, *args, "--no-keyring", "--passphrase-file", str(pass_file))


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


# -- creation killed at each moment -----------------------------------------------------------


def _folder(home: Path) -> Path:
    return home / "profiles" / "demo"


MOMENTS: dict[str, Callable[[Path], bool]] = {
    "folder made": lambda home: _folder(home).is_dir(),
    "description written": lambda home: (_folder(home) / "profile.json").exists(),
    "key file written": lambda home: (_folder(home) / "vault.json").exists(),
    "database file made": lambda home: (_folder(home) / "eolcare.db").exists(),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_creation_killed_early_is_named_unfinished_and_can_be_removed(
        moment: str, eolcare_home: Path, pass_file: Path) -> None:
    demo = _demo(eolcare_home, pass_file)
    _wait_for(lambda: MOMENTS[moment](eolcare_home), demo)
    demo.send_signal(signal.SIGKILL)
    demo.communicate()

    listed = _ok(eolcare_home, pass_file, "list", "--profile", "demo")
    assert listed.returncode == 4
    assert "was not finished" in listed.stderr, listed.stderr
    assert "backup" not in listed.stderr.lower()  # it was never finished: nothing to restore
    assert "missing" not in listed.stderr
    assert "damaged" not in listed.stderr
    assert "eolcare profiles remove demo" in listed.stderr
    _no_traceback(listed)

    again = _demo(eolcare_home, pass_file, people=5)
    _, err = again.communicate(timeout=60)
    assert again.returncode == 4
    assert "was not finished" in err
    assert "eolcare profiles remove demo" in err

    shown = _ok(eolcare_home, pass_file, "profiles")
    assert "unfinished" in shown.stdout

    removed = _ok(eolcare_home, pass_file, "profiles", "remove", "demo", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert not _folder(eolcare_home).exists()
    made = _demo(eolcare_home, pass_file, people=5)
    out, err = made.communicate(timeout=120)
    assert made.returncode == 0, err
    assert "Demo caseload: 5 people" in out


def test_killed_after_the_recovery_key_was_printed_during_the_demo(
        eolcare_home: Path, pass_file: Path) -> None:
    demo = _demo(eolcare_home, pass_file)
    _read_until(demo, "It unlocks this profile")
    _wait_for(lambda: '"incomplete": "demo"' in (_folder(eolcare_home) / "profile.json")
              .read_text(), demo)
    time.sleep(0.3)  # into the generation
    demo.send_signal(signal.SIGKILL)
    demo.communicate()

    listed = _ok(eolcare_home, pass_file, "list", "--profile", "demo", "--all", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "demo caseload in profile 'demo' is incomplete" in listed.stderr
    again = _demo(eolcare_home, pass_file, people=5)
    _, err = again.communicate(timeout=60)
    assert again.returncode == 4
    assert "already exists" in err
    assert "is incomplete" in err


def test_a_profile_whose_recovery_key_was_never_shown_can_be_finished(
        eolcare_home: Path, pass_file: Path) -> None:
    """Killed between the key file and the recovery key: finishing shows a new one."""
    init = _start(eolcare_home, "init", "--profile", "alex", "--name", "Alex",
                  "--fast-kdf-for-tests", "--no-keyring", "--passphrase-file", str(pass_file))
    folder = eolcare_home / "profiles" / "alex"
    _wait_for(lambda: '"state": "new"' in _text(folder / "profile.json"), init)
    init.send_signal(signal.SIGKILL)
    init.communicate()
    if '"state": "ready"' in _text(folder / "profile.json"):
        pytest.skip("the process got past the moment before it was killed")

    listed = _ok(eolcare_home, pass_file, "list", "--profile", "alex")
    assert listed.returncode == 4
    assert "before its recovery key was shown" in listed.stderr
    assert "eolcare init --profile alex --finish" in listed.stderr

    finished = _ok(eolcare_home, pass_file, "init", "--profile", "alex", "--finish")
    assert finished.returncode == 0, finished.stderr
    recovery = next(line.strip() for line in finished.stdout.splitlines()
                    if line.count("-") == 7)
    profile = profiles.find_profile("alex")
    assert vault.unlock_with_recovery_key(profile.vault_path, recovery, profile_id=profile.id)
    assert _ok(eolcare_home, pass_file, "list", "--profile", "alex").returncode == 0


def _text(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def test_sigterm_during_the_demo_cleans_up_like_ctrl_c(eolcare_home: Path,
                                                       pass_file: Path) -> None:
    demo = _demo(eolcare_home, pass_file)
    _read_until(demo, "It unlocks this profile")
    time.sleep(0.3)
    demo.send_signal(signal.SIGTERM)
    _, err = demo.communicate(timeout=60)
    assert demo.returncode == 130
    assert "has been removed" in err
    assert "Traceback" not in err
    assert not _folder(eolcare_home).exists()
    assert list((eolcare_home / "profiles").iterdir()) == []


# -- two programs at once ---------------------------------------------------------------


def test_no_other_program_can_open_a_profile_being_created(eolcare_home: Path,
                                                           pass_file: Path) -> None:
    """From the folder appearing to the demo finishing, another program is refused."""
    demo = _demo(eolcare_home, pass_file, people=800)
    _wait_for(lambda: _folder(eolcare_home).is_dir(), demo)
    refusals = set()
    while True:
        other = _ok(eolcare_home, pass_file, "list", "--profile", "demo", "--limit", "1")
        _no_traceback(other)
        if other.returncode == 0:
            # opened: only possible once the demo had finished and let go
            description = (_folder(eolcare_home) / "profile.json").read_text()
            assert '"state": "ready"' in description
            assert '"incomplete": null' in description
            break
        assert "already open" in other.stderr or "was not finished" in other.stderr, other
        refusals.add("already open" if "already open" in other.stderr else "not finished")
    _, err = demo.communicate(timeout=120)
    assert demo.returncode == 0, err
    assert "already open" in refusals
    listed = _ok(eolcare_home, pass_file, "list", "--profile", "demo", "--all", "--json")
    assert listed.stdout.count('"nhs_number"') == 800


def test_a_killed_demo_never_deletes_a_profile_another_program_holds(
        eolcare_home: Path, pass_file: Path) -> None:
    """Another program that has the profile open keeps it; the demo removes nothing under it."""
    demo = _demo(eolcare_home, pass_file)
    _read_until(demo, "It unlocks this profile")
    demo.send_signal(signal.SIGTERM)
    demo.communicate(timeout=60)
    # the demo removed its own profile while still holding the lock: nothing to race for
    assert not _folder(eolcare_home).exists()
    profile, _ = create_profile("demo", "Other", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    with Store(profile, unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)):
        removed = _ok(eolcare_home, pass_file, "profiles", "remove", "demo", "--yes",
                      "--no-unlock")
        assert removed.returncode == 4
        assert "already open" in removed.stderr
        assert profile.db_path.exists()


def test_two_passphrase_changes_at_once_one_wins_and_it_works(eolcare_home: Path,
                                                              tmp_path: Path,
                                                              pass_file: Path) -> None:
    create_profile("alex", "Alex", PASSPHRASE)  # the real Argon2 cost, so the two overlap
    news = []
    runs = []
    for i in range(2):
        new = tmp_path / f"new{i}.txt"
        new.write_text(f"{NEW_PASSPHRASE} {i}\n", "utf-8")
        news.append(new)
        runs.append(_start(eolcare_home, "passphrase", "--no-keyring", "--passphrase-file",
                           str(pass_file), "--new-passphrase-file", str(new)))
    results = [(r.wait(60), *r.communicate()) for r in runs]
    winners = [i for i, (code, _, _) in enumerate(results) if code == 0]
    assert len(winners) == 1, results
    loser = results[1 - winners[0]]
    assert "already open" in loser[2] or "not right" in loser[2], loser
    assert "Passphrase changed" not in loser[1]
    profile = profiles.find_profile("alex")
    assert vault.unlock(profile.vault_path, f"{NEW_PASSPHRASE} {winners[0]}")


def test_a_passphrase_change_waits_for_no_one_and_changes_nothing_while_open(
        eolcare_home: Path, pass_file: Path, tmp_path: Path) -> None:
    profile, _ = create_profile("alex", "Alex", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    new = tmp_path / "new.txt"
    new.write_text(NEW_PASSPHRASE + "\n", "utf-8")
    before = profile.vault_path.read_bytes()
    with Store(profile, unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)):
        done = _ok(eolcare_home, pass_file, "passphrase", "--new-passphrase-file", str(new))
    assert done.returncode == 4
    assert "already open" in done.stderr
    assert profile.vault_path.read_bytes() == before


def test_a_killed_passphrase_change_leaves_one_passphrase_and_no_stray_file(
        eolcare_home: Path, pass_file: Path, tmp_path: Path) -> None:
    profile, _ = create_profile("alex", "Alex", PASSPHRASE)
    new = tmp_path / "new.txt"
    new.write_text(NEW_PASSPHRASE + "\n", "utf-8")
    stray = profile.path / ".vault.json.deadbeef.tmp"
    stray.write_bytes(b'{"format": "eolcare-vault", "half": ')  # as a kill mid-write leaves
    change = _start(eolcare_home, "passphrase", "--no-keyring", "--passphrase-file",
                    str(pass_file), "--new-passphrase-file", str(new))
    time.sleep(0.9)  # process start and one Argon2 run: about the moment of the rewrite
    change.send_signal(signal.SIGKILL)
    change.communicate()
    working = []
    for candidate in (PASSPHRASE, NEW_PASSPHRASE):
        try:
            vault.unlock(profile.vault_path, candidate)
            working.append(candidate)
        except WrongPassphraseError:
            continue
    assert len(working) == 1
    now = tmp_path / "working.txt"
    now.write_text(working[0] + "\n", "utf-8")
    listed = _cli(eolcare_home, "list", "--no-keyring", "--passphrase-file", str(now))
    assert listed.returncode == 0, listed.stderr
    assert not list(profile.path.glob(".vault.json.*.tmp"))  # the next run cleared it


def test_another_profiles_key_file_is_named_and_its_passphrase_is_not_changed(
        eolcare_home: Path, pass_file: Path, tmp_path: Path) -> None:
    alex, _ = create_profile("alex", "Alex", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    bea, _ = create_profile("bea", "Bea", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    alex.vault_path.write_bytes(bea.vault_path.read_bytes())
    before = alex.vault_path.read_bytes()
    new = tmp_path / "new.txt"
    new.write_text(NEW_PASSPHRASE + "\n", "utf-8")
    listed = _ok(eolcare_home, pass_file, "list", "--profile", "alex")
    assert listed.returncode == 4
    assert "belongs to another profile" in listed.stderr
    assert "eolcare restore --profile alex" in listed.stderr
    changed = _ok(eolcare_home, pass_file, "passphrase", "--profile", "alex",
                  "--new-passphrase-file", str(new))
    assert changed.returncode == 4
    assert "another profile" in changed.stderr
    assert alex.vault_path.read_bytes() == before
