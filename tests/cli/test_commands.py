"""The eolcare command line, run as a coordinator would (in-process ``main``)."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest

from eolcare.domain.entities import CircleMember, Document, Person
from eolcare.domain.values import Coded
from eolcare.store.database import open_profile
from tests.cli.conftest import CliRun

PASS = "a long test passphrase"


def _add_person(**fields: object) -> str:
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.writing() as w:
        person = w.add(Person(**fields))  # type: ignore[arg-type]
        w.add(CircleMember(person_id=person.id, name="Dafydd Llewellyn",
                           relationship=Coded("son"), main_carer=True))
        return person.id


def test_init_shows_a_recovery_key_once(cli: CliRun) -> None:
    code, out, _ = cli("init", "--profile", "alex", "--name", "Alex", "--fast-kdf-for-tests")
    assert code == 0
    assert "recovery key" in out.lower()
    code, out, _ = cli("profiles", "--json")
    assert [p["name"] for p in json.loads(out)] == ["alex"]


def test_init_refuses_an_existing_profile(cli: CliRun, profile: str) -> None:
    code, _, err = cli("init", "--profile", profile, "--name", "Other", "--fast-kdf-for-tests")
    assert code == 4
    assert "already exists" in err


def test_no_profile_gives_a_plain_message(cli: CliRun) -> None:
    code, _, err = cli("list")
    assert code == 4
    assert "eolcare init" in err


def test_several_profiles_need_a_name(cli: CliRun, profile: str) -> None:
    cli("init", "--profile", "bea", "--name", "Bea", "--fast-kdf-for-tests")
    code, _, err = cli("list")
    assert code == 4
    assert "--profile" in err
    code, out, _ = cli("list", "--profile", "bea", "--json")
    assert code == 0
    assert json.loads(out) == []


def test_set_show_and_history_of_preferred_place_of_death(cli: CliRun, profile: str) -> None:
    pid = _add_person(full_name="Siân Llewellyn", nhs_number="9434765919",
                      date_of_birth=date(1940, 2, 3))
    assert cli("set", "Sian", "preferred_place_of_death", "home: with the dog")[0] == 0
    assert cli("set", "943 476 5919", "preferred_place_of_death", "hospice")[0] == 0

    code, out, _ = cli("show", pid[-8:], "--json")
    assert code == 0
    record = json.loads(out)
    assert record["person"]["preferred_place_of_death"] == {"code": "108401000000102",
                                                            "label": "Hospice",
                                                            "text": ""}
    assert record["circle"][0]["name"] == "Dafydd Llewellyn"

    code, out, _ = cli("history", "Siân", "preferred_place_of_death", "--json")
    changes = json.loads(out)
    assert [c["new"]["code"] for c in changes] == ["110481000000108", "108401000000102"]
    assert changes[1]["old"] == {"code": "110481000000108", "text": "with the dog"}
    assert {c["author"] for c in changes} == {"Alex Coordinator"}

    code, out, _ = cli("history", "Siân", "preferred_place_of_death")
    assert "Home (with the dog) -> Hospice" in out


def test_show_prints_sections_and_provenance(cli: CliRun, profile: str) -> None:
    _add_person(full_name="Zoë Ångström", cpr_decision=Coded("450476008"),
                cpr_form_location="Kitchen drawer")
    code, out, _ = cli("show", "Zoe")
    assert code == 0
    assert "Zoë Ångström" in out
    assert "Last updated by Alex Coordinator" in out
    assert "CPR decision: Not for cardiopulmonary resuscitation" in out
    assert "Where the CPR / DNACPR form is kept: Kitchen drawer" in out
    assert "7. Circle of support" in out


def test_invalid_nhs_number_changes_nothing(cli: CliRun, profile: str) -> None:
    _add_person(full_name="Siân Llewellyn", nhs_number="9434765919")
    code, _, err = cli("set", "Sian", "nhs_number", "943 476 5918")
    assert code == 2
    assert "check digit" in err
    assert "5918" not in err  # the number typed is never echoed
    _, out, _ = cli("show", "Sian", "--json")
    assert json.loads(out)["person"]["nhs_number"] == "9434765919"
    _, out, _ = cli("history", "Sian", "nhs_number", "--json")
    assert len(json.loads(out)) == 1


def test_impossible_date_changes_nothing(cli: CliRun, profile: str) -> None:
    _add_person(full_name="Siân Llewellyn", date_of_birth=date(1940, 2, 3))
    code, _, err = cli("set", "Sian", "date_of_birth", "1940-02-30")
    assert code == 2
    assert "not a date" in err
    code, _, err = cli("set", "Sian", "cpr_review_date", "2020-01-01")
    code2, _, _ = cli("set", "Sian", "cpr_date", "2021-01-01")
    assert code == 0
    assert code2 == 2  # review date before the decision
    _, out, _ = cli("show", "Sian", "--json")
    assert json.loads(out)["person"]["cpr_date"] is None


def test_unknown_person_and_field(cli: CliRun, profile: str) -> None:
    _add_person(full_name="Siân Llewellyn")
    code, _, err = cli("show", "Nobody")
    assert code == 3
    assert "eolcare search" in err
    code, _, err = cli("set", "Sian", "favourite_colour", "blue")
    assert code == 2
    assert "eolcare fields" in err


def test_ambiguous_person(cli: CliRun, profile: str) -> None:
    _add_person(full_name="Ann Jones")
    _add_person(full_name="Ann Smith")
    code, _, err = cli("show", "Ann")
    assert code == 2
    assert "match" in err


def test_search_and_list(cli: CliRun, profile: str) -> None:
    _add_person(full_name="Łukasz Nowak", nhs_number="9434765919")
    _add_person(full_name="Nguyễn Văn An")
    code, out, _ = cli("search", "lukasz", "--json")
    assert [p["full_name"] for p in json.loads(out)] == ["Łukasz Nowak"]
    code, out, _ = cli("search", "Dafydd", "--json")  # a circle member finds both people
    assert code == 0
    assert len(json.loads(out)) == 2
    code, out, _ = cli("list")
    assert code == 0
    assert "Nguyễn Văn An" in out
    assert "943 476 5919" in out


def test_reviews_due(cli: CliRun, profile: str) -> None:
    _add_person(full_name="Siân Llewellyn", cpr_decision=Coded("450476008"),
                cpr_date=date(2024, 1, 1), cpr_review_date=date(2024, 6, 1))
    code, out, _ = cli("reviews", "--json")
    assert code == 0
    items = json.loads(out)
    assert [(i["person_name"], i["source"], i["overdue"]) for i in items] == [
        ("Siân Llewellyn", "cpr", True)]


def test_wrong_passphrase_changes_nothing(cli: CliRun, profile: str, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n", "utf-8")
    code, _, err = cli("list", passphrase=wrong)
    assert code == 4
    assert "not right" in err
    assert cli("list")[0] == 0


def test_change_passphrase(cli: CliRun, profile: str, tmp_path: Path,
                           passphrase_file: Path) -> None:
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase\n", "utf-8")
    code, out, _ = cli("passphrase", "--new-passphrase-file", str(new))
    assert code == 0
    assert "Passphrase changed" in out
    assert cli("list", passphrase=passphrase_file)[0] == 4
    assert cli("list", passphrase=new)[0] == 0


def test_passphrase_needs_a_terminal_or_a_file(cli: CliRun, profile: str) -> None:
    code, _, err = cli("list", passphrase=None)  # pytest's stdin is not a terminal
    assert code == 2
    assert "--passphrase-file" in err


def test_forgotten_passphrase_reset_with_the_recovery_key(cli: CliRun, tmp_path: Path) -> None:
    code, out, _ = cli("init", "--profile", "alex", "--name", "Alex", "--fast-kdf-for-tests")
    assert code == 0
    recovery = next(line.strip() for line in out.splitlines() if line.count("-") >= 5)
    _add_person(full_name="Siân Llewellyn")
    key_file, new = tmp_path / "recovery.txt", tmp_path / "new.txt"
    key_file.write_text(recovery.lower().replace("-", " ") + "\n", "utf-8")  # as typed
    new.write_text("remembered this time\n", "utf-8")
    code, _, err = cli("passphrase", "--recovery-key-file", str(key_file),
                       "--new-passphrase-file", str(new), passphrase=None)
    assert code == 0, err
    code, out, _ = cli("list", passphrase=new)
    assert code == 0
    assert "Siân Llewellyn" in out
    key_file.write_text("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n", "utf-8")
    code, _, err = cli("passphrase", "--recovery-key-file", str(key_file),
                       "--new-passphrase-file", str(new), passphrase=None)
    assert code == 4
    assert "recovery key" in err


def test_demo_creates_a_synthetic_caseload(cli: CliRun) -> None:
    code, out, err = cli("demo", "--people", "25", "--seed", "7", "--fast-kdf-for-tests")
    assert code == 0, err
    assert "Demo caseload: 25 people" in out
    assert "recovery key" in out.lower()
    code, out, _ = cli("list", "--all", "--json", "--profile", "demo")
    assert code == 0
    listed = json.loads(out)
    assert len(listed) == 25
    assert all(p["nhs_number"] is None or p["nhs_number"].startswith("999") for p in listed)
    code, out, _ = cli("show", listed[0]["id"], "--profile", "demo")
    assert code == 0
    assert "7. Circle of support" in out


def test_demo_size_out_of_range_creates_nothing(cli: CliRun) -> None:
    code, _, err = cli("demo", "--people", "20001", "--fast-kdf-for-tests")
    assert code == 2
    assert "20,000" in err
    assert json.loads(cli("profiles", "--json")[1]) == []


def test_other_documents_show_with_the_decisions(cli: CliRun, profile: str) -> None:
    pid = _add_person(full_name="Siân Llewellyn")
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.writing() as w:
        w.add(Document(person_id=pid, name="Will", location="Solicitor in town"))
    code, out, _ = cli("show", "Sian")
    assert code == 0
    decisions = out.index("5. Decisions and legal documents")
    circle = out.index("7. Circle of support")
    assert decisions < out.index(" * Will  [document ") < circle
    assert decisions < out.index("Where it is kept: Solicitor in town") < circle


def test_logs_carry_no_personal_data(cli: CliRun, profile: str,
                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    pid = _add_person(full_name="Siân Llewellyn", nhs_number="9434765919",
                      what_matters="Seeing the sea at Tenby")
    for args in (("list", "-v"), ("search", "Llewellyn", "-v"), ("show", pid, "-v"),
                 ("set", pid, "nhs_number", "943 476 5918", "-v"),
                 ("history", pid, "-v"), ("show", "Nobody", "-v")):
        cli(*args)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # something was logged, so the check below means something
    for secret in ("Siân", "Llewellyn", "9434765919", "943 476", "Tenby", "Dafydd"):
        assert secret not in logged
