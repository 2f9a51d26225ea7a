"""Adding a person, the service directory, and every model checked by qtmodeltester."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import Person, Service
from eolcare.domain.values import Coded
from eolcare.gui.record import (
    NewPersonDialog,
    PersonEditorWidget,
    ReviewsWidget,
    RotaWeekWidget,
    ServiceDirectoryWidget,
)
from eolcare.gui.record.history import history_model
from eolcare.gui.record.pages import VolunteerPicker
from eolcare.store import caseload, lookups
from eolcare.store.database import Store
from eolcare.store.writes import load
from tests.gui.record.helpers import choose, click, type_text
from tests.store.helpers import operations, table_counts


def _count(store: Store) -> int:
    with store.reading() as s:
        return table_counts(s)["person"]


def test_add_a_person(qtbot: QtBot, store: Store) -> None:
    dialog = NewPersonDialog(store)
    qtbot.addWidget(dialog)
    form = dialog.form
    type_text(qtbot, form, "full_name", "Siân Zoë Łukasz")
    type_text(qtbot, form, "nhs_number", "943 476 5919")
    type_text(qtbot, form, "date_of_birth", "17/05/1940")
    choose(form, "sex", "Female")
    type_text(qtbot, form, "phone", "020 7946 0000")
    with qtbot.waitSignal(dialog.saved):
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert dialog.person_id is not None
    with store.reading() as s:
        person = load(s, Person, dialog.person_id)
    assert person.full_name == "Siân Zoë Łukasz"
    assert person.nhs_number == "9434765919"
    assert person.date_of_birth == date(1940, 5, 17)
    assert person.status == Coded("active")
    assert _count(store) == 1


def test_a_duplicate_nhs_number_is_refused_plainly(qtbot: QtBot, store: Store,
                                                   people: dict[str, str]) -> None:
    before = _count(store)
    with store.reading() as s:
        ops = len(operations(s))
    dialog = NewPersonDialog(store)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.form, "full_name", "Someone Else")
    type_text(qtbot, dialog.form, "nhs_number", "9434765919")  # Ada's
    assert dialog.save() is False
    assert "already on this profile" in dialog.form.problem_text("nhs_number")
    assert dialog.person_id is None
    assert _count(store) == before
    with store.reading() as s:
        assert len(operations(s)) == ops


def test_a_person_needs_a_name(qtbot: QtBot, store: Store) -> None:
    dialog = NewPersonDialog(store)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.form, "date_of_birth", "17/05/2999")
    assert dialog.save() is False
    assert "is required" in dialog.form.problem_text("full_name")
    assert "future" in dialog.form.problem_text("date_of_birth")
    assert _count(store) == 0


def test_services_are_entered_once_and_attached_to_many(qtbot: QtBot, store: Store,
                                                        people: dict[str, str]) -> None:
    directory = ServiceDirectoryWidget(store)
    qtbot.addWidget(directory)
    assert directory.model.rowCount() == 1
    dialog = directory.add()
    type_text(qtbot, dialog.form, "name", "Leeds District Nursing")
    choose(dialog.form, "service_type", "District nursing")
    type_text(qtbot, dialog.form, "phone_24_7", "0113 496 0777")
    type_text(qtbot, dialog.form, "opening_hours", "Always")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    with store.reading() as s:
        found = {x.name: x for x in lookups.services(s)}
    nursing = found["Leeds District Nursing"]
    assert nursing.service_type == Coded("district_nursing")
    assert nursing.phone_24_7 == "0113 496 0777"
    assert directory.model.rowCount() == 2
    # attached to two people: one directory entry, two involvements
    for who in ("ada", "bob"):
        editor = PersonEditorWidget(store)
        qtbot.addWidget(editor)
        editor.load(people[who])
        attach = editor.services.add(nursing.id)
        type_text(qtbot, attach.form, "professional", f"Nurse for {who}")
        assert attach.save()
    directory.refresh()
    directory.filter.setText("district")
    assert directory.proxy.rowCount() == 1
    directory.view.selectRow(0)
    assert directory.current() == nursing
    people_column = next(directory.model.columns.index(c) for c in directory.model.columns
                     if c.header == "People")
    assert directory.proxy.index(0, people_column).data() == "2"
    with store.reading() as s:
        assert len(lookups.services(s)) == 2
        assert lookups.service_use(s)[nursing.id] == 2
    # an edit in the directory shows for everyone attached
    edit = directory.edit()
    assert edit is not None
    type_text(qtbot, edit.form, "phone_24_7", "0113 496 0888")
    assert edit.save()
    with store.reading() as s:
        for who in ("ada", "bob"):
            rec = caseload.load_record(s, people[who])
            assert [x.service.phone_24_7 for x in rec.services] == ["0113 496 0888"]


def test_every_model_passes_qtmodeltester(qtbot: QtBot, qtmodeltester: ModelTester,
                                          store: Store, people: dict[str, str]) -> None:
    editor = PersonEditorWidget(store)
    qtbot.addWidget(editor)
    editor.load(people["ada"])
    with store.writing() as w:
        w.update(Service, people["service"], opening_hours="9-5")
    for page in editor.lists:
        qtmodeltester.check(page.model, force_py=True)
    qtmodeltester.check(editor.rota.week.model, force_py=True)
    directory = ServiceDirectoryWidget(store)
    qtbot.addWidget(directory)
    qtmodeltester.check(directory.model, force_py=True)
    reviews = ReviewsWidget(store)
    qtbot.addWidget(reviews)
    with qtbot.waitSignal(reviews.loaded, timeout=30_000):
        pass
    qtmodeltester.check(reviews.model, force_py=True)
    week = RotaWeekWidget(store)
    qtbot.addWidget(week)
    with qtbot.waitSignal(week.loaded, timeout=30_000):
        pass
    qtmodeltester.check(week.model, force_py=True)
    with store.reading() as s:
        picker = VolunteerPicker(lookups.volunteers(s))
        changes = caseload.history(s, people["ada"])
    qtbot.addWidget(picker)
    qtmodeltester.check(picker.model, force_py=True)
    qtmodeltester.check(history_model(changes), force_py=True)


def test_lists_are_read_again_when_shown_again(qtbot: QtBot, store: Store,
                                               people: dict[str, str]) -> None:
    reviews = ReviewsWidget(store)
    qtbot.addWidget(reviews)
    with qtbot.waitSignal(reviews.loaded, timeout=30_000):
        reviews.show()
    assert reviews.model.rowCount() == 0
    reviews.hide()
    with store.writing() as w:
        w.update(Person, people["bob"], cpr_review_date=date.today())
    with qtbot.waitSignal(reviews.loaded, timeout=30_000):
        reviews.show()
    assert [reviews.model.index(r, 2).data() for r in range(reviews.model.rowCount())] == [
        "Bob Marley"]
