"""Reading the caseload: a whole record, the list, reviews due."""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from eolcare.domain import codes
from eolcare.domain.entities import CircleMember, Involvement, Person, Service, Task
from eolcare.domain.schema import Entity
from eolcare.domain.values import Coded
from eolcare.store import accounts, caseload, warming
from eolcare.store.database import Store
from eolcare.store.tables import OperationRow
from tests.domain.factories import TODAY, full, minimal
from tests.store.helpers import add_all, linked_record, new_id


def test_load_record_returns_every_section(store: Store) -> None:
    record = linked_record()
    person = record[0]
    unrelated = linked_record(full_name="Someone Else", nhs_number="4010232137")
    add_all(store, record + unrelated)
    with store.reading() as s:
        got = caseload.load_record(s, person.id)
    by_kind: dict[str, list[object]] = {}
    for e in record[1:]:
        by_kind.setdefault(e.KIND, []).append(e)
    assert got.person == person
    assert got.circle == by_kind["circle_member"]
    assert got.documents == by_kind["document"]
    assert got.tasks == by_kind["task"]
    assert got.rota == by_kind["rota_slot"]
    assert sorted(got.contacts, key=lambda c: c.id) == sorted(by_kind["contact"],  # type: ignore[attr-defined]
                                                                key=lambda c: c.id)  # type: ignore[attr-defined]
    assert [(si.involvement, si.service) for si in got.services] == [
        (by_kind["involvement"][0], by_kind["service"][0])]
    assert got.main_carer == by_kind["circle_member"][0]
    assert not got.needs_review


def test_load_record_leaves_out_deleted_entries(store: Store) -> None:
    record = linked_record()
    add_all(store, record)
    task = next(e for e in record if e.KIND == "task")
    with store.writing(TODAY) as w:
        w.delete(Task, task.id)
    with store.reading() as s:
        assert caseload.load_record(s, record[0].id).tasks == []


def _person(name: str, status: str | None, **more: object) -> Person:
    extra: dict[str, object] = {}
    if status == "died":
        extra = {"date_of_death": date(2025, 6, 1)}
    if status == "discharged":
        extra = {"discharged_on": date(2025, 6, 1)}
    return minimal(Person, id=new_id(), full_name=name,
                   status=Coded(status) if status else None, **extra, **more)


def test_list_people_leaves_out_those_who_died_or_were_discharged(store: Store) -> None:
    people = [_person("Cara Active", "active"), _person("Ann NoStatus", None),
              _person("Bob Died", "died"), _person("Dan Discharged", "discharged"),
              _person("Eve Deleted", "active")]
    add_all(store, people)
    with store.writing(TODAY) as w:
        w.delete(Person, people[-1].id)
    with store.reading() as s:
        assert [p.full_name for p in caseload.list_people(s)] == ["Ann NoStatus", "Cara Active"]
        assert [p.full_name for p in caseload.list_people(s, include_ended=True)] == [
            "Ann NoStatus", "Bob Died", "Cara Active", "Dan Discharged"]
        assert [p.full_name for p in caseload.list_people(s, include_ended=True, limit=2,
                                                          offset=1)] == [
            "Bob Died", "Cara Active"]
        assert caseload.count_people(s) == 2
        assert caseload.count_people(s, caseload.CaseloadFilter(include_ended=True)) == 4


