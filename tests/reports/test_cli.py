"""``eolcare summary``, ``handover`` and ``import-pack`` run as a coordinator would."""

from __future__ import annotations

from pathlib import Path

import pytest

from eolcare.store import caseload
from eolcare.store.database import open_profile
from tests.cli.conftest import CliRun
from tests.reports.conftest import PACK_PASSPHRASE, text_of
from tests.reports.records import NHS, add_person

PASS = "a long test passphrase"


@pytest.fixture
def person(cli: CliRun) -> str:
    code, _, err = cli("init", "--profile", "alex", "--name", "Alex Coordinator",
                       "--fast-kdf-for-tests")
    assert code == 0, err
    with open_profile("alex", lambda: PASS, use_keyring=False) as store:
        add_person(store, 0)
    return NHS[0]


@pytest.fixture
def pack_passphrase(tmp_path: Path) -> Path:
    path = tmp_path / "pack-passphrase.txt"
    path.write_text(PACK_PASSPHRASE + "\n", "utf-8")
    return path


@pytest.mark.parametrize(("flags", "expect"), [
    ((), "Advance care summary for family and carers"),
    (("--large-print",), "Advance care summary for family and carers"),
    (("--professional",), "SNOMED CT 450476008"),
])
def test_summary_writes_each_kind(cli: CliRun, person: str, tmp_path: Path,
                                  flags: tuple[str, ...], expect: str) -> None:
    out = tmp_path / "summary.pdf"
    code, stdout, err = cli("summary", person, "--profile", "alex", "--out", str(out), *flags)
    assert code == 0, err
    assert "Wrote the" in stdout
    assert expect in text_of(out.read_bytes())


def test_summary_for_nobody_writes_nothing(cli: CliRun, person: str, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    code, _, err = cli("summary", "no such person at all", "--profile", "alex", "--out", str(out))
    assert code == 3
    assert "No one on this profile matches" in err
    assert not out.exists()


def test_handover_then_import_pack_into_another_profile(
        cli: CliRun, person: str, tmp_path: Path, pack_passphrase: Path) -> None:
    out = tmp_path / "pack.zip"
    code, stdout, err = cli("handover", person, "--profile", "alex", "--out", str(out),
                            "--pack-passphrase-file", str(pack_passphrase))
    assert code == 0, err
    assert "handover pack for 1 person" in stdout
    code, _, err = cli("init", "--profile", "sam", "--name", "Sam", "--fast-kdf-for-tests")
    assert code == 0, err
    code, stdout, err = cli("import-pack", str(out), "--profile", "sam",
                            "--pack-passphrase-file", str(pack_passphrase))
    assert code == 0, err
    assert "Imported 1 new person" in stdout
    code, _, err = cli("import-pack", str(out), "--profile", "sam",
                       "--pack-passphrase-file", str(pack_passphrase))
    assert code == 5
    assert "already on your caseload" in err
    with open_profile("sam", lambda: PASS, use_keyring=False) as store, store.reading() as s:
        assert caseload.count_people(s) == 1


def test_a_pack_passphrase_is_never_an_argument(cli: CliRun, person: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli("handover", person, "--profile", "alex", "--out", str(tmp_path / "p.zip"),
            "--passphrase", PACK_PASSPHRASE)
    # without a terminal and without a file there is no way to give it: a plain message
    code, _, err = cli("handover", person, "--profile", "alex", "--out",
                       str(tmp_path / "p.zip"))
    assert code == 2
    assert "--passphrase-file" in err or "not running in a terminal" in err
    assert not (tmp_path / "p.zip").exists()


def test_a_wrong_pack_passphrase_is_a_plain_message(
        cli: CliRun, person: str, tmp_path: Path, pack_passphrase: Path) -> None:
    out = tmp_path / "pack.zip"
    cli("handover", person, "--profile", "alex", "--out", str(out),
        "--pack-passphrase-file", str(pack_passphrase))
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("this is not the passphrase\n", "utf-8")
    code, _, err = cli("import-pack", str(out), "--profile", "alex",
                       "--pack-passphrase-file", str(wrong))
    assert code == 2
    assert "does not open this handover pack" in err


def test_import_pack_takes_a_hand_written_fhir_bundle(cli: CliRun, person: str,
                                                     tmp_path: Path) -> None:
    import json

    from tests.reports.test_fhir import HAND_WRITTEN

    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(HAND_WRITTEN), "utf-8")
    code, stdout, err = cli("import-pack", str(path), "--profile", "alex")
    assert code == 0, err
    assert "Imported 1 new person" in stdout


@pytest.mark.slow
def test_ctrl_c_stops_a_pack_and_leaves_nothing(cli: CliRun, tmp_path: Path,
                                                passphrase_file: Path, pack_passphrase: Path,
                                                eolcare_home: Path) -> None:
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    code, _, err = cli("demo", "--profile", "demo", "--people", "30", "--seed", "3",
                       "--fast-kdf-for-tests")
    assert code == 0, err
    code, out, _ = cli("list", "--profile", "demo", "--json", "--all")
    ids = [p["id"] for p in json.loads(out)]
    target = tmp_path / "packs"
    target.mkdir()
    env = {**os.environ, "EOLCARE_HOME": str(eolcare_home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "eolcare.cli.main", "handover", *ids, "--profile", "demo",
         "--out", str(target / "pack.zip"), "--passphrase-file", str(passphrase_file),
         "--pack-passphrase-file", str(pack_passphrase), "--no-keyring"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(target.glob(".pack-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(target.glob(".pack-*")), "the pack never started"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "stopped; nothing half-done was saved" in stderr
    assert list(target.iterdir()) == []
