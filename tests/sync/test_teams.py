"""Coordinators on real laptops (encrypted profiles) through a real server process."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select

from eolcare.domain.entities import Person, Service
from eolcare.domain.values import Coded
from eolcare.store import accounts, inbox
from eolcare.store.tables import FieldChangeRow
from eolcare.store.writes import load
from eolcare.sync import account, errors, teams
from tests.conftest import PASSPHRASE
from tests.domain.factories import TODAY, minimal
from tests.server.conftest import LiveServer
from tests.sync.conftest import POLICY, Laptop, MakeLaptop, invite, snapshot

HOME = Coded("110481000000108", "at home")
HOSPICE = Coded("108401000000102", "St Mary's Hospice")
Team = Callable[[int], list[Laptop]]


def add_person(laptop: Laptop, name: str, **values: object) -> Person:
    with laptop.store.writing(TODAY) as w:
        return w.add(minimal(Person, id=str(uuid.uuid4()),
                             full_name=name, **values))


def place_values(laptop: Laptop, person_id: str) -> set[str]:
    with laptop.store.reading() as s:
        rows = s.scalars(select(FieldChangeRow).where(
            FieldChangeRow.entity_id == person_id,
            FieldChangeRow.field == "preferred_place_of_death"))
        return {r.new["code"] for r in rows}


def person(laptop: Laptop, person_id: str) -> Person:
    with laptop.store.reading() as s:
        return load(s, Person, person_id, deleted=True)


def test_a_team_member_receives_the_admins_records_and_their_edits_come_back(team: Team
                                                                             ) -> None:
    ann, ben = team(2)
    p = add_person(ann, "Maud Testperson")
    ann.sync()
    summary = ben.sync()
    assert summary.pulled >= 1
    assert summary.applied >= 1
    assert person(ben, p.id).full_name == "Maud Testperson"
    with ben.store.writing(TODAY) as w:
        w.update(Person, p.id, preferred_place_of_death=HOSPICE)
    assert ben.sync().pushed == 1
    ann.sync()
    assert person(ann, p.id).preferred_place_of_death == HOSPICE
    assert snapshot(ann.store) == snapshot(ben.store)


def test_records_made_before_joining_are_shared_on_joining(laptops: MakeLaptop) -> None:
    ann, ben = laptops("Ann Abbott"), laptops("Ben Bello")
    p = add_person(ben, "Made Beforejoining")
    assert teams.records_to_share(ben.store) == 1
    teams.create(ann.store, "Team")
    invite(ann, ben)
    ben.sync()
    ann.sync()
    assert person(ann, p.id).full_name == "Made Beforejoining"


def test_a_second_laptop_of_the_same_coordinator_gets_everything(
        team: Team, laptops: MakeLaptop, live_server: LiveServer) -> None:
    _ann, ben = team(2)
    ids = [add_person(ben, f"Person Number{i}").id for i in range(5)]
    with ben.store.writing(TODAY) as w:
        w.add(minimal(Service, id=str(uuid.uuid4())))
    ben.sync()
    second = laptops("Ben Bello", register=False)
    found = account.login(second.store, live_server.url, ben.username, PASSPHRASE,
                          policy=POLICY)
    assert [t.name for t in found] == ["District team"]
    teams.use_team(second.store, found[0])
    second.sync()
    assert [person(second, i).full_name for i in ids] == [f"Person Number{i}" for i in range(5)]
    assert snapshot(second.store) == snapshot(ben.store)


def test_key_parameters_below_the_minimum_are_refused(laptops: MakeLaptop,
                                                      live_server: LiveServer) -> None:
    ann = laptops("Ann Abbott")
    second = laptops("Ann Abbott", register=False)
    with pytest.raises(errors.WeakKdfError, match="weaker than eolcare accepts"):
        account.login(second.store, live_server.url, ann.username, PASSPHRASE)
    with second.store.reading() as s:
        assert accounts.account(s) is None


def test_concurrent_edits_of_a_significant_field_keep_both_and_flag(team: Team) -> None:
    ann, ben = team(2)
    p = add_person(ann, "Both Values")
    ann.sync()
    ben.sync()
    with ann.store.writing(TODAY) as w:
        w.update(Person, p.id, preferred_place_of_death=HOME)
    with ben.store.writing(TODAY) as w:
        w.update(Person, p.id, preferred_place_of_death=HOSPICE)
    ann.sync()
    ben.sync()
    ann.sync()
    a, b = person(ann, p.id), person(ben, p.id)
    assert a.preferred_place_of_death == b.preferred_place_of_death
    assert a.provenance
    assert a.provenance.needs_review
    assert b.provenance
    assert b.provenance.needs_review
    for laptop in (ann, ben):  # both values are kept in the history for the review
        assert place_values(laptop, p.id) == {HOME.code, HOSPICE.code}
    assert snapshot(ann.store) == snapshot(ben.store)


def test_a_viewer_reads_the_team_but_cannot_change_a_record(laptops: MakeLaptop) -> None:
    ann, vic = laptops("Ann Abbott"), laptops("Vic Viewer")
    teams.create(ann.store, "District team")
    invite(ann, vic, role="viewer")
    p = add_person(ann, "Viewed Only")
    ann.sync()
    vic.sync()
    assert person(vic, p.id).full_name == "Viewed Only"
    with pytest.raises(accounts.ViewerCannotEditError, match=r"viewer.*Nothing was changed"), \
            vic.store.writing(TODAY) as w:
        w.update(Person, p.id, preferred_place_of_death=HOME)
    assert person(vic, p.id).preferred_place_of_death is None
    with vic.store.reading() as s:
        assert inbox.pending_count(s) == 0
    teams.set_role(ann.store, vic.username, "member")
    vic.sync()  # the new role arrives with the next sync
    with vic.store.writing(TODAY) as w:
        w.update(Person, p.id, preferred_place_of_death=HOME)
    vic.sync()
    ann.sync()
    assert person(ann, p.id).preferred_place_of_death == HOME
