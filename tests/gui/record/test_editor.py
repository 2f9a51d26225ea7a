"""The person's record editor: filling sections, validation, the unsaved-changes guard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from eolcare.domain import codes
from eolcare.domain.entities import DECISIONS, PREFERENCES, Person
from eolcare.gui.record import PersonEditorWidget
from eolcare.store import caseload
from eolcare.store.database import Store
from eolcare.store.writes import load
from tests.gui.record.helpers import choose, click, type_text
from tests.store.helpers import operations


def _person(store: Store, person_id: str) -> Person:
    with store.reading() as s:
        return load(s, Person, person_id)


def _op_count(store: Store) -> int:
    with store.reading() as s:
        return len(operations(s))


@pytest.fixture
def editor(qtbot: QtBot, store: Store, people: dict[str, str]) -> PersonEditorWidget:
    widget = PersonEditorWidget(store)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.load(people["ada"])
    return widget


def test_every_person_field_has_a_labelled_named_input(editor: PersonEditorWidget) -> None:
    shown = {name for form in editor.forms.values() for name in form.editors}
    assert shown == set(Person.FIELDS)
    for form in editor.forms.values():
        for name, label in form.labels.items():
            assert label.buddy() is form.editors[name].focus_widget
            for w in form.editors[name].inputs():
                assert w.accessibleName().startswith(label.text().rstrip(" *"))


def test_fill_preferences_and_a_cpr_decision(qtbot: QtBot, editor: PersonEditorWidget,
                                             store: Store, people: dict[str, str]) -> None:
    prefs, decisions = editor.forms[PREFERENCES], editor.forms[DECISIONS]
    choose(prefs, "preferred_place_of_death", "Home")
    type_text(qtbot, prefs, "preferred_place_of_death", "with the cat", key="text")
    choose(prefs, "preferred_place_of_care", "Hospice")
    type_text(qtbot, prefs, "preferences_date", "03/02/2025")
    choose(decisions, "cpr_decision", "Not for cardiopulmonary resuscitation")
    type_text(qtbot, decisions, "cpr_date", "04/02/2025")
    type_text(qtbot, decisions, "cpr_form_location", "Kitchen drawer, red folder")
    choose(decisions, "cpr_had_capacity", "Yes")
    assert editor.is_dirty()
    with qtbot.waitSignal(editor.saved) as saved:
        click(qtbot, editor.save_button)
    assert saved.args == [people["ada"]]
    person = _person(store, people["ada"])
    assert person.preferred_place_of_death is not None
    assert person.preferred_place_of_death.code == "110481000000108"
    assert person.preferred_place_of_death.text == "with the cat"
    assert person.preferred_place_of_care is not None
    assert person.preferred_place_of_care.code == "108401000000102"
    assert person.preferences_date == date(2025, 2, 3)
    assert person.cpr_decision is not None
    assert person.cpr_decision.code == codes.NOT_FOR_CPR
    assert person.cpr_date == date(2025, 2, 4)
    assert person.cpr_form_location == "Kitchen drawer, red folder"
    assert person.cpr_had_capacity is True
    assert not editor.is_dirty()
    assert "Last changed by Test Coordinator" in decisions.footer.text()


def test_tri_state_and_not_recorded_dates_round_trip(qtbot: QtBot, editor: PersonEditorWidget,
                                                      store: Store,
                                                      people: dict[str, str]) -> None:
    about = editor.forms[Person.FIELDS["full_name"].section]
    type_text(qtbot, about, "date_of_birth", "")
    choose(about, "interpreter_needed", "No")
    editor.save()
    person = _person(store, people["ada"])
    assert person.date_of_birth is None
    assert person.interpreter_needed is False
    choose(about, "interpreter_needed", "Not recorded")
    editor.save()
    assert _person(store, people["ada"]).interpreter_needed is None


def test_a_problem_is_shown_beside_its_field_and_nothing_is_saved(
        qtbot: QtBot, editor: PersonEditorWidget, store: Store, people: dict[str, str]) -> None:
    about = editor.forms[Person.FIELDS["full_name"].section]
    decisions = editor.forms[DECISIONS]
    type_text(qtbot, about, "nhs_number", "123 456 7890")
    type_text(qtbot, about, "pronouns", "she/her")
    type_text(qtbot, decisions, "cpr_date", "05/05/2025")
    type_text(qtbot, decisions, "cpr_review_date", "01/01/2025")
    before = _op_count(store)
    assert editor.save() is False
    assert "NHS number" in about.problem_text("nhs_number")
    assert "check digit" in about.problem_text("nhs_number")
    assert "cannot be before" in decisions.problem_text("cpr_review_date")
    assert about.problem_text("pronouns") == ""
    assert not editor.problems.isHidden()
    assert _op_count(store) == before
    assert _person(store, people["ada"]).pronouns is None
    assert editor.is_dirty()  # what was typed is still there to put right
    type_text(qtbot, about, "nhs_number", "943 476 5919")
    type_text(qtbot, decisions, "cpr_review_date", "05/05/2026")
    assert editor.save() is True
    assert about.problem_text("nhs_number") == ""
    assert _person(store, people["ada"]).pronouns == "she/her"


def test_a_date_that_is_not_a_date_is_refused_by_the_form(
        qtbot: QtBot, editor: PersonEditorWidget, store: Store) -> None:
    prefs = editor.forms[PREFERENCES]
    type_text(qtbot, prefs, "preferences_date", "next tuesday")
    before = _op_count(store)
    assert editor.save() is False
    assert "is not a date" in prefs.problem_text("preferences_date")
    assert _op_count(store) == before


def test_the_guard_on_switching_person(qtbot: QtBot, editor: PersonEditorWidget,
                                       store: Store, people: dict[str, str]) -> None:
    about = editor.forms[Person.FIELDS["full_name"].section]
    type_text(qtbot, about, "pronouns", "she/her")
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard,
                    QMessageBox.StandardButton.Save])
    editor.ask_leave = lambda _parent: next(answers)
    # Cancel: stay, the edit is still there and nothing was written
    assert editor.confirm_leave(None) is False
    assert editor.is_dirty()
    assert _person(store, people["ada"]).pronouns is None
    # Discard: the form shows what was loaded
    assert editor.confirm_leave(None) is True
    assert not editor.is_dirty()
    assert about.editors["pronouns"].value() is None
    assert _person(store, people["ada"]).pronouns is None
    # Save: written, then it is fine to switch
    type_text(qtbot, about, "pronouns", "she/her")
    assert editor.confirm_leave(None) is True
    assert _person(store, people["ada"]).pronouns == "she/her"
    editor.load(people["bob"])
    assert editor.person_id == people["bob"]
    assert not editor.is_dirty()


def test_the_guard_asks_with_a_real_box(qtbot: QtBot, editor: PersonEditorWidget,
                                        store: Store, people: dict[str, str]) -> None:
    about = editor.forms[Person.FIELDS["full_name"].section]
    type_text(qtbot, about, "pronouns", "they/them")
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Save).click()

    QTimer.singleShot(0, answer)
    assert editor.confirm_leave(editor) is True
    assert seen
    assert "not saved" in seen[0]
    assert _person(store, people["ada"]).pronouns == "they/them"


def test_dirty_signal_and_history_of_a_field(qtbot: QtBot, editor: PersonEditorWidget,
                                             store: Store, people: dict[str, str]) -> None:
    about = editor.forms[Person.FIELDS["full_name"].section]
    with qtbot.waitSignal(editor.dirtyChanged) as dirty:
        type_text(qtbot, about, "pronouns", "she/her")
    assert dirty.args == [True]
    with qtbot.waitSignal(editor.dirtyChanged) as clean:
        editor.save()
    assert clean.args == [False]
    type_text(qtbot, about, "pronouns", "they/them")
    editor.save()
    dialog = editor.show_history("pronouns")
    assert dialog is not None
    rows = [[dialog.model.index(r, c).data() for c in range(dialog.model.columnCount())]
            for r in range(dialog.model.rowCount())]
    assert [r[2:4] for r in rows] == [["she/her", "they/them"], ["", "she/her"]]
    assert all(r[1] == "Test Coordinator" for r in rows)
    with store.reading() as s:
        assert len(caseload.history(s, people["ada"], "pronouns")) == 2
