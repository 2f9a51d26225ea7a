"""``eolcare conflicts`` and ``eolcare settle``: what needs review, settled from the
command line as the window's review screen settles it (an ordinary edit)."""

from __future__ import annotations

import json

import pytest

from eolcare.domain.entities import Person
from eolcare.domain.values import Coded
from eolcare.store import review, vault
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.writes import load
from tests.cli.conftest import CliRun
from tests.store.helpers import log_of, ship

PASS = "a long test passphrase"
HOME = Coded("110481000000108", "at home")
HOSPICE = Coded("108401000000102", "St Mary's Hospice")


def _mine() -> Store:
    return open_profile("alex", lambda: PASS, use_keyring=False)


@pytest.fixture
def contested(cli: CliRun, profile: str) -> str:
    """Alex's laptop and another coordinator's chose different places of death for Nia
    without seeing each other's; the other's edit has arrived on Alex's laptop."""
    code, out, err = cli("add", "person", "full_name=Nia Hughes", "--profile", profile,
                         "--json")
    assert code == 0, err
    pid = json.loads(out)["id"]
    create_profile("other", "Ben Bello", PASS, vault.KDF_FAST_FOR_TESTS)
    with _mine() as mine, open_profile("other", lambda: PASS, use_keyring=False) as other:
        ship(log_of(mine), other)
        made = [len(log_of(mine)), len(log_of(other))]
        with mine.writing() as w:
            w.update(Person, pid, preferred_place_of_death=HOME)
        with other.writing() as w:
            w.update(Person, pid, preferred_place_of_death=HOSPICE)
        ship(log_of(other, made[1]), mine)
        with mine.reading() as s:
            assert review.is_flagged(s, Person, pid)
    return pid


def test_conflicts_lists_both_values_and_settle_keeps_the_one_chosen(
        cli: CliRun, contested: str) -> None:
    code, out, err = cli("conflicts", "--profile", "alex", "--json")
    assert code == 0, err
    [found] = json.loads(out)
    assert (found["id"], found["field"]) == (contested, "preferred_place_of_death")
    values = {v["value"]["code"]: v for v in found["values"]}
    assert set(values) == {HOME.code, HOSPICE.code}
    assert [v["choice"] for v in found["values"]] == [1, 2]
    assert found["values"][0]["current"]  # 1 is the value standing now
    code, text, _ = cli("conflicts", "Nia", "--profile", "alex")
    assert "Preferred place of death" in text
    assert "standing now" in text
    assert f"[person {contested[-8:]}]" in text
    other = next(v for v in found["values"] if not v["current"])
    code, out, err = cli("settle", "person", contested[-8:], "preferred_place_of_death",
                         str(other["choice"]), "--profile", "alex")
    assert code == 0, err
    assert "Settled person" in out
    with _mine() as mine, mine.reading() as s:
        person = load(s, Person, contested)
        assert person.preferred_place_of_death is not None
        assert person.preferred_place_of_death.code == other["value"]["code"]
        assert not review.is_flagged(s, Person, contested)
    assert cli("conflicts", "--profile", "alex")[1].strip() == "Nothing needs review."


@pytest.mark.parametrize(("args", "says"), [
    (["preferred_place_of_death", "3"], "from 1 to 2"),
    (["preferred_place_of_death", "0"], "from 1 to 2"),
    (["address", "1"], "no competing values"),
    (["preferred_place_of_death"], "both the field and the number"),
    ([], "Choose a value for each contested field first"),
])
def test_bad_choices_are_refused_and_nothing_changes(
        cli: CliRun, contested: str, args: list[str], says: str) -> None:
    with _mine() as mine:
        before = len(log_of(mine))
    code, _, err = cli("settle", "person", contested[-8:], *args, "--profile", "alex")
    assert code != 0
    assert says in err
    assert "Nia" not in err  # no personal data in an error message
    with _mine() as mine, mine.reading() as s:
        assert review.is_flagged(s, Person, contested)
        assert len(log_of(mine)) == before


def test_settle_on_a_record_with_nothing_to_review_says_so(cli: CliRun, profile: str) -> None:
    code, out, _ = cli("add", "person", "full_name=Ann Jones", "--profile", profile, "--json")
    pid = json.loads(out)["id"]
    code, _, err = cli("settle", "person", pid[-8:], "--profile", profile)
    assert code != 0
    assert "Nothing needs review on this person" in err
