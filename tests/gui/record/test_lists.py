"""The list pages of a record, driven through their dialogs, checked in the store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import Person
from eolcare.domain.values import Coded
from eolcare.gui.record import PersonEditorWidget, ReviewsWidget, RotaWeekWidget
from eolcare.gui.record.dialogs import EntityDialog
from eolcare.gui.record.pages import VolunteerPicker
from eolcare.store import caseload, lookups
from eolcare.store.database import Store
from tests.gui.record.helpers import choose, click, type_text
from tests.store.helpers import operations


@pytest.fixture
def editor(qtbot: QtBot, store: Store, people: dict[str, str]) -> PersonEditorWidget:
    widget = PersonEditorWidget(store)
    qtbot.addWidget(widget)
    widget.load(people["ada"])
    return widget


def _record(store: Store, person_id: str) -> caseload.PersonRecord:
    with store.reading() as s:
        return caseload.load_record(s, person_id)


def _save(qtbot: QtBot, dialog: EntityDialog) -> None:
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(dialog.saved):
        click(qtbot, save)


def test_add_a_family_member_with_roles(qtbot: QtBot, editor: PersonEditorWidget,
                                        store: Store, people: dict[str, str]) -> None:
    click(qtbot, editor.circle.findChild(type(editor.save_button), "add_member"))
    dialog = editor.circle.dialog
    assert isinstance(dialog, EntityDialog)
    form = dialog.form
    type_text(qtbot, form, "name", "Dora Daughter")
    choose(form, "relationship", "Daughter")
    choose(form, "next_of_kin", "Yes")
    choose(form, "key_holder", "Yes")
    choose(form, "emergency_contact", "Yes")
    form.editors["helps_with"].boxes["shopping"].click()  # type: ignore[attr-defined]
    form.editors["helps_with"].boxes["transport"].click()  # type: ignore[attr-defined]
    type_text(qtbot, form, "availability", "Weekends")
    choose(form, "knows_prognosis", "Yes")
    choose(form, "knows_cpr_decision", "No")
    choose(form, "consent_to_share", "Yes")
    type_text(qtbot, form, "phone", "0113 496 0123")
    _save(qtbot, dialog)
    circle = {m.name: m for m in _record(store, people["ada"]).circle}
    dora = circle["Dora Daughter"]
    assert dora.relationship == Coded("daughter")
    assert (dora.next_of_kin, dora.key_holder, dora.emergency_contact) == (True, True, True)
    assert dora.main_carer is None
    assert dora.helps_with is not None
    assert set(dora.helps_with.codes) == {"shopping", "transport"}
    assert dora.availability == "Weekends"
    assert (dora.knows_prognosis, dora.knows_cpr_decision, dora.consent_to_share) == (
        True, False, True)
    assert dora.volunteer_id is None
    # the page shows her with her roles
    rows = {editor.circle.model.index(r, 0).data(): editor.circle.model.index(r, 2).data()
            for r in range(editor.circle.model.rowCount())}
    assert rows["Dora Daughter"] == "Next of kin, Key holder, Emergency contact"


def test_assign_a_volunteer_from_the_directory(qtbot: QtBot, editor: PersonEditorWidget,
                                               store: Store, people: dict[str, str]) -> None:
    click(qtbot, editor.circle.findChild(type(editor.save_button), "assign_volunteer"))
    picker = editor.circle.dialog
    assert isinstance(picker, VolunteerPicker)
    qtbot.keyClicks(picker.filter, "headingley")
    assert picker.proxy.rowCount() == 1
    picker.choose(people["volunteer"])
    picker.accept()
    dialog = editor.circle.dialog
    assert isinstance(dialog, EntityDialog)
    assert dialog.form.editors["name"].value() == "Vera Volunteer"
    assert dialog.form.editors["relationship"].value() == Coded("volunteer")
    type_text(qtbot, dialog.form, "availability", "Tuesdays 2-4pm")
    _save(qtbot, dialog)
    members = [m for m in _record(store, people["ada"]).circle if m.volunteer_id]
    assert len(members) == 1
    assert members[0].volunteer_id == people["volunteer"]
    assert members[0].name == "Vera Volunteer"
    assert members[0].helps_with is not None
    assert set(members[0].helps_with.codes) == {"sitting", "shopping"}
    assert members[0].availability == "Tuesdays 2-4pm"
    assert editor.circle.model.rowCount() == 2


def test_a_new_volunteer_joins_the_directory_and_the_circle(
        qtbot: QtBot, editor: PersonEditorWidget, store: Store, people: dict[str, str]) -> None:
    picker = editor.circle.assign_volunteer()
    assert isinstance(picker, VolunteerPicker)
    dialog = picker.new_volunteer()
    type_text(qtbot, dialog.form, "name", "Nadia New")
    type_text(qtbot, dialog.form, "area", "Chapel Allerton")
    dialog.form.editors["helps_with"].boxes["pets"].click()  # type: ignore[attr-defined]
    _save(qtbot, dialog)
    chosen = picker.chosen()
    assert chosen is not None
    assert chosen.name == "Nadia New"
    picker.accept()
    member = editor.circle.dialog
    assert isinstance(member, EntityDialog)
    _save(qtbot, member)
    with store.reading() as s:
        directory = {v.name: v for v in lookups.volunteers(s)}
    assert directory["Nadia New"].active is True
    linked = [m for m in _record(store, people["ada"]).circle if m.name == "Nadia New"]
    assert [m.volunteer_id for m in linked] == [directory["Nadia New"].id]


def test_a_circle_member_without_a_name_is_refused_and_nothing_saved(
        qtbot: QtBot, editor: PersonEditorWidget, store: Store) -> None:
    dialog = editor.circle.add()
    assert isinstance(dialog, EntityDialog)
    choose(dialog.form, "relationship", "Other (see text)")
    with store.reading() as s:
        before = len(operations(s))
    assert dialog.save() is False
    assert "is required" in dialog.form.problem_text("name")
    assert "Other" in dialog.form.problem_text("relationship")
    assert dialog.isVisible()
    with store.reading() as s:
        assert len(operations(s)) == before


def test_attach_a_service_with_a_named_professional(qtbot: QtBot, editor: PersonEditorWidget,
                                                     store: Store,
                                                     people: dict[str, str]) -> None:
    dialog = editor.services.add()
    assert isinstance(dialog, EntityDialog)
    choose(dialog.form, "service_id", "St Mary's Hospice at Home (Hospice at home)")
    type_text(qtbot, dialog.form, "professional", "Nurse Nightingale")
    type_text(qtbot, dialog.form, "role", "Key worker")
    _save(qtbot, dialog)
    services = _record(store, people["ada"]).services
    assert len(services) == 1
    inv = services[0].involvement
    assert (inv.service_id, inv.professional, inv.role) == (
        people["service"], "Nurse Nightingale", "Key worker")
    assert inv.since == date.today()
    model = editor.services.model
    assert model.index(0, 1).data() == "0113 496 0999"  # the 24/7 number, second column
    assert model.index(0, 3).data() == "Nurse Nightingale"


def test_log_a_contact_and_correct_it(qtbot: QtBot, editor: PersonEditorWidget, store: Store,
                                      people: dict[str, str]) -> None:
    dialog = editor.contacts.add()
    assert isinstance(dialog, EntityDialog)
    choose(dialog.form, "contact_type", "Phone call")
    type_text(qtbot, dialog.form, "with_whom", "Daughter")
    type_text(qtbot, dialog.form, "discussed", "Pain at night; asked about the hospice.")
    type_text(qtbot, dialog.form, "follow_up", "Call GP tomorrow")
    _save(qtbot, dialog)
    notes = _record(store, people["ada"]).contacts
    assert len(notes) == 1
    assert notes[0].contact_type == Coded("phone")
    assert notes[0].discussed == "Pain at night; asked about the hospice."
    assert notes[0].occurred_at is not None
    assert abs(notes[0].occurred_at - datetime.now(UTC)) < timedelta(minutes=5)
    # a note is never edited: viewing is read-only, correcting adds a note
    editor.contacts.select_row(0)
    viewed = editor.contacts.edit()
    assert isinstance(viewed, EntityDialog)
    assert viewed.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    viewed.close()
    fix = editor.contacts.correct()
    assert isinstance(fix, EntityDialog)
    type_text(qtbot, fix.form, "follow_up", "Call GP today")
    _save(qtbot, fix)
    notes = _record(store, people["ada"]).contacts
    assert len(notes) == 2
    amended = [n for n in notes if n.amends]
    assert len(amended) == 1
    assert amended[0].amends == notes[-1].id or amended[0].amends in {n.id for n in notes}
    assert amended[0].follow_up == "Call GP today"
    assert {n.follow_up for n in notes} == {"Call GP tomorrow", "Call GP today"}


def test_set_a_review_and_see_it_overdue(qtbot: QtBot, editor: PersonEditorWidget,
                                         store: Store, people: dict[str, str]) -> None:
    decisions = editor.forms[Person.FIELDS["cpr_decision"].section]
    choose(decisions, "cpr_decision", "For cardiopulmonary resuscitation")
    last_week = date.today() - timedelta(days=7)
    type_text(qtbot, decisions, "cpr_date", (date.today() - timedelta(days=40))
              .strftime("%d/%m/%Y"))
    type_text(qtbot, decisions, "cpr_review_date", last_week.strftime("%d/%m/%Y"))
    assert editor.save()
    task = editor.tasks.add()
    assert isinstance(task, EntityDialog)
    type_text(qtbot, task.form, "title", "Ring the district nurses")
    type_text(qtbot, task.form, "due", (date.today() + timedelta(days=3)).strftime("%d/%m/%Y"))
    _save(qtbot, task)
    reviews = ReviewsWidget(store)
    qtbot.addWidget(reviews)
    with qtbot.waitSignal(reviews.loaded, timeout=30_000):
        pass  # read off the GUI thread
    rows = [(reviews.model.index(r, 1).data(), reviews.model.index(r, 2).data(),
             reviews.model.index(r, 3).data()) for r in range(reviews.model.rowCount())]
    assert ("Overdue by 7 days", "Ada Lovelace", "Review CPR decision") in rows
    assert ("Due in 3 days", "Ada Lovelace", "Ring the district nurses") in rows
    assert reviews.overdue_count() == 1
    assert "1 overdue" in reviews.summary.text()
    reviews.overdue_only.setChecked(True)
    assert reviews.model.rowCount() == 1
    with qtbot.waitSignal(reviews.openPerson) as opened:
        reviews.open_row(0)
    assert opened.args == [people["ada"]]
    # done: the task leaves the list
    editor.tasks.select_row(0)
    assert editor.tasks.mark_done()
    reviews.overdue_only.setChecked(False)
    with qtbot.waitSignal(reviews.loaded, timeout=30_000):
        reviews.refresh()
    assert all(reviews.model.index(r, 3).data() != "Ring the district nurses"
               for r in range(reviews.model.rowCount()))
    assert [t.done_on for t in _record(store, people["ada"]).tasks] == [date.today()]


def test_the_help_rota_counts_the_gaps_of_the_coming_week(
        qtbot: QtBot, editor: PersonEditorWidget, store: Store, people: dict[str, str]) -> None:
    tomorrow = datetime.combine(date.today() + timedelta(days=1), datetime.min.time())
    dialog = editor.rota.add()
    assert isinstance(dialog, EntityDialog)
    choose(dialog.form, "activity", "Sitting")
    dialog.form.editors["starts_at"].set_value(tomorrow.replace(hour=14).astimezone())
    dialog.form.editors["ends_at"].set_value(tomorrow.replace(hour=16).astimezone())
    choose(dialog.form, "repeat", "Every day")
    choose(dialog.form, "helper_id", "Charles Babbage")
    _save(qtbot, dialog)
    night = editor.rota.add()
    assert isinstance(night, EntityDialog)
    choose(night.form, "activity", "Night cover")
    night.form.editors["starts_at"].set_value(tomorrow.replace(hour=22).astimezone())
    night.form.editors["ends_at"].set_value((tomorrow + timedelta(hours=30)).astimezone())
    choose(night.form, "repeat", "Every two weeks")
    _save(qtbot, night)  # nobody signed up: a gap
    slots = _record(store, people["ada"]).rota
    assert len(slots) == 2
    assert {s.helper_id for s in slots} == {people["carer"], None}
    week = editor.rota.week
    assert week.gap_count() == 1
    assert len(week.model.occurrences()) == 7  # six days of sitting from tomorrow, one night
    assert "1 of 7 slots" in week.summary.text()
    # across the caseload: the same gap, with who is helped
    caseload_week = RotaWeekWidget(store)
    qtbot.addWidget(caseload_week)
    with qtbot.waitSignal(caseload_week.loaded, timeout=30_000):
        pass  # the whole caseload's rota is read off the GUI thread
    assert caseload_week.gap_count() == 1
    gap = next(o for o, _ in caseload_week.model.occurrences() if o.is_gap)
    assert gap.slot.person_id == people["ada"]
    # signing someone up closes the gap
    editor.rota.select_row([s.helper_id for s in editor.rota.model.items].index(None))
    fix = editor.rota.edit()
    assert isinstance(fix, EntityDialog)
    choose(fix.form, "helper_id", "Charles Babbage")
    _save(qtbot, fix)
    assert editor.rota.week.gap_count() == 0
    with qtbot.waitSignal(caseload_week.loaded, timeout=30_000):
        caseload_week.refresh()
    assert caseload_week.gap_count() == 0


def test_remove_a_document(qtbot: QtBot, editor: PersonEditorWidget, store: Store,
                           people: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = editor.documents.add()
    assert isinstance(dialog, EntityDialog)
    type_text(qtbot, dialog.form, "name", "Will")
    type_text(qtbot, dialog.form, "location", "Solicitor's office")
    _save(qtbot, dialog)
    assert [d.name for d in _record(store, people["ada"]).documents] == ["Will"]
    monkeypatch.setattr("eolcare.gui.record.pages.confirm", lambda *_a: True)
    editor.documents.select_row(0)
    assert editor.documents.remove_current()
    assert _record(store, people["ada"]).documents == []
    assert editor.documents.model.rowCount() == 0


def test_the_review_dates_line_shows_as_text_when_nothing_is_overdue(
        editor: PersonEditorWidget) -> None:
    intro = editor.tasks.intro
    assert "overdue" not in intro.text()  # nothing bold: Qt's guess would say plain text
    assert intro.textFormat() == Qt.TextFormat.RichText
    document = QTextDocument()
    document.setHtml(intro.text())
    shown = document.toPlainText()
    assert "CPR decision review date: not set" in shown
    assert "&nbsp;" not in shown
