"""Two and three coordinators edit offline, then sync in every order: all converge,
nothing is lost (every value made is the winner or kept in the history for review)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from eolcare.domain.entities import ContactNote, Person
from eolcare.domain.values import Coded
from eolcare.store.tables import FieldChangeRow
from tests.domain.factories import TODAY, minimal
from tests.sync.conftest import Laptop, converge, op_ids, snapshot
from tests.sync.test_teams import add_person

Team = Callable[[int], list[Laptop]]
PLACES = [Coded("110481000000108", "at home"), Coded("108401000000102", "St Mary's Hospice"),
          Coded("710571000000101", "in a care home")]
OWN_FIELD = ["address", "postcode", "home_access"]


def values_kept(laptop: Laptop) -> set[tuple[str, str, str]]:
    with laptop.store.reading() as s:
        return {(r.entity_id, r.field, r.new["code"] if isinstance(r.new, dict) else repr(r.new))
                for r in s.scalars(select(FieldChangeRow))}


def _edit_offline(laptops: list[Laptop], p: Person, round_: int) -> set[tuple[str, str, str]]:
    made: set[tuple[str, str, str]] = set()
    for i, laptop in enumerate(laptops):
        place = PLACES[(i + round_) % len(PLACES)]
        own: dict[str, Any] = {OWN_FIELD[i]: f"value {round_}-{i}"}
        with laptop.store.writing(TODAY) as w:
            w.update(Person, p.id, preferred_place_of_death=place, **own)
            w.add(minimal(ContactNote, id=str(uuid.uuid4()), person_id=p.id,
                          discussed=f"note {round_}-{i}"))
        made.add((p.id, "preferred_place_of_death", place.code))
        made.add((p.id, OWN_FIELD[i], repr(own[OWN_FIELD[i]])))
    return made


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 3])
def test_offline_edits_synced_in_every_order_converge_and_keep_every_value(
        team: Team, n: int) -> None:
    laptops = team(n)
    p = add_person(laptops[0], "Every Order")
    converge(laptops)
    for round_, order in enumerate(itertools.permutations(laptops)):
        made = _edit_offline(laptops, p, round_)
        for laptop in order:  # each syncs once in this order, then all until quiet
            laptop.sync()
        converge(laptops)
        first = snapshot(laptops[0].store)
        assert first["contact"]  # notes are never merged away
        for laptop in laptops[1:]:
            assert snapshot(laptop.store) == first, f"order {round_} diverged"
            assert op_ids(laptop.store) == op_ids(laptops[0].store)
        for laptop in laptops:
            kept = values_kept(laptop)
            assert {m for m in made if m[1] in OWN_FIELD} <= kept
            places = {(e, f, c) for e, f, c in kept if f == "preferred_place_of_death"}
            assert {m for m in made if m[1] == "preferred_place_of_death"} <= places
        winner = snapshot(laptops[0].store)["person"][0]
        for i in range(len(laptops)):
            assert winner[OWN_FIELD[i]] == f"value {round_}-{i}"  # different fields: all kept