def test_reviews_due_lists_overdue_and_due_soon_but_not_done_or_of_the_dead(
        store: Store) -> None:
    today = TODAY
    soon, late, far = today + timedelta(days=10), today - timedelta(days=3), today + timedelta(
        days=40)
    decided = today - timedelta(days=100)
    alive = _person("Alive Person", "active", cpr_date=decided, cpr_review_date=late,
                    preferences_date=decided, preferences_review_date=soon)
    later = _person("Later Person", "active", cpr_date=decided, cpr_review_date=far)
    dead = _person("Dead Person", "died", cpr_date=decided, cpr_review_date=late,
                   preferences_date=decided, preferences_review_date=soon)
    tasks = [
        minimal(Task, id=new_id(), person_id=alive.id, title="Call the GP", due=soon),
        minimal(Task, id=new_id(), person_id=alive.id, title="Done already", due=late,
                done_on=late),
        minimal(Task, id=new_id(), person_id=alive.id, title="Far away", due=far),
        minimal(Task, id=new_id(), person_id=dead.id, title="For the dead", due=late),
        minimal(Task, id=new_id(), person_id=None, title="Team meeting", due=today),
    ]
    deleted_task = minimal(Task, id=new_id(), person_id=alive.id, title="Deleted", due=late)
    add_all(store, [alive, later, dead, *tasks, deleted_task])
    with store.writing(today) as w:
        w.delete(Task, deleted_task.id)
    with store.reading() as s:
        due = caseload.reviews_due(s, today)
    assert [(r.person_name, r.what, r.due, r.source) for r in due] == [
        ("Alive Person", "Review CPR decision", late, "cpr"),
        (None, "Team meeting", today, "task"),
        ("Alive Person", "Call the GP", soon, "task"),
        ("Alive Person", "Review preferences", soon, "preferences"),
    ]
    assert due[0].overdue(today)
    assert not due[1].overdue(today)
    assert due[2].task_id == tasks[0].id
    with store.reading() as s:
        wider = caseload.reviews_due(s, today, within_days=60)
    added = {(r.person_name, r.what) for r in wider} - {(r.person_name, r.what) for r in due}
    assert added == {("Alive Person", "Far away"), ("Later Person", "Review CPR decision")}
    assert len(wider) == len(due) + 2


def test_a_full_person_who_died_is_not_listed(store: Store) -> None:
    add_all(store, [full(Person, id=new_id())])  # the factory's person has died
    with store.reading() as s:
        assert caseload.list_people(s) == []
        assert caseload.reviews_due(s, TODAY, within_days=10_000) == []


# -- the caseload as a lazy table: one filter, count and rows agree --------------------

STAGES = [c.code for c in codes.GSF_STAGE]
PLACES = [c.code for c in codes.PLACE][:5]
CPR = [c.code for c in codes.CPR_DECISION]


def _caseload(rng: random.Random, size: int) -> tuple[list[Person], list[Entity]]:
    """People with every combination the filters and sorts look at, some left blank."""
    people: list[Person] = []
    more: list[Entity] = []
    svc = minimal(Service, id=new_id())
    more.append(svc)
    for n in range(size):
        status = rng.choice([None, "active", "active", "died", "discharged"])
        cpr_review = rng.choice([None, TODAY + timedelta(days=rng.randint(-40, 90))])
        prefs_review = rng.choice([None, TODAY + timedelta(days=rng.randint(-40, 90))])
        person = _person(
            f"{rng.choice(['Ann', 'Bob', 'Cy', 'Di'])} Person{n:03d}", status,
            date_of_birth=rng.choice([None, date(1930 + rng.randint(0, 60), 1 + n % 12, 5)]),
            gsf_stage=rng.choice([None, *(Coded(c) for c in STAGES)]),
            preferred_place_of_death=rng.choice([None, *(Coded(c) for c in PLACES)]),
            cpr_decision=rng.choice([None, *(Coded(c) for c in CPR)]),
            cpr_date=cpr_review - timedelta(days=100) if cpr_review else None,
            cpr_review_date=cpr_review,
            preferences_date=prefs_review - timedelta(days=100) if prefs_review else None,
            preferences_review_date=prefs_review,
        )
        people.append(person)
        for _ in range(rng.randint(0, 2)):
            due = TODAY + timedelta(days=rng.randint(-30, 60))
            more.append(minimal(Task, id=new_id(), person_id=person.id, title="Call",
                                due=due, done_on=rng.choice([None, TODAY])))
        for _ in range(rng.randint(0, 2)):
            since = TODAY - timedelta(days=rng.randint(0, 300))
            until = rng.choice([None, None, since + timedelta(days=rng.randint(0, 400))])
            more.append(minimal(Involvement, id=new_id(), person_id=person.id,
                                service_id=svc.id, since=since, until=until,
                                professional=f"Pro {rng.randint(0, 999)}",
                                role=rng.choice(["Key worker", "keyworker", "GP", None])))
    return people, more


def _next_review(p: Person, tasks: list[Task]) -> date | None:
    dues = [d for d in (p.cpr_review_date, p.preferences_review_date) if d is not None]
    dues += [t.due for t in tasks if t.person_id == p.id and t.done_on is None and t.due]
    return min(dues, default=None)


