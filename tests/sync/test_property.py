"""Random interleavings of edits, deletes, restores, notes and syncs across three
laptops through the real server: they converge, every value made is the winner or
kept in the history, and nothing is duplicated."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from eolcare.domain.entities import ContactNote, Person
from eolcare.domain.values import Coded
from eolcare.store.tables import FieldChangeRow, OperationRow
from eolcare.store.writes import load
from tests.domain.factories import TODAY, minimal
from tests.sync.conftest import Laptop, converge, snapshot
from tests.sync.test_teams import add_person

Team = Callable[[int], list[Laptop]]
PLACES = ["110481000000108", "108401000000102", "710571000000101"]
FIELDS = {"preferred_place_of_death": lambda v: Coded(PLACES[v % 3]),
          "address": lambda v: f"{v} Test Street", "phone": lambda v: f"0161 496 0{v:03d}"}

actions = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 2), st.sampled_from(sorted(FIELDS)),
              st.integers(0, 999)),
    st.tuples(st.just("delete"), st.integers(0, 2)),
    st.tuples(st.just("restore"), st.integers(0, 2)),
    st.tuples(st.just("note"), st.integers(0, 2)),
    st.tuples(st.just("sync"), st.integers(0, 2)),
), min_size=1, max_size=14)


_SHARED: dict[int, list[Laptop]] = {}


def _deleted(laptop: Laptop, pid: str) -> bool:
    with laptop.store.reading() as s:
        p = load(s, Person, pid, deleted=True)
    return bool(p.provenance and p.provenance.deleted)


@pytest.mark.slow
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=actions)
def test_random_interleavings_converge_and_lose_nothing(team: Team, steps: list[tuple]
                                                        ) -> None:
    laptops = _SHARED.setdefault(id(team), team(3))  # one team for every example
    pid = add_person(laptops[0], "Random Walk").id
    converge(laptops)
    made: set[tuple[str, str]] = set()
    for step in steps:
        laptop = laptops[step[1]]
        if step[0] == "sync":
            laptop.sync()
        elif step[0] == "edit":
            if _deleted(laptop, pid):
                continue
            value = FIELDS[step[2]](step[3])
            with laptop.store.writing(TODAY) as w:
                w.update(Person, pid, **{step[2]: value})
            made.add((step[2], value.code if isinstance(value, Coded) else value))
        elif step[0] == "note" and not _deleted(laptop, pid):
            with laptop.store.writing(TODAY) as w:
                w.add(minimal(ContactNote, id=str(uuid.uuid4()), person_id=pid,
                              discussed="a note"))
        elif step[0] == "delete" and not _deleted(laptop, pid):
            with laptop.store.writing(TODAY) as w:
                w.delete(Person, pid)
        elif step[0] == "restore" and _deleted(laptop, pid):
            with laptop.store.writing(TODAY) as w:
                w.restore(Person, pid)
    converge(laptops)
    first = snapshot(laptops[0].store)
    people = [p["id"] for p in first["person"]]
    assert pid in people
    assert len(people) == len(set(people))  # no duplicates
    for laptop in laptops:
        assert snapshot(laptop.store) == first
        with laptop.store.reading() as s:
            kept = {(r.field, r.new["code"] if isinstance(r.new, dict) else r.new)
                    for r in s.scalars(select(FieldChangeRow).where(
                        FieldChangeRow.entity_id == pid))}
            ids = list(s.scalars(select(OperationRow.op_id)))
        assert made <= kept
        assert len(ids) == len(set(ids))
