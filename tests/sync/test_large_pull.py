"""A large pull keeps what the store holds in memory (``inbox.Known``) instead of looking
each id up, and opens its pages in a process of its own. Forced on here for every pull,
in pages of 3 and a transaction a page, through the real server: the laptops converge, a
concurrent edit is still flagged, and a laptop's own operations coming back are known
(nothing is written twice). The opening process killed mid-pull: what arrived is kept,
the error says so plainly, and the next sync goes on."""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable

import pytest
from sqlalchemy import select

from eolcare.domain.entities import Person
from eolcare.domain.jobs import run
from eolcare.domain.values import Coded
from eolcare.store import inbox
from eolcare.store.tables import ENTITY_TABLES
from eolcare.sync import engine, errors, protocol, teams
from tests.domain.factories import TODAY
from tests.sync.conftest import Laptop, op_ids, snapshot
from tests.sync.test_teams import add_person

Team = Callable[[int], list[Laptop]]
HOME = Coded("110481000000108", "at home")
HOSPICE = Coded("108401000000102", "St Mary's Hospice")
PEOPLE = ENTITY_TABLES["person"]


@pytest.fixture(params=["opened on the fetching thread", "opened in a process of its own"])
def knowns(request: pytest.FixtureRequest,
           monkeypatch: pytest.MonkeyPatch) -> list[inbox.Known]:
    """Every pull uses Known, one page a transaction; the Knowns made, in order. Pages
    are opened on the fetching thread, or (the second time) in a process of their own."""
    if request.param.endswith("process of its own"):
        monkeypatch.setattr(engine, "OPEN_IN_PROCESS_FROM", 1)
    made: list[inbox.Known] = []
    real = inbox.Known.__init__

    def kept(self: inbox.Known, session: object) -> None:
        real(self, session)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(engine, "KNOWN_FROM", 1)
    monkeypatch.setattr(engine, "TRANSACTION_OPS", 1)
    monkeypatch.setattr(inbox.Known, "__init__", kept)
    return made


def _sync(laptop: Laptop) -> engine.SyncSummary:
    return run(engine.sync(laptop.store, transport=laptop.transport, page=3))


def test_laptops_converge_when_every_pull_uses_known(team: Team,
                                                     knowns: list[inbox.Known]) -> None:
    a, b = team(2)
    people = [add_person(a, f"Person {n}") for n in range(7)]
    assert _sync(a).pushed == 7
    knowns.clear()
    got = _sync(b)
    assert got.applied == 7
    assert len(knowns) == 1  # one for the pull, caught up at each of its transactions
    assert {p.id for p in people} <= knowns[0].entities["person"]
    # both edit offline: the same clinically significant field, and fields of their own
    with a.store.writing(TODAY) as w:
        w.update(Person, people[0].id, preferred_place_of_death=HOME, address="1 Bay Road")
    with b.store.writing(TODAY) as w:
        w.update(Person, people[0].id, preferred_place_of_death=HOSPICE)
        w.update(Person, people[1].id, pronouns="she/her")
        mine = {op.op_id for op in w.operations}
    assert _sync(a).pushed == 1
    second = _sync(b)  # pushes its 2, then pulls a's 1 and its own 2 back
    assert (second.pushed, second.applied, second.conflicts) == (2, 1, 1)
    assert mine <= knowns[-1].ops
    _sync(a)
    assert snapshot(a.store) == snapshot(b.store)
    assert op_ids(a.store) == op_ids(b.store)
    rows = {r["id"]: r for r in snapshot(b.store)["person"]}
    assert rows[people[0].id]["address"] == "1 Bay Road"
    assert rows[people[1].id]["pronouns"] == "she/her"
    for laptop in (a, b):  # the concurrent place of death: flagged on both laptops
        with laptop.store.reading() as session:
            flagged = session.scalar(select(PEOPLE.c.needs_review).where(
                PEOPLE.c.id == people[0].id))
        assert flagged