def _key_worker(p: Person, involvements: list[Involvement]) -> str | None:
    current = [i for i in involvements
               if i.person_id == p.id and "key" in (i.role or "").lower()
               and "worker" in (i.role or "").lower() and i.professional
               and (i.since is None or i.since <= TODAY) and (i.until is None or i.until >= TODAY)]
    current.sort(key=lambda i: (-(i.since or date.min).toordinal(), i.id))
    return current[0].professional if current else None


def _shown(flt: caseload.CaseloadFilter, p: Person, tasks: list[Task]) -> bool:
    """What a filter means, written out plainly: the oracle for the queries."""
    status = p.status.code if p.status else None
    ended = status in ("died", "discharged")
    due = _next_review(p, tasks)
    return all([
        not ended or flt.include_ended or status in flt.statuses,
        not flt.statuses or status in flt.statuses,
        not flt.gsf_stages or (p.gsf_stage is not None and p.gsf_stage.code in flt.gsf_stages),
        not flt.no_preferred_place or p.preferred_place_of_death is None,
        not flt.no_cpr_decision or p.cpr_decision is None,
        not flt.reviews_overdue or (due is not None and due < TODAY),
        not flt.text or flt.text.lower() in (p.full_name or "").lower(),
    ])


FILTERS = [
    caseload.CaseloadFilter(),
    caseload.CaseloadFilter(include_ended=True),
    caseload.CaseloadFilter(statuses=frozenset({"died"})),
    caseload.CaseloadFilter(statuses=frozenset({"active", "discharged"})),
    caseload.CaseloadFilter(gsf_stages=frozenset(STAGES[2:])),
    caseload.CaseloadFilter(reviews_overdue=True),
    caseload.CaseloadFilter(reviews_overdue=True, include_ended=True),
    caseload.CaseloadFilter(no_preferred_place=True),
    caseload.CaseloadFilter(no_cpr_decision=True),
    caseload.CaseloadFilter(no_cpr_decision=True, no_preferred_place=True,
                            gsf_stages=frozenset(STAGES[:2]), include_ended=True),
    caseload.CaseloadFilter(text="person01"),
    caseload.CaseloadFilter(text="person01", reviews_overdue=True, include_ended=True),
    caseload.CaseloadFilter(text="nobody-like-this"),
]


@pytest.fixture
def varied(store: Store) -> tuple[list[Person], list[Task], list[Involvement]]:
    people, more = _caseload(random.Random(1580), 60)
    add_all(store, [*people, *more])
    gone = people.pop()
    with store.writing(TODAY) as w:
        w.delete(Person, gone.id)  # a deleted person is never counted nor listed
    tasks = [e for e in more if isinstance(e, Task)]
    involvements = [e for e in more if isinstance(e, Involvement)]
    return people, tasks, involvements


def test_count_and_rows_agree_with_what_each_filter_means(
        store: Store, varied: tuple[list[Person], list[Task], list[Involvement]]) -> None:
    people, tasks, _ = varied
    for flt in FILTERS:  # one caseload for every filter (building it is the slow part)
        expected = sorted((p for p in people if _shown(flt, p, tasks)),
                          key=lambda p: (p.full_name, p.id))
        with store.reading() as s:
            ids = caseload.person_ids(s, flt, today=TODAY)
            count = caseload.count_people(s, flt, TODAY)
        assert ids == [p.id for p in expected], flt
        assert count == len(ids), flt


def test_the_filters_are_not_trivial(varied: tuple[list[Person], list[Task],
                                                  list[Involvement]]) -> None:
    """Each filter of the list above shows some people and hides others (else the
    agreement test could pass with a query that ignores it)."""
    people, tasks, _ = varied
    for flt in FILTERS[2:-1]:  # (the first two show everyone but the deleted)
        shown = sum(_shown(flt, p, tasks) for p in people)
        assert 0 < shown < len(people), flt


