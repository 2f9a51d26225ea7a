"""Adding and changing the whole record from the command line, checked in the store afterwards."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from eolcare.domain.entities import Service, Volunteer
from eolcare.domain.record import PersonRecord
from eolcare.domain.values import Coded, CodedList
from eolcare.store import caseload, identity
from eolcare.store.database import open_profile
from eolcare.store.writes import load
from tests.cli.conftest import CliRun

PASS = "a long test passphrase"


def _record(ref: str) -> PersonRecord:
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.reading() as s:
        return caseload.load_record(s, caseload.resolve_person(s, ref))


def _operations() -> int:
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.reading() as s:
        return len(caseload.history(s, caseload.resolve_person(s, "Siân")))


def _ok(cli: CliRun, *args: str) -> str:
    code, out, err = cli(*args)
    assert code == 0, err
    return out


def _id(out: str) -> str:
    """The short id a command printed: ``[circle 3fa4c2d1]``."""
    found = re.search(r"\[\w+ ([0-9a-f]{8})\]", out)
    assert found, out
    return found.group(1)


@pytest.fixture
def sian(cli: CliRun, profile: str) -> str:
    out = _ok(cli, "add", "person", "full_name=Siân Evans", "date_of_birth=03/02/1941",
              "nhs_number=943 476 5919", "address=12 Heol y Bont\nTenby")
    return _id(out)


def test_a_whole_record_built_from_nothing(cli: CliRun, sian: str) -> None:
    _ok(cli, "change", "person", "Siân", "preferred_place_of_death=home: in her own bed",
        "preferred_place_of_care=hospice", "akps=40")
    _ok(cli, "set", "Sian", "cpr_decision", "not for CPR")
    dafydd = _id(_ok(cli, "add", "circle", "Sian", "name=Dafydd Evans", "relationship=son",
                     "main_carer=yes", "phone=029 2018 0123"))
    _ok(cli, "add", "volunteer", "name=Margaret Hughes", "helps_with=shopping,companionship")
    _ok(cli, "assign", "Sian", "Margaret", "availability=Tuesdays")
    _ok(cli, "add", "service", "name=Riverside District Nurses",
        "service_type=district nursing", "phone_24_7=0117 496 0123")
    _ok(cli, "add", "involvement", "Sian", "service=Riverside", "professional=Jo Bell",
        "role=key worker")
    _ok(cli, "note", "Sian", "Talked", "about", "going", "home", "--type", "visit",
        "--with", "Dafydd")
    _ok(cli, "add", "task", "Sian", "title=Review CPR decision", "due=2026-12-20",
        "task_type=review CPR")
    _ok(cli, "add", "rota", "Sian", "activity=sitting", "starts_at=2026-12-01 14:00",
        "ends_at=2026-12-01 16:00", "repeat=weekly", "helper=Dafydd")
    _ok(cli, "add", "document", "Sian", "name=Will", "location=Solicitor in town")

    rec = _record(sian)
    p = rec.person
    assert p.full_name == "Siân Evans"
    assert p.date_of_birth == date(1941, 2, 3)
    assert p.address == "12 Heol y Bont\nTenby"
    assert p.preferred_place_of_death == Coded("110481000000108", "in her own bed")
    assert p.preferred_place_of_care == Coded("108401000000102")
    assert p.cpr_decision == Coded("450476008")
    assert p.akps == 40
    circle = {m.name: m for m in rec.circle}
    assert circle["Dafydd Evans"].relationship == Coded("son")
    assert circle["Dafydd Evans"].id.endswith(dafydd)
    margaret = circle["Margaret Hughes"]
    assert margaret.volunteer_id is not None
    assert margaret.relationship == Coded("volunteer")
    assert margaret.helps_with == CodedList(("shopping", "companionship"))
    assert margaret.availability == "Tuesdays"
    [involved] = rec.services
    assert involved.service.name == "Riverside District Nurses"
    assert involved.involvement.professional == "Jo Bell"
    [note] = rec.contacts
    assert note.discussed == "Talked about going home"
    assert note.contact_type == Coded("visit")
    [task] = rec.tasks
    assert task.task_type == Coded("review_cpr")
    [slot] = rec.rota
    assert slot.helper_id == circle["Dafydd Evans"].id
    assert slot.repeat == Coded("weekly")
    assert [d.name for d in rec.documents] == ["Will"]


def test_values_from_a_json_file(cli: CliRun, profile: str, tmp_path: Path) -> None:
    data = {"full_name": "Zoë Ångström", "preferred_place_of_death": {"code": "108401000000102",
                                                                     "label": "Hospice",
                                                                     "text": "St Ann's"},
            "communication_needs": ["hearing", "Sight impairment"], "interpreter_needed": False,
            "akps": 30, "cpr_decision": "for CPR"}
    path = tmp_path / "zoe.json"
    path.write_text(json.dumps(data), "utf-8")
    out = _ok(cli, "add", "person", "--from-json", str(path), "--json")
    added = json.loads(out)
    assert added["preferred_place_of_death"] == {"code": "108401000000102", "label": "Hospice",
                                                 "text": "St Ann's"}
    p = _record("Zoë").person
    assert p.communication_needs == CodedList(("hearing", "sight"))
    assert p.cpr_decision == Coded("450475007")
    assert p.interpreter_needed is False


def test_coded_value_errors_list_labels_not_codes(cli: CliRun, sian: str) -> None:
    before = _operations()
    code, _, err = cli("set", "Sian", "preferred_place_of_death", "the moon")
    assert code == 2
    assert "Preferred place of death: choose one of: Home, Usual place of residence, " \
           "Hospice" in err
    assert not re.search(r"\d{6,}", err)  # no SNOMED numbers
    code, _, err = cli("add", "circle", "Sian", "name=Bob", "relationship=cousin")
    assert code == 2
    assert "Daughter" in err
    assert "Nothing was saved" in err
    assert _operations() == before
    assert [m.name for m in _record(sian).circle] == []


def test_every_problem_at_once_and_nothing_saved(cli: CliRun, sian: str) -> None:
    before = _operations()
    code, _, err = cli("change", "person", "Sian", "akps=55", "date_of_birth=1941-02-30",
                       "interpreter_needed=perhaps")
    assert code == 2
    assert "AKPS" in err
    assert "steps of 10" in err
    assert "Date of birth: is not a date" in err
    assert "Interpreter needed: answer yes or no" in err
    assert _operations() == before
    assert _record(sian).person.akps is None


def test_unknown_kind_and_field_say_what_exists(cli: CliRun, sian: str) -> None:
    code, _, err = cli("add", "pet", "Sian", "name=Rex")
    assert code == 2
    assert "circle" in err
    code, _, err = cli("add", "circle", "Sian", "name=Bob", "relation=son")
    assert code == 2
    assert "relationship" in err
    assert "eolcare fields circle" in err
    code, _, err = cli("add", "circle", "name=Bob")
    assert code == 2
    assert "PERSON" in err


def test_fields_lists_allowed_values(cli: CliRun, profile: str) -> None:
    out = _ok(cli, "fields", "circle")
    assert "relationship" in out
    assert "Spouse or civil partner" in out
    assert "Daughter" in out
    data = json.loads(_ok(cli, "fields", "person", "--json"))
    place = next(f for f in data if f["name"] == "preferred_place_of_death")
    assert {"code": "110481000000108", "label": "Home"} in place["choices"]
    akps = next(f for f in data if f["name"] == "akps")
    assert akps["choices"] is None


def test_change_delete_and_restore_a_circle_member(cli: CliRun, sian: str) -> None:
    member = _id(_ok(cli, "add", "circle", "Sian", "name=Dafydd Evans", "relationship=son"))
    _ok(cli, "change", "circle", member, "key_holder=yes", "relationship=neighbour")
    [m] = _record(sian).circle
    assert m.key_holder is True
    assert m.relationship == Coded("neighbour")
    out = _ok(cli, "delete", "circle", member)
    assert f"eolcare undelete circle {member}" in out
    assert _record(sian).circle == []
    code, _, _err = cli("change", "circle", member, "key_holder=no")
    assert code == 3
    _ok(cli, "undelete", "circle", member)
    assert [m.name for m in _record(sian).circle] == ["Dafydd Evans"]


def test_delete_and_restore_a_person(cli: CliRun, sian: str) -> None:
    _ok(cli, "delete", "person", "Sian")
    code, _, _ = cli("show", "Sian")
    assert code == 3
    _ok(cli, "undelete", "person", sian)
    assert _record(sian).person.full_name == "Siân Evans"


def test_notes_are_never_changed_only_amended(cli: CliRun, sian: str) -> None:
    first = _id(_ok(cli, "note", "Sian", "Wants to die at the hospice", "--type", "phone"))
    code, _, err = cli("change", "note", first, "discussed=Wants to die at home")
    assert code == 1
    assert "--amends" in err
    second = _id(_ok(cli, "note", "Sian", "Correction: wants to die at home", "--amends", first,
                     "--at", "2026-01-05 10:00"))
    contacts = {c.id[-8:]: c for c in _record(sian).contacts}
    assert contacts[first].discussed == "Wants to die at the hospice"
    assert contacts[second].amends == contacts[first].id
    code, _, err = cli("note", "Sian", "x", "--amends", "ffffffff")
    assert code == 2
    assert "Corrects an earlier note" in err


def test_tasks_done(cli: CliRun, sian: str) -> None:
    task = _id(_ok(cli, "add", "task", "Sian", "title=Phone Dafydd", "due=2026-01-10"))
    _ok(cli, "done", task, "--on", "2026-01-09")
    assert _record(sian).tasks[0].done_on == date(2026, 1, 9)
    team = _id(_ok(cli, "add", "task", "title=Team meeting", "due=2026-01-10"))
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.reading() as s:
        assert caseload.reviews_due(s, date(2026, 1, 1), 30)[0].task_id.endswith(team)


def test_directory_entries_changed_by_name(cli: CliRun, profile: str) -> None:
    _ok(cli, "add", "service", "name=Riverside District Nurses", "service_type=district nursing")
    _ok(cli, "change", "service", "Riverside", "phone_24_7=0117 496 0123")
    _ok(cli, "add", "volunteer", "name=Margaret Hughes")
    _ok(cli, "change", "volunteer", "Margaret Hughes", "active=yes")
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.reading() as s:
        [sid] = identity.directory(s, "service")
        assert load(s, Service, sid).phone_24_7 == "0117 496 0123"
        [vid] = identity.directory(s, "volunteer")
        assert load(s, Volunteer, vid).active is True


def test_a_second_person_with_the_same_nhs_number_is_refused(cli: CliRun, sian: str) -> None:
    code, _, err = cli("add", "person", "full_name=Sian Evans", "nhs_number=9434765919")
    assert code == 2
    assert "already has this NHS number" in err
    assert f"eolcare show {sian}" in err
    assert "--allow-duplicate-nhs" in err
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.reading() as s:
        assert len(identity.people_with_nhs_number(s, "9434765919")) == 1
    other = _id(_ok(cli, "add", "person", "full_name=Ann Jones"))
    code, _, err = cli("change", "person", other, "nhs_number=943 476 5919")
    assert code == 2
    assert "already has this NHS number" in err
    assert _record(other).person.nhs_number is None
    _ok(cli, "add", "person", "full_name=Sian Evans", "nhs_number=9434765919",
        "--allow-duplicate-nhs")
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.reading() as s:
        assert len(identity.people_with_nhs_number(s, "9434765919")) == 2


def test_a_deleted_persons_nhs_number_may_be_used_again(cli: CliRun, sian: str) -> None:
    _ok(cli, "delete", "person", sian)
    _ok(cli, "add", "person", "full_name=Siân Evans", "nhs_number=9434765919")
    code, _, err = cli("undelete", "person", sian)
    assert code == 0, err  # restoring is not refused: the coordinator then merges by hand


def test_ambiguous_person_lists_the_matches(cli: CliRun, profile: str) -> None:
    _ok(cli, "add", "person", "full_name=Ann Jones", "date_of_birth=1950-01-02",
        "nhs_number=9434765919")
    _ok(cli, "add", "person", "full_name=Ann Smith", "date_of_birth=1948-07-30")
    code, _out, err = cli("show", "Ann")
    assert code == 2
    assert "Several people match" in err
    assert "Ann Jones" in err
    assert "02 Jan 1950" in err
    assert "943 476 5919" in err
    assert "Ann Smith" in err
    ids = re.findall(r"\b[0-9a-f]{8}\b", err)
    assert len(ids) == 2
    assert cli("show", ids[1])[0] == 0


def test_json_shape_of_coded_values(cli: CliRun, sian: str) -> None:
    _ok(cli, "set", "Sian", "communication_needs", "hearing, signing: BSL")
    record = json.loads(_ok(cli, "show", "Sian", "--json"))
    assert record["person"]["communication_needs"] == {
        "codes": ["hearing", "signing"], "labels": ["Hearing impairment", "Uses sign language"],
        "text": "BSL"}
    listed = json.loads(_ok(cli, "list", "--json"))
    assert listed[0]["status"] is None


def test_search_says_where_the_match_was_found(cli: CliRun, sian: str) -> None:
    _ok(cli, "add", "circle", "Sian", "name=Dafydd Evans")
    _ok(cli, "note", "Sian", "Dafydd phoned about the hoist")
    _ok(cli, "change", "person", "Sian", "what_matters=Seeing the sea at Tenby")

    def places(query: str) -> dict[str, list[str]]:
        return {p["full_name"]: p["found_in"]
                for p in json.loads(_ok(cli, "search", query, "--json"))}

    assert places("Dafydd") == {"Siân Evans": ["circle of support", "notes"]}
    assert places("Evans") == {"Siân Evans": ["name", "circle of support"]}
    assert places("943 476 5919") == {"Siân Evans": ["NHS number"]}
    assert places("Heol") == {"Siân Evans": ["address"]}
    assert places("Tenby") == {"Siân Evans": ["address", "what matters"]}
    assert places("hoist") == {"Siân Evans": ["notes"]}
    out = _ok(cli, "search", "Dafydd")
    assert "Found in" in out
    assert "circle of support, notes" in out


def test_list_sorts_are_the_stores() -> None:
    from eolcare.cli.main import SORTS
    assert SORTS == caseload.SORTS
