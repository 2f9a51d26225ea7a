"""The command line, as two coordinators would use it on two laptops."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from eolcare.cli.main import main
from eolcare.domain.entities import Person
from eolcare.store import vault
from eolcare.store.database import create_profile, open_profile
from eolcare.store.profiles import find_profile
from tests.conftest import PASSPHRASE
from tests.domain.factories import TODAY, minimal
from tests.server.conftest import LiveServer


@pytest.fixture
def passfile(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


def test_two_laptops_register_team_up_edit_offline_sync_and_review(
        live_server: LiveServer, passfile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, author in (("ann", "Ann Abbott"), ("ben", "Ben Bello")):
        create_profile(name, author, PASSPHRASE, vault.KDF_FAST_FOR_TESTS)

    def eolcare(profile: str, *args: str) -> str:
        code = main([*args, "--profile", profile, "--passphrase-file", str(passfile),
                     "--no-keyring"])
        out = capsys.readouterr()
        assert code == 0, out.err
        return out.out

    def json_of(profile: str, *args: str) -> dict[str, object]:
        return json.loads(eolcare(profile, *args, "--json"))  # type: ignore[no-any-return]

    user = {p: f"{p}-{uuid.uuid4().hex[:6]}" for p in ("ann", "ben")}
    for p in ("ann", "ben"):
        out = eolcare(p, "account", "register", "--server", live_server.url,
                      "--username", user[p], "--fast-kdf-for-tests")
        assert "Registered and signed in" in out
    assert "created; you are its admin" in eolcare("ann", "team", "create", "District team",
                                                   "--yes")
    invited = eolcare("ann", "team", "invite", user["ben"], "--yes")
    joined = eolcare("ben", "team", "join", "--yes")
    fingerprint = invited.split("\n\n")[1].strip()
    assert len(fingerprint.split()) == 12
    assert fingerprint in joined  # both people read the same digits
    with open_profile("ann", lambda: PASSPHRASE, use_keyring=False) as store, \
            store.writing(TODAY) as w:
        pid = w.add(minimal(Person, id=str(uuid.uuid4()), full_name="Cli Person")).id
    assert json_of("ann", "sync")["pushed"] == 1
    assert json_of("ben", "sync")["applied"] == 1
    eolcare("ann", "set", pid, "preferred_place_of_death", "110481000000108")
    eolcare("ben", "set", pid, "preferred_place_of_death", "108401000000102")
    summary = json_of("ann", "sync")
    assert set(summary) >= {"pushed", "pulled", "conflicts", "duration"}
    assert json_of("ben", "sync")["conflicts"] == 1
    json_of("ann", "sync")
    for p in ("ann", "ben"):
        status = json_of(p, "team", "status")
        assert status["needing_review"] == 1
        assert status["waiting"] == 0
    members = json_of("ann", "team", "members")
    assert [m["role"] for m in members] == ["admin", "member"] or \
        sorted(m["role"] for m in members) == ["admin", "member"]  # type: ignore[index]
    assert "removed from this laptop" in eolcare("ben", "account", "logout", "--yes")
    assert json_of("ben", "team", "status")["server"] is None


def test_a_question_without_a_terminal_asks_for_yes(live_server: LiveServer, passfile: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    create_profile("solo", "Solo Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    with open_profile("solo", lambda: PASSPHRASE, use_keyring=False) as store, \
            store.writing(TODAY) as w:
        w.add(minimal(Person, id=str(uuid.uuid4()), full_name="Before Team"))
    common = ["--profile", "solo", "--passphrase-file", str(passfile), "--no-keyring"]
    assert main(["account", "register", "--server", live_server.url, "--username",
                 f"solo-{uuid.uuid4().hex[:6]}", "--fast-kdf-for-tests", *common]) == 0
    capsys.readouterr()
    assert main(["team", "create", "Team", *common]) == 2
    err = capsys.readouterr().err
    assert "1 change(s) already made on this laptop will be shared" in err
    assert "--yes" in err
    assert main(["sync", *common]) != 0  # no team was made
    assert "not in a team yet" in capsys.readouterr().err


def test_one_passphrase_command_changes_profile_and_account_even_from_the_recovery_key(
        live_server: LiveServer, passfile: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _, recovery = create_profile("ann", "Ann Abbott", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    username = f"ann-{uuid.uuid4().hex[:6]}"
    common = ["--profile", "ann", "--no-keyring"]
    assert main(["account", "register", "--server", live_server.url, "--username", username,
                 "--fast-kdf-for-tests", "--passphrase-file", str(passfile), *common]) == 0
    new, newer = tmp_path / "new.txt", tmp_path / "newer.txt"
    new.write_text("a brand new passphrase\n")
    newer.write_text("remembered this time\n")
    key_file = tmp_path / "recovery.txt"
    key_file.write_text(recovery + "\n")
    capsys.readouterr()

    def signs_in(passphrase: Path) -> bool:
        profile = f"second-{uuid.uuid4().hex[:6]}"
        create_profile(profile, "Ann Abbott", passphrase.read_text().strip(),
                       vault.KDF_FAST_FOR_TESTS)
        code = main(["account", "login", "--server", live_server.url, "--username", username,
                     "--fast-kdf-for-tests", "--yes", "--profile", profile, "--no-keyring",
                     "--passphrase-file", str(passphrase)])
        capsys.readouterr()
        return code == 0

    assert main(["passphrase", "--new-passphrase-file", str(new), "--fast-kdf-for-tests",
                 "--passphrase-file", str(passfile), *common]) == 0
    assert "for this profile and your team account" in capsys.readouterr().out
    assert signs_in(new)
    assert not signs_in(passfile)
    assert main(["passphrase", "--recovery-key-file", str(key_file), "--new-passphrase-file",
                 str(newer), "--fast-kdf-for-tests", *common]) == 0
    assert "and your team account" in capsys.readouterr().out
    assert vault.unlock(find_profile("ann").vault_path, "remembered this time")
    assert signs_in(newer)
    assert not signs_in(new)
    assert main(["sync", "--passphrase-file", str(newer), *common]) != 0  # not in a team yet
    assert "not in a team yet" in capsys.readouterr().err  # still signed in