def _sort_value(sort: str, p: Person, tasks: list[Task],
                involvements: list[Involvement]) -> Any:
    def position(value: Coded | None, listed: list[str]) -> int | None:
        return None if value is None else listed.index(value.code)

    match sort:
        case "age" | "date_of_birth":
            return p.date_of_birth
        case "gsf_stage":
            return position(p.gsf_stage, STAGES)
        case "preferred_place":
            return position(p.preferred_place_of_death, [c.code for c in codes.PLACE])
        case "cpr_decision":
            return position(p.cpr_decision, CPR)
        case "status":
            return position(p.status, [c.code for c in codes.STATUS])
        case "next_review":
            return _next_review(p, tasks)
        case "key_worker":
            return _key_worker(p, involvements)
    raise AssertionError(sort)


def test_each_sort_orders_the_rows_and_keeps_blanks_last(
        store: Store, varied: tuple[list[Person], list[Task], list[Involvement]]) -> None:
    people, tasks, involvements = varied
    flt = caseload.CaseloadFilter(include_ended=True)
    for sort in caseload.SORTS:
        for descending in (False, True):
            with store.reading() as s:
                ids = caseload.person_ids(s, flt, sort, descending, today=TODAY)
            _check_order(ids, people, tasks, involvements, sort=sort, descending=descending)


def _check_order(ids: list[str], people: list[Person], tasks: list[Task],
                 involvements: list[Involvement], *, sort: str, descending: bool) -> None:
    by_id = {p.id: p for p in people}
    assert sorted(ids) == sorted(by_id)
    if sort == "name":
        names = [(by_id[i].full_name, i) for i in ids]
        assert names == sorted(names, reverse=descending)
        return
    values = [_sort_value(sort, by_id[i], tasks, involvements) for i in ids]
    given = [v for v in values if v is not None]
    assert values == given + [None] * (len(values) - len(given)), sort  # blanks last
    backwards = sort == "age"
    assert given == sorted(given, reverse=descending != backwards), (sort, descending)
    assert len(set(given)) > 1
    assert len(given) < len(values)
    for value in set(values):  # ties in name order
        tied = [(by_id[i].full_name, i) for i, v in zip(ids, values, strict=True) if v == value]
        assert tied == sorted(tied)


def test_summaries_of_a_page_come_in_the_order_asked(
        store: Store, varied: tuple[list[Person], list[Task], list[Involvement]]) -> None:
    people, tasks, involvements = varied
    with store.reading() as s:
        ids = caseload.person_ids(s, caseload.CaseloadFilter(include_ended=True),
                                  "next_review", today=TODAY)
        page = [*ids[10:30][::-1], "not-a-person"]
        got = caseload.summaries(s, page, TODAY)
    by_id = {p.id: p for p in people}
    assert [g.id for g in got] == page[:-1]
    for summary in got:
        p = by_id[summary.id]
        assert (summary.full_name, summary.date_of_birth, summary.nhs_number) == (
            p.full_name, p.date_of_birth, p.nhs_number)
        assert summary.status == (p.status.code if p.status else None)
        assert summary.gsf_stage == (p.gsf_stage.code if p.gsf_stage else None)
        assert summary.preferred_place_of_death == p.preferred_place_of_death
        assert summary.cpr_decision == p.cpr_decision
        assert summary.next_review == _next_review(p, tasks)
        assert summary.key_worker == _key_worker(p, involvements)
    assert {s.key_worker is None for s in got} == {True, False}
    assert {s.next_review is None for s in got} == {False}  # sorted: the page has reviews


def test_list_and_find_are_built_on_the_same_queries(
        store: Store, varied: tuple[list[Person], list[Task], list[Involvement]]) -> None:
    with store.reading() as s:
        listed = caseload.list_people(s, limit=7, offset=3, today=TODAY)
        ids = caseload.person_ids(s, today=TODAY)
        assert [p.id for p in listed] == ids[3:10]
        assert listed == caseload.summaries(s, ids[3:10], TODAY)
        found = caseload.find_people(s, "Person012", today=TODAY)
        assert [p.full_name[-9:] for p in found] == ["Person012"]
        assert found == caseload.summaries(s, [found[0].id], TODAY)


def test_an_unknown_sort_is_refused(store: Store) -> None:
    with store.reading() as s, pytest.raises(ValueError, match="unknown caseload sort"):
        caseload.person_ids(s, sort="shoe size")


