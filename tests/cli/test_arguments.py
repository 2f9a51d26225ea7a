"""Every numeric and date argument checked with a plain message; lists grouped and paged;
profiles chosen by name or by default."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from eolcare.domain.entities import Person, Task
from eolcare.store.database import open_profile
from tests.cli.conftest import CliRun

PASS = "a long test passphrase"


@pytest.mark.parametrize(("args", "words"), [
    (("reviews", "--days", "-1"), "argument --days: must be from 0 to 3,660 days"),
    (("reviews", "--days", "100000"), "argument --days: must be from 0 to 3,660 days"),
    (("reviews", "--days", "soon"), "argument --days: give a whole number from 0 to 3,660"),
    (("list", "--limit", "-5"), "argument --limit: must be from 0"),
    (("list", "--page", "0"), "argument --page: must be from 1"),
    (("list", "--page", "two"), "argument --page: give a whole number"),
    (("search", "Ann", "--limit", "0"), "argument --limit: must be from 1"),
    (("demo", "--people", "0"), "argument --people: must be from 1 to 20,000 people"),
    (("demo", "--people", "20001"), "argument --people: must be from 1 to 20,000 people"),
    (("demo", "--people", "lots"), "argument --people: give a whole number"),
    (("demo", "--seed", "-3"), "argument --seed: must be from 0"),
    (("done", "abcd1234", "--on", "2025-02-30"), "argument --on: is not a date"),
    (("note", "Ann", "hello", "--at", "yesterday-ish"), "argument --at: is not a date and time"),
    (("restore", "--backup", "0"), "argument --backup: must be from 1"),
])
def test_bad_numbers_and_dates_are_refused_plainly(cli: CliRun, args: tuple[str, ...],
                                                   words: str) -> None:
    code, out, err = cli(*args)
    assert code == 2
    assert words in err
    assert "Traceback" not in err
    assert out == ""
    assert json.loads(cli("profiles", "--json")[1]) == []  # demo made no profile


@pytest.mark.parametrize(("field", "typed", "words"), [
    ("akps", "55", "goes in steps of 10"),
    ("akps", "110", "must be between 0 and 100"),
    ("akps", "-10", "must be between 0 and 100"),
    ("akps", "forty", "must be a whole number"),
    ("date_of_birth", "31/02/1940", "is not a date"),
    ("date_of_birth", "2999-01-01", "cannot be in the future"),
    ("cpr_review_date", "next week", "is not a date"),
])
def test_bad_field_values_change_nothing(cli: CliRun, profile: str, field: str, typed: str,
                                         words: str) -> None:
    assert cli("add", "person", "full_name=Ann Jones", "akps=20")[0] == 0
    code, _, err = cli("set", "Ann", field, typed)
    assert code == 2
    assert words in err
    assert typed not in err or typed.isdigit()  # what was typed is not echoed back
    record = json.loads(cli("show", "Ann", "--json")[1])["person"]
    assert record["akps"] == 20
    assert record[field] in (None, 20)


def _add_reviews() -> None:
    today = date.today()
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.writing() as w:
        person = w.add(Person(full_name="Siân Evans"))
        for days, title in ((-30, "Long overdue"), (-1, "Overdue"), (0, "Today"),
                            (6, "This week"), (7, "Next week"), (20, "Later on")):
            w.add(Task(person_id=person.id, title=title, due=today + timedelta(days=days)))


def test_reviews_grouped_with_counts(cli: CliRun, profile: str) -> None:
    _add_reviews()
    code, out, _ = cli("reviews")
    assert code == 0
    groups = {block.splitlines()[0]: block for block in out.split("\n\n")}
    assert list(groups) == ["Overdue (2)", "Due this week (2)", "Later (2)"]
    assert "Long overdue" in groups["Overdue (2)"]
    assert "Today" in groups["Due this week (2)"]
    assert "This week" in groups["Due this week (2)"]
    assert "Next week" in groups["Later (2)"]
    assert "Later on" in groups["Later (2)"]
    code, out, _ = cli("reviews", "--days", "10", "--json")
    assert [r["what"] for r in json.loads(out)] == ["Long overdue", "Overdue", "Today",
                                                    "This week", "Next week"]


def test_list_pages_and_says_so(cli: CliRun, profile: str) -> None:
    with open_profile(None, lambda: PASS, use_keyring=False) as store, store.writing() as w:
        for i in range(7):
            w.add(Person(full_name=f"Person {i}"))
    code, out, _ = cli("list", "--limit", "3", "--page", "2")
    assert code == 0
    assert "Person 3" in out
    assert "Person 2" not in out
    assert "Showing 4-6 of 7 people on the caseload (page 2 of 3)" in out
    assert "eolcare list --page 3" in out
    code, _, err = cli("list", "--limit", "3", "--page", "4")
    assert code == 2
    assert "--page 1 to 3" in err
    code, out, _ = cli("list", "--json")  # scripts get everyone
    assert len(json.loads(out)) == 7


def test_second_profile_names_the_profiles_and_a_default(cli: CliRun, profile: str) -> None:
    assert cli("init", "--profile", "bea", "--name", "Bea", "--fast-kdf-for-tests")[0] == 0
    code, _, err = cli("list")
    assert code == 4
    assert "alex, bea" in err
    assert "eolcare profiles default NAME" in err
    code, out, _ = cli("profiles")
    assert "eolcare profiles default NAME" in out
    assert cli("profiles", "default", "bea")[0] == 0
    code, out, _ = cli("profiles", "--json")
    assert {p["name"]: p["default"] for p in json.loads(out)} == {"alex": False, "bea": True}
    assert cli("add", "person", "full_name=Only In Bea")[0] == 0
    assert [p["full_name"] for p in json.loads(cli("list", "--json")[1])] == ["Only In Bea"]
    assert json.loads(cli("list", "--json", "--profile", "alex")[1]) == []
    code, _, err = cli("profiles", "default", "nobody")
    assert code == 4
    assert "no profile called 'nobody'" in err
    assert cli("profiles", "default", "-")[0] == 0
    assert cli("list")[0] == 4


def test_demo_again_explains_why_nothing_happens(cli: CliRun) -> None:
    assert cli("demo", "--people", "5", "--fast-kdf-for-tests")[0] == 0
    code, _, err = cli("demo", "--people", "2000", "--fast-kdf-for-tests")
    assert code == 4
    assert "already exists, so no new demo caseload of 2,000 people was made" in err
    assert "eolcare profiles remove demo" in err
    assert len(json.loads(cli("list", "--all", "--json", "--profile", "demo")[1])) == 5


def test_help_lists_kinds_and_values(cli: CliRun, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli("add", "--help", passphrase=None)
    assert code == 0
    assert "involvement" in out
    assert "FIELD=VALUE" in out
    assert 'cpr_decision="not for CPR"' in out
