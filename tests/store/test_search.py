"""Full-text search over the caseload (SQLite FTS5 inside the encrypted database)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest

from eolcare.domain.entities import CircleMember, ContactNote, Person, Service
from eolcare.store import caseload, search, vault
from eolcare.store.database import Store, create_profile, open_profile
from tests.conftest import PASSPHRASE
from tests.domain.factories import TODAY, full, minimal, nhs_numbers
from tests.store.helpers import add_all, new_id

NHS = nhs_numbers(3, seed=7)


def _add_people(store: Store) -> dict[str, Person]:
    made = {
        "sian": minimal(Person, id=new_id(), full_name="Siân Llewellyn", nhs_number=NHS[0],
                        address="12 Heol y Coed, Cardiff"),
        "zoe": minimal(Person, id=new_id(), full_name="Zoë Łukasz-Nguyễn", nhs_number=NHS[1]),
        "arabic": minimal(Person, id=new_id(), full_name="فاطمة الزهراء"),
        "urdu": minimal(Person, id=new_id(), full_name="عائشہ صدیقی"),
        "chinese": minimal(Person, id=new_id(), full_name="王秀英"),
        "japanese": minimal(Person, id=new_id(), full_name="山田花子"),
        "korean": minimal(Person, id=new_id(), full_name="김민준"),
        "hindi": minimal(Person, id=new_id(), full_name="प्रिया शर्मा"),
        "shadda": minimal(Person, id=new_id(), full_name="محمّد علي"),
        "plain": minimal(Person, id=new_id(), full_name="Alan Near", nhs_number=NHS[2]),
    }
    add_all(store, [*made.values(),
                    minimal(CircleMember, id=new_id(), person_id=made["plain"].id,
                            name="Gwendolyn Okonkwo")])
    return made


@pytest.fixture
def people(store: Store) -> dict[str, Person]:
    """The caseload in a store of the test's own (for tests that change it)."""
    return _add_people(store)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Person]]]:
    """One store for the read-only tests of this module (opening one per query is slow)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EOLCARE_HOME", str(tmp_path_factory.mktemp("search-home")))
        create_profile("search", "Test Coordinator", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
        opened = open_profile("search", lambda: PASSPHRASE, use_keyring=False)
    with opened:
        yield opened, _add_people(opened)


def _found(store: Store, query: str) -> list[str]:
    with store.reading() as s:
        return [p.id for p in caseload.find_people(s, query)]


@pytest.mark.parametrize(("query", "who"), [
    ("Siân", "sian"), ("sian", "sian"), ("SIAN llewellyn", "sian"), ("Si", "sian"),
    ("llew", "sian"), ("Zoe", "zoe"), ("zoë", "zoe"), ("lukasz", "zoe"), ("nguyen", "zoe"),
    ("Nguyễn", "zoe"), ("cardiff", "sian"), ("heol coed", "sian"),
    ("فاطمة", "arabic"), ("الزهراء", "arabic"), ("فاط", "arabic"),
    ("عائشہ", "urdu"), ("صدیقی", "urdu"),
    ("王秀英", "chinese"), ("王", "chinese"), ("秀英", "chinese"), ("王 秀英", "chinese"),
    ("花子", "japanese"), ("山田", "japanese"), ("민준", "korean"), ("김민준", "korean"),
    ("प्रिया", "hindi"), ("शर्मा", "hindi"),
    ("محمّد", "shadda"), ("علي", "shadda"),
    ("Gwendolyn", "plain"), ("okonk", "plain"),
])
def test_names_are_found_with_and_without_diacritics_and_by_prefix(
        shared: tuple[Store, dict[str, Person]], query: str, who: str) -> None:
    store, people = shared
    assert _found(store, query) == [people[who].id]


def test_a_name_typed_in_decomposed_unicode_is_found(
        shared: tuple[Store, dict[str, Person]]) -> None:
    store, people = shared
    # macOS and some input methods send "â" as "a" + U+0302.
    typed = unicodedata.normalize("NFD", "Siân")
    assert typed != "Siân"
    assert _found(store, typed) == [people["sian"].id]


@pytest.mark.parametrize("form", ["plain", "spaced", "dashed", "prefix"])
def test_nhs_numbers_are_found_with_or_without_spaces(
        shared: tuple[Store, dict[str, Person]], form: str) -> None:
    store, people = shared
    digits = NHS[0]
    query = {"plain": digits, "spaced": f"{digits[:3]} {digits[3:6]} {digits[6:]}",
             "dashed": f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", "prefix": digits[:6]}[form]
    assert _found(store, query) == [people["sian"].id]


@pytest.mark.parametrize(("query", "finds"), [
    ('"', False), ('""', False), ("*", False), ("AND", False), ("OR", False), ("NOT", False),
    ("NEAR(", True), ("-", False), ("--", False), ("^", False), (":", False), ("'", False),
    ("+", False), ("NEAR(alan", True), ("alan*", True), ('"alan', True), ("(alan", True),
    ("alan)", True), ("{alan}", True), ("alan -near", True), ("alan AND", False),
    ("body:alan", False), ("alan NEAR(near)", True), ('alan" OR "zoe', False),
])
def test_search_syntax_in_a_query_is_harmless(
        shared: tuple[Store, dict[str, Person]], query: str, finds: bool) -> None:
    """Operators are words like any other: "alan AND" asks for a word starting "and"."""
    store, people = shared
    assert _found(store, query) == ([people["plain"].id] if finds else [])


def test_an_empty_query_finds_nobody(shared: tuple[Store, dict[str, Person]]) -> None:
    store, _people = shared
    assert _found(store, "") == []
    assert _found(store, "   ") == []
    assert _found(store, "zzzz") == []


def test_deleted_people_and_circle_members_disappear_from_search(
        store: Store, people: dict[str, Person]) -> None:
    with store.writing(TODAY) as w:
        w.delete(Person, people["sian"].id)
        [member] = list(_circle(store, people["plain"].id))
        w.delete(CircleMember, member.id)
    assert _found(store, "Siân") == []
    assert _found(store, NHS[0]) == []
    assert _found(store, "Gwendolyn") == []
    assert _found(store, "Alan") == [people["plain"].id]
    with store.writing(TODAY) as w:
        w.restore(Person, people["sian"].id)
    assert _found(store, "sian") == [people["sian"].id]


def _circle(store: Store, person_id: str) -> list[CircleMember]:
    with store.reading() as s:
        return caseload.load_record(s, person_id).circle


def test_an_edit_reindexes_the_person(store: Store, people: dict[str, Person]) -> None:
    with store.writing(TODAY) as w:
        w.update(Person, people["plain"].id, full_name="Alan Farr")
    assert _found(store, "near") == []
    assert _found(store, "farr") == [people["plain"].id]


def test_notes_are_searchable_and_directory_entries_are_found_by_kind(
        store: Store, people: dict[str, Person]) -> None:
    note = full(ContactNote, id=new_id(), person_id=people["zoe"].id, amends=None,
                discussed="Talked about the garden and the allotment")
    service = full(Service, id=new_id(), name="Marie Curie Nursing Service")
    add_all(store, [note, service])
    assert _found(store, "allotment") == [people["zoe"].id]
    with store.reading() as s:
        assert search.search_directory(s, "service", "curie") == [service.id]
        assert search.search_directory(s, "volunteer", "curie") == []
        assert search.search_directory(s, "service", 'NEAR("') == []


def test_the_best_match_comes_first_and_limit_is_kept(store: Store) -> None:
    exact = minimal(Person, id=new_id(), full_name="Morgan Morgan Morgan")
    others = [minimal(Person, id=new_id(), full_name=f"Morgan Person{i} Extra Words Here")
              for i in range(5)]
    add_all(store, [*others, exact])
    with store.reading() as s:
        assert search.search_people(s, "morgan")[0] == exact.id
        assert len(search.search_people(s, "morgan", limit=3)) == 3