@pytest.mark.parametrize("few", [0, 10_000])  # the broad-search path, and the narrow one
def test_a_search_keeps_the_order_and_sees_every_change(
        store: Store, few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caseload, "_FEW_MATCHES", few)
    names = ["Wilma Zed", "Bob Wilson", "Alice Wild", "Carl Other", "Willa Ended"]
    with store.writing(TODAY) as w:
        ids = {n: w.add(_person(n, "died" if n == "Willa Ended" else "active")).id
               for n in names}
    flt = caseload.CaseloadFilter(text="wil")
    with store.reading() as s:
        assert caseload.person_ids(s, today=TODAY) == [
            ids[n] for n in ("Alice Wild", "Bob Wilson", "Carl Other", "Wilma Zed")]
        assert caseload.person_ids(s, flt, today=TODAY) == [
            ids["Alice Wild"], ids["Bob Wilson"], ids["Wilma Zed"]]
        assert caseload.person_ids(s, flt, descending=True, today=TODAY) == [
            ids["Wilma Zed"], ids["Bob Wilson"], ids["Alice Wild"]]
    with store.writing(TODAY) as w:  # the ordered caseload kept between searches is new
        added = w.add(_person("Aaron Wilkes", "active")).id
        w.delete(Person, ids["Bob Wilson"])
    with store.reading() as s:
        assert caseload.person_ids(s, flt, today=TODAY) == [
            added, ids["Alice Wild"], ids["Wilma Zed"]]
        assert caseload.person_ids(s, today=TODAY)[0] == added
        assert len(caseload.person_ids(s, flt, today=TODAY)) == caseload.count_people(
            s, flt, TODAY)


def test_search_sees_renames_other_records_and_a_log_emptied_by_signing_out(
        store: Store) -> None:
    flt = caseload.CaseloadFilter(text="wil")
    with store.writing(TODAY) as w:
        alice = w.add(_person("Alice Wild", "active")).id
        carl = w.add(_person("Carl Other", "active")).id
    with store.reading() as s:
        assert caseload.person_ids(s, flt, today=TODAY) == [alice]
    with store.writing(TODAY) as w:  # same index row, new text
        w.update(Person, alice, full_name="Alice Stone")
        w.add(minimal(CircleMember, id=new_id(), person_id=carl, name="Wilf Neighbour"))
    with store.reading() as s:
        assert caseload.person_ids(s, flt, today=TODAY) == [carl]  # found by his circle
        last = s.scalar(select(func.max(OperationRow.seq)))
    with store.writing(TODAY) as w:  # signing out: records and log gone, numbers reused
        accounts.forget_team_data(w.session)
    wilbur = None
    while True:
        with store.writing(TODAY) as w:
            made = w.add(_person("Wilbur New" if wilbur is None else "Zoe Filler", "active"))
            wilbur = wilbur or made.id
        with store.reading() as s:
            if s.scalar(select(func.max(OperationRow.seq))) >= last:
                break
    with store.reading() as s:
        assert s.scalar(select(func.max(OperationRow.seq))) == last  # the same number again
        assert caseload.person_ids(s, flt, today=TODAY) == [wilbur]
        assert caseload.count_people(s, flt, TODAY) == 1


# -- warming the pages a search reads ----------------------------------------------------