def test_a_pull_hands_the_gil_over_quickly_and_restores_the_interval(team: Team) -> None:
    a, b = team(2)
    add_person(a, "Switch Interval")
    _sync(a)
    before = sys.getswitchinterval()
    assert before > engine.HANDOFF_S
    seen = []
    for step in engine.sync(b.store, transport=b.transport):
        if step.what == engine.RECEIVING:
            seen.append(sys.getswitchinterval())
    assert seen == [engine.HANDOFF_S]
    assert sys.getswitchinterval() == before
    # a pull that fails (the server gone mid-sync) restores it too
    add_person(a, "Another")
    _sync(a)
    job = engine.sync(b.store, transport=b.transport)
    step = next(job)
    while step.what != engine.RECEIVING:
        step = next(job)
    assert sys.getswitchinterval() == engine.HANDOFF_S
    with pytest.raises(RuntimeError, match="stopped"):
        job.throw(RuntimeError("stopped"))  # as a cancel or a crash inside the pull
    assert sys.getswitchinterval() == before


def test_the_opening_process_killed_mid_pull_loses_nothing(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = team(2)
    people = [add_person(a, f"Person {n}") for n in range(30)]
    _sync(a)
    monkeypatch.setattr(engine, "OPEN_IN_PROCESS_FROM", 1)
    monkeypatch.setattr(engine, "TRANSACTION_OPS", 1)  # a transaction a page
    job = engine.sync(b.store, transport=b.transport, page=3)
    step = next(job)
    while step.what != engine.RECEIVING:
        step = next(job)
    (opener,) = multiprocessing.active_children()
    opener.kill()
    with pytest.raises(errors.OpenerStoppedError, match="sync again to go on"):
        for _ in job:
            pass
    with b.store.reading() as s:
        kept = inbox.cursor(s, teams.my_team(b.store).team_id)
    assert 0 < kept < a.sync().head  # the pages applied before are kept
    assert _sync(b).applied == len(people) - kept  # and the next sync goes on from there
    assert snapshot(a.store) == snapshot(b.store)
    assert not multiprocessing.active_children()  # no process is left behind


@pytest.mark.parametrize("held_before", [False, True])
def test_a_large_pull_holds_the_collector_and_gives_it_back(
        team: Team, monkeypatch: pytest.MonkeyPatch, held_before: bool) -> None:
    """Automatic cycle collection is off while a large pull runs, and as it was after;
    where it was off already (the window runs it on its own thread) it stays off."""
    a, b = team(2)
    add_person(a, "Collector")
    _sync(a)
    monkeypatch.setattr(engine, "OPEN_IN_PROCESS_FROM", 1)
    was = gc.isenabled()  # off already when the window's tests ran before in this process
    (gc.disable if held_before else gc.enable)()
    try:
        seen = [gc.isenabled() for step in engine.sync(b.store, transport=b.transport)
                if step.what == engine.RECEIVING]
        assert seen == [False]
        assert gc.isenabled() is not held_before
    finally:
        (gc.enable if was else gc.disable)()


def test_a_pages_last_seq_is_read_from_its_text() -> None:
    """What a large pull asks for next while the last page is being opened."""
    change = protocol.Change(seq=0, op_id="o", record_id="r", device_id="d", author_id="a",
                             epoch=1, blob=b'"seq": 99')  # a blob is base64: never read
    page = protocol.PullResponse(changes=[change.model_copy(update={"seq": n})
                                          for n in (5, 17, 1234567)], head=9, more=True)
    assert engine.last_seq(page.model_dump_json().encode()) == 1234567
    assert engine.last_seq(b'{"changes": [{"seq" : 42, "op_id": "o"}], "more": false}') == 42
    assert engine.last_seq(protocol.PullResponse(changes=[], head=9, more=False)
                           .model_dump_json().encode()) is None
