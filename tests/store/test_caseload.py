"""Reading the caseload: a whole record, the list, reviews due."""

from __future__ import annotations

from datetime import date, timedelta

from eolcare.domain.entities import Person, Task
from eolcare.domain.values import Coded
from eolcare.store import caseload
from eolcare.store.database import Store
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
        assert caseload.count_people(s) == 4


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