def test_warming_reads_each_table_and_index_a_search_needs(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    with store.writing(TODAY) as w:
        w.add(_person("Winifred Quartermaine", "active", nhs_number="9434765919"))
    warmer = warming.PageWarmer(store.reading)
    with caplog.at_level(logging.INFO, logger="eolcare"):
        done = warmer.run()
    # every step ran: an index renamed by a migration would make its step fail
    assert done == [what for what, _ in warming.WARM_STATEMENTS]
    assert "failed" not in caplog.text
    steps = len(warming.WARM_STATEMENTS)
    assert f"{steps} of {steps} steps" in caplog.text
    for secret in ("Winifred", "Quartermaine", "9434765919", "943 476 5919"):
        assert secret not in caplog.text  # the log says which step, never what was read
    with store.reading() as s:  # the store is as usable as before
        assert caseload.count_people(s, today=TODAY) == 1


_SLOW = ("a slow step", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
         "WHERE i < 1000000000) SELECT count(*) FROM n")


def test_warming_stopped_midway_interrupts_the_running_statement(
        store: Store, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(warming, "WARM_STATEMENTS",
                        (warming.WARM_STATEMENTS[0], _SLOW, *warming.WARM_STATEMENTS[1:]))
    warmer = warming.PageWarmer(store.reading)
    stopper = threading.Timer(0.3, warmer.stop)
    stopper.start()
    started = time.perf_counter()
    with caplog.at_level(logging.INFO, logger="eolcare"):
        done = warmer.run()  # a billion rows would take minutes: it is interrupted
    stopper.join()
    assert time.perf_counter() - started < 5
    assert done == [warming.WARM_STATEMENTS[0][0]]  # nothing after the interrupted step
    assert warmer.stopped
    assert "failed" not in caplog.text
    assert "(stopped)" in caplog.text
    with store.reading() as s:  # the connection went back to the pool in working order
        assert caseload.count_people(s, today=TODAY) == 0
        assert s.scalar(select(func.count()).select_from(caseload.PEOPLE)) == 0


def test_warming_stopped_before_it_starts_reads_nothing(store: Store) -> None:
    warmer = warming.PageWarmer(store.reading)
    warmer.stop()
    assert warmer.run() == []


def test_a_warming_step_that_fails_is_logged_and_the_rest_still_run(
        store: Store, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    broken = ("an index since renamed", "SELECT count(*) FROM person INDEXED BY no_such_index")
    monkeypatch.setattr(warming, "WARM_STATEMENTS", (broken, *warming.WARM_STATEMENTS))
    with caplog.at_level(logging.INFO, logger="eolcare"):
        done = warming.PageWarmer(store.reading).run()
    assert done == [what for what, _ in warming.WARM_STATEMENTS[1:]]
    assert "an index since renamed failed" in caplog.text


def test_the_file_cache_share_follows_what_the_system_holds(tmp_path: Path) -> None:
    data = tmp_path / "file.bin"
    data.write_bytes(os.urandom(1 << 20))
    with data.open("rb") as f:
        os.fsync(f.fileno())
        if not hasattr(os, "posix_fadvise"):
            pytest.skip("no posix_fadvise here to empty the cache of one file")
        os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)  # out of the cache
    share = warming.cached_share(data)
    if share is None:
        pytest.skip("no mincore here")
    assert share < 0.5
    data.read_bytes()
    assert warming.cached_share(data) == pytest.approx(1.0, abs=0.01)
    empty = tmp_path / "empty"
    empty.touch()
    assert warming.cached_share(empty) == 1.0
    assert warming.cached_share(tmp_path / "missing") is None


def test_warming_is_skipped_when_the_file_cache_holds_the_database(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    database = store.profile.db_path
    if warming.cached_share(database) is None:
        pytest.skip("no mincore here")
    held = warming.PageWarmer(store.reading, database, cached_enough=0.0)
    with caplog.at_level(logging.INFO, logger="eolcare"):
        assert held.run() == []  # nothing read
    assert "not warmed" in caplog.text
    assert held.cached_after is not None
    needed = warming.PageWarmer(store.reading, database, cached_enough=1.01)
    assert needed.run() == [what for what, _ in warming.WARM_STATEMENTS]
    assert needed.cached_after is not None


def test_warming_gives_way_while_the_window_is_busy(store: Store) -> None:
    with store.writing(TODAY) as w:
        for n in range(30):
            w.add(_person(f"Person {n:03} Busyton", "active"))
    # a chunk of one block at a time: the search index is read in several chunks
    statements = tuple((what, sql.replace("LIMIT 256", "LIMIT 1"))
                       for what, sql in warming.WARM_STATEMENTS)
    busy = threading.Event()
    busy.set()  # a search is running
    warmer = warming.PageWarmer(store.reading, busy=busy.is_set)
    results: list[list[str]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(warming, "WARM_STATEMENTS", statements)
        thread = threading.Thread(target=lambda: results.append(warmer.run()))
        thread.start()
        thread.join(0.3)
        assert thread.is_alive()
        assert warmer.done == []  # nothing read while busy
        busy.clear()
        thread.join(10)
    assert results == [[what for what, _ in statements]]
