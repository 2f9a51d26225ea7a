"""Concurrent edits: the needs-review banner, choosing a value, and saving against what was seen."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import PREFERENCES, Person
from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import OpAction, Operation
from eolcare.domain.schema import to_json
from eolcare.domain.values import Coded
from eolcare.gui.record import PersonEditorWidget
from eolcare.store import caseload
from eolcare.store.database import Store
from eolcare.store.writes import apply_operation, load
from tests.gui.record.helpers import choose, click

HOME = Coded("110481000000108", "at home")
HOSPICE = Coded("108401000000102", "St Mary's")
SPEC = Person.FIELDS["preferred_place_of_death"]


def _person(store: Store, person_id: str) -> Person:
    with store.reading() as s:
        return load(s, Person, person_id)


def receive_older_edit(store: Store, person_id: str, **changes: Any) -> None:
    """An edit made on another device before ours, arriving now (sync's receive path)."""
    with store.writing() as w:
        newest = max(c.at for c in caseload.history(w.session, person_id))
        stamp = Stamp(int(newest.timestamp() * 1000) - 5_000, 0, "otherdevice")
        op = Operation(kind="person", entity_id=person_id, action=OpAction.UPDATE, stamp=stamp,
                       author="Olive Other", record_id=person_id,
                       changes={n: to_json(Person.FIELDS[n], v) for n, v in changes.items()})
        assert apply_operation(w.session, op, local=False)


@pytest.fixture
def flagged(store: Store, people: dict[str, str]) -> str:
    """Ada's preferred place of death: home here, hospice on another device at the same time."""
    with store.writing() as w:
        w.update(Person, people["ada"], preferred_place_of_death=HOME)
    receive_older_edit(store, people["ada"], preferred_place_of_death=HOSPICE)
    person = _person(store, people["ada"])
    assert person.provenance is not None
    assert person.provenance.needs_review
    assert person.preferred_place_of_death == HOME
    return people["ada"]


def test_the_banner_shows_both_values(qtbot: QtBot, store: Store, flagged: str) -> None:
    editor = PersonEditorWidget(store)
    qtbot.addWidget(editor)
    editor.load(flagged)
    assert not editor.banner.isHidden()
    assert len(editor.banner.conflicts) == 1
    conflict = editor.banner.conflicts[0]
    assert conflict.field == "preferred_place_of_death"
    texts = {v.text: v.current for v in conflict.values}
    assert texts == {"Home (at home)": True, "Hospice (St Mary's)": False}
    assert len(editor.banner.buttons) == 2
    assert any("Olive Other" in v.author for v in conflict.values)
    # in Tab order where they are laid out: after the header's buttons, before the sections
    assert editor.discard_button.nextInFocusChain() is editor.banner.buttons[0]


def test_a_conflict_resolved_from_the_banner(qtbot: QtBot, store: Store, flagged: str) -> None:
    editor = PersonEditorWidget(store)
    qtbot.addWidget(editor)
    editor.load(flagged)
    editor.show()
    qtbot.waitExposed(editor)
    about = editor.forms[Person.FIELDS["pronouns"].section]
    about.editors["pronouns"].set_value("she/her")  # an unsaved edit elsewhere stays
    keep = next(b for b, v in zip(editor.banner.buttons, editor.banner.conflicts[0].values,
                                  strict=True) if not v.current)
    with qtbot.waitSignal(editor.saved):
        click(qtbot, keep)
    person = _person(store, flagged)
    assert person.preferred_place_of_death == HOSPICE
    assert editor.forms[PREFERENCES].editors["preferred_place_of_death"].value() == HOSPICE
    assert about.editors["pronouns"].value() == "she/her"
    assert editor.is_dirty()
    with store.reading() as s:
        values = [c.new for c in caseload.history(s, flagged, "preferred_place_of_death")]
    assert to_json(SPEC, HOSPICE) in values  # the choice is an ordinary edit in the history
    assert person.provenance is not None
    assert not person.provenance.needs_review
    assert editor.banner.isHidden()


def test_an_edit_saved_against_what_the_form_saw(qtbot: QtBot, store: Store,
                                                 people: dict[str, str]) -> None:
    """Form loaded; the same significant field changes underneath; then Save: flagged,
    both values kept, nothing silently overwritten."""
    editor = PersonEditorWidget(store)
    qtbot.addWidget(editor)
    editor.load(people["ada"])
    prefs = editor.forms[PREFERENCES]
    choose(prefs, "preferred_place_of_death", "Home")
    with store.writing() as w:  # another window (or sync) changes it underneath
        w.update(Person, people["ada"], preferred_place_of_death=HOSPICE)
    assert editor.save()
    person = _person(store, people["ada"])
    assert person.provenance is not None
    assert person.provenance.needs_review
    with store.reading() as s:
        values = {c.new["code"] for c in caseload.history(s, people["ada"],
                                                           "preferred_place_of_death")}
    assert values == {HOME.code, HOSPICE.code}
    assert editor.forms[PREFERENCES].editors["preferred_place_of_death"].value().code == HOME.code
    assert not editor.banner.isHidden()
    assert {v.text.split(" (")[0] for v in editor.banner.conflicts[0].values} == {
        "Home", "Hospice"}
