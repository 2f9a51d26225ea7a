"""Records that need review: what is contested, and settling it on every device."""

from __future__ import annotations

import pytest

from eolcare.domain.entities import Person
from eolcare.domain.errors import ValidationError
from eolcare.domain.values import Coded
from eolcare.store import review
from eolcare.store.database import Store
from eolcare.store.writes import load
from tests.domain.factories import full
from tests.store.conftest import MakeStore
from tests.store.helpers import add_all, log_of, new_id, ship

HOME = Coded("110481000000108", "at home")
HOSPICE = Coded("108401000000102", "St Mary's Hospice")
HOME_JSON = {"code": HOME.code, "text": HOME.text}
HOSPICE_JSON = {"code": HOSPICE.code, "text": HOSPICE.text}


@pytest.fixture
def pair(make_store: MakeStore) -> tuple[Store, Store, Person]:
    a = make_store("device-a", "Ann Abbott")
    b = make_store("device-b", "Ben Bello")
    person = full(Person, id=new_id(), status=Coded("active"), date_of_death=None,
                  place_of_death=None, preferred_place_of_death=None)
    add_all(a, [person])
    ship(log_of(a), b)
    return a, b, person


def _edit(store: Store, person_id: str, **changes: object) -> None:
    with store.writing() as w:
        w.update(Person, person_id, **changes)


def _exchange(a: Store, b: Store, a_after: int, b_after: int) -> None:
    """Each device receives the other's operations made after the given log positions."""
    ship(log_of(a, a_after), b)
    ship(log_of(b, b_after), a)


def _seqs(*stores: Store) -> list[int]:
    return [len(log_of(s)) for s in stores]


def _flagged(store: Store, person_id: str) -> bool:
    with store.reading() as s:
        person = load(s, Person, person_id)
    assert person.provenance is not None
    return person.provenance.needs_review


@pytest.fixture
def contested(pair: tuple[Store, Store, Person]) -> tuple[Store, Store, Person]:
    """A and B chose different preferred places of death without seeing each other's."""
    a, b, person = pair
    seq_a, seq_b = _seqs(a, b)
    _edit(a, person.id, preferred_place_of_death=HOME)
    _edit(b, person.id, preferred_place_of_death=HOSPICE)
    _exchange(a, b, seq_a, seq_b)
    return a, b, person


def test_a_concurrent_significant_edit_lists_both_values_on_both_devices(
        contested: tuple[Store, Store, Person]) -> None:
    a, b, person = contested
    for store in (a, b):
        assert _flagged(store, person.id)
        with store.reading() as s:
            found = review.conflicts(s, person.id)
            assert review.count_needing_review(s) == 1
        assert len(found) == 1
        conflict = found[0]
        assert conflict.field == "preferred_place_of_death"
        assert conflict.person_name == person.full_name
        assert conflict.label == Person.FIELDS["preferred_place_of_death"].label
        values = {str(v.raw): (v.author, v.current) for v in conflict.values}
        # the newer edit (B's) stands everywhere; A's is kept beside it
        assert values == {str(HOSPICE_JSON): ("Ben Bello", True),
                          str(HOME_JSON): ("Ann Abbott", False)}
        assert {v.text for v in conflict.values} == {"Hospice (St Mary's Hospice)",
                                                     "Home (at home)"}


def test_choosing_the_losing_value_settles_it_on_both_devices(
        contested: tuple[Store, Store, Person]) -> None:
    a, b, person = contested
    seq_a, seq_b = _seqs(a, b)
    with a.writing() as w:
        chosen = review.resolve(w, "person", person.id, "preferred_place_of_death", HOME_JSON)
    assert isinstance(chosen, Person)
    assert chosen.preferred_place_of_death == HOME
    assert not _flagged(a, person.id)
    _exchange(a, b, seq_a, seq_b)
    for store in (a, b):
        assert not _flagged(store, person.id)
        with store.reading() as s:
            assert review.conflicts(s) == []
            assert load(s, Person, person.id).preferred_place_of_death == HOME


def test_choosing_the_standing_value_still_settles_it_everywhere(
        contested: tuple[Store, Store, Person]) -> None:
    a, b, person = contested
    seq_a, seq_b = _seqs(a, b)
    with b.writing() as w:
        review.resolve(w, "person", person.id, "preferred_place_of_death", HOSPICE_JSON)
    _exchange(a, b, seq_a, seq_b)
    for store in (a, b):
        assert not _flagged(store, person.id)
        with store.reading() as s:
            assert load(s, Person, person.id).preferred_place_of_death == HOSPICE


def test_an_ordinary_edit_does_not_clear_the_flag(
        contested: tuple[Store, Store, Person]) -> None:
    a, _, person = contested
    _edit(a, person.id, preferred_place_of_death=HOME)
    assert _flagged(a, person.id)
    _edit(a, person.id, funeral_wishes="Cremation")
    assert _flagged(a, person.id)


def test_a_field_with_nothing_contested_cannot_be_resolved(
        contested: tuple[Store, Store, Person]) -> None:
    a, _, person = contested
    with pytest.raises(ValidationError, match="no competing values"), a.writing() as w:
        review.resolve(w, "person", person.id, "funeral_wishes", "Cremation")
    with a.reading() as s:
        assert load(s, Person, person.id).funeral_wishes == person.funeral_wishes
    assert _flagged(a, person.id)


def test_sequential_edits_are_not_contested(pair: tuple[Store, Store, Person]) -> None:
    a, b, person = pair
    seq_a, seq_b = _seqs(a, b)
    _edit(a, person.id, preferred_place_of_death=HOME)
    _exchange(a, b, seq_a, seq_b)
    seq_a, seq_b = _seqs(a, b)
    _edit(b, person.id, preferred_place_of_death=HOSPICE)
    _exchange(a, b, seq_a, seq_b)
    for store in (a, b):
        assert not _flagged(store, person.id)
        with store.reading() as s:
            assert review.conflicts(s) == []


def test_an_edit_as_seen_that_met_a_newer_value_is_contested(
        pair: tuple[Store, Store, Person]) -> None:
    """The form loaded before B's change arrived, saved after it: both values listed."""
    a, b, person = pair
    with a.reading() as s:
        loaded = load(s, Person, person.id)
    assert loaded.provenance is not None
    seq_b = len(log_of(b))
    _edit(b, person.id, preferred_place_of_death=HOSPICE)
    ship(log_of(b, seq_b), a)
    with a.writing() as w:
        w.update(Person, person.id, seen=loaded.provenance.stamps,
                 preferred_place_of_death=HOME)
    assert _flagged(a, person.id)
    with a.reading() as s:
        (conflict,) = review.conflicts(s, person.id)
    assert {str(v.raw) for v in conflict.values} == {str(HOME_JSON), str(HOSPICE_JSON)}


def test_a_flag_without_a_contested_field_is_marked_reviewed(
        pair: tuple[Store, Store, Person]) -> None:
    """B deletes the record while A edits it: A's edit brings it back, flagged."""
    a, b, person = pair
    seq_a, seq_b = _seqs(a, b)
    with b.writing() as w:
        w.delete(Person, person.id)
    _edit(a, person.id, funeral_wishes="A woodland burial")
    _exchange(a, b, seq_a, seq_b)
    assert _flagged(b, person.id)
    with b.reading() as s:
        (conflict,) = review.conflicts(s, person.id)
    assert conflict.field is None
    seq_a, seq_b = _seqs(a, b)
    with b.writing() as w:
        review.mark_reviewed(w, "person", person.id)
    _exchange(a, b, seq_a, seq_b)
    for store in (a, b):
        assert not _flagged(store, person.id)
