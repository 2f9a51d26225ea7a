"""The list pages of a person's record: circle, services, contact log, tasks, rota, documents.

Each is a table of that kind of record with buttons that open a dialog to
add or change one. A dialog's Save is its own unit of work; the page then
asks the editor to reload the lists (``changed``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain import codes
from eolcare.domain.entities import (
    CircleMember,
    ContactNote,
    Document,
    Involvement,
    RotaSlot,
    Service,
    Task,
    Volunteer,
)
from eolcare.domain.errors import EolcareError
from eolcare.domain.record import PersonRecord, ServiceInvolved
from eolcare.domain.schema import Entity
from eolcare.domain.values import Coded
from eolcare.gui.record.core import format_day, format_moment, show_value, update_as_seen
from eolcare.gui.record.dialogs import EntityDialog, confirm, show_error
from eolcare.gui.record.fields import RefEditor, field_label, tr
from eolcare.gui.record.form import EntityForm
from eolcare.gui.record.models import Column, ListTableModel, field_column
from eolcare.gui.record.rota_week import RotaWeekWidget
from eolcare.gui.record.views import fit_columns, table_view
from eolcare.store import lookups
from eolcare.store.database import Store
from eolcare.store.lookups import RotaLine

#: The roles a member of the circle can hold (flags of CircleMember; labels from its specs).
ROLE_FIELDS = ("next_of_kin", "main_carer", "lpa_attorney", "key_holder", "emergency_contact")


def roles_text(member: CircleMember) -> str:
    return ", ".join(field_label(CircleMember.FIELDS[n]) for n in ROLE_FIELDS
                     if getattr(member, n))


class ListPage(QWidget):
    """A titled table of one kind of record with its buttons."""

    changed = Signal()

    def __init__(self, store: Store, title: str, columns: Sequence[Column[Any]],
                 intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.person_id: str | None = None
        self.record: PersonRecord | None = None
        self._fitted = True
        self.dialog: QDialog | None = None  # the last dialog opened (tests fill it in)
        self.model: ListTableModel[Any] = ListTableModel(columns, self)
        self.heading = QLabel(f"<h2>{title}</h2>", self)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.view = table_view(self.model, f"{self.objectName() or 'list'}", self)
        self.view.setAccessibleName(title)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.view.activated.connect(lambda _i: self.edit())
        self.buttons = QHBoxLayout()
        self.footer = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(self.buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.footer)

    def button(self, text: str, slot: Callable[[], object], name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)

    def set_record(self, record: PersonRecord) -> None:
        self.record = record
        self.person_id = record.person.id
        self.model.set_items(self.items(record))
        self._fitted = False
        if self.isVisible():
            self._fit()
        self.footer.setText(tr("{count} entries").replace("{count}", str(len(self.model.items))))

    def items(self, record: PersonRecord) -> Sequence[Any]:
        raise NotImplementedError

    def _fit(self) -> None:
        fit_columns(self.view)
        self._fitted = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Columns are fitted to their contents when the page is first shown (opening a
        person fills six lists; sizing the hidden ones would only cost time)."""
        if not self._fitted:
            self._fit()
        super().showEvent(event)

    def current(self) -> Any:
        index = self.view.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)
        self.view.setCurrentIndex(self.model.index(row, 0))

    def edit(self) -> QDialog | None:
        return None

    def show_dialog(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        if isinstance(dialog, EntityDialog):
            dialog.saved.connect(lambda _e: self.changed.emit())
        dialog.open()
        return dialog

    def entity_dialog(self, cls: type[Entity], entity: Entity | None, title: str,
                      **kw: Any) -> EntityDialog:
        assert self.person_id is not None
        fixed = {"person_id": self.person_id, **kw.pop("fixed", {})}
        return EntityDialog(self.store, cls, entity, title=title, fixed=fixed, parent=self, **kw)

    #: The kind of record removed by "Remove" and the question asked first.
    removes: type[Entity] | None = None
    remove_question = ""

    def remove_current(self) -> bool:
        """Remove the chosen entry (a tombstone: its history stays) after asking."""
        entity = self.current_entity()
        if entity is None or self.removes is None:
            return False
        if not confirm(self, tr("Remove?"), self.remove_question):
            return False
        try:
            with self.store.writing() as writer:
                writer.delete(self.removes, entity.id)
        except EolcareError as exc:
            show_error(self, exc)
            return False
        self.changed.emit()
        return True

    def current_entity(self) -> Entity | None:
        item = self.current()
        return item.involvement if isinstance(item, ServiceInvolved) else item


# -- circle of support ------------------------------------------------------------------


class CirclePage(ListPage):
    """Family, friends, neighbours and volunteers around the person, with their roles."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        cm = CircleMember
        super().__init__(store, tr("Circle of support"), [
            field_column(cm, "name"), field_column(cm, "relationship"),
            Column(tr("Roles"), roles_text, bold=lambda m: bool(m.main_carer or m.next_of_kin)),
            field_column(cm, "helps_with"), field_column(cm, "availability"),
            field_column(cm, "phone"), field_column(cm, "knows_prognosis"),
            field_column(cm, "knows_cpr_decision"), field_column(cm, "consent_to_share"),
        ], tr("Family, friends, neighbours and compassionate-community volunteers. "
              "Volunteers come from the shared community directory."), parent)
        self.setObjectName("circle_page")
        self.view.setObjectName("circle_table")
        self.button(tr("Add family, friend or neighbour..."), self.add, "add_member")
        self.button(tr("Assign a volunteer..."), self.assign_volunteer, "assign_volunteer")
        self.button(tr("Edit..."), self.edit, "edit_member")
        self.removes = CircleMember
        self.remove_question = tr("Remove this person from the circle of support?")
        self.button(tr("Remove"), self.remove_current, "remove_member")
        self.finish_buttons()

    def items(self, record: PersonRecord) -> Sequence[Any]:
        return record.circle

    def _fields(self) -> list[str]:
        return [n for n in CircleMember.FIELDS if n not in ("person_id", "volunteer_id")]

    def add(self, defaults: dict[str, Any] | None = None,
            volunteer: Volunteer | None = None) -> QDialog:
        fixed = {"volunteer_id": volunteer.id} if volunteer is not None else {}
        title = tr("Assign a volunteer") if volunteer else tr("Add to the circle of support")
        return self.show_dialog(self.entity_dialog(
            CircleMember, None, title, fields=self._fields(), defaults=defaults, fixed=fixed))

    def edit(self) -> QDialog | None:
        member = self.current()
        if member is None:
            return None
        return self.show_dialog(self.entity_dialog(
            CircleMember, member, tr("Circle of support"), fields=self._fields()))

    def assign_volunteer(self) -> QDialog:
        with self.store.reading() as session:
            found = lookups.volunteers(session)
        picker = VolunteerPicker(found, self, store=self.store)
        picker.accepted.connect(lambda: self._picked(picker.chosen()))
        self.dialog = picker
        picker.open()
        return picker

    def _picked(self, volunteer: Volunteer | None) -> None:
        if volunteer is None:
            return
        self.add(defaults={
            "name": volunteer.name, "relationship": Coded("volunteer"),
            "phone": volunteer.phone, "email": volunteer.email,
            "helps_with": volunteer.helps_with, "availability": volunteer.availability,
        }, volunteer=volunteer)


class VolunteerPicker(QDialog):
    """Choose a volunteer from the shared community directory."""

    def __init__(self, volunteers: Sequence[Volunteer], parent: QWidget | None = None, *,
                 store: Store | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("volunteer_picker")
        self.store = store
        self.dialog: EntityDialog | None = None
        self.setWindowTitle(tr("Assign a volunteer from the community directory"))
        v = Volunteer
        self.model: ListTableModel[Volunteer] = ListTableModel([
            field_column(v, "name"), field_column(v, "area"), field_column(v, "helps_with"),
            field_column(v, "availability"), field_column(v, "active"),
        ], self)
        self.model.set_items([x for x in volunteers if x.active is not False])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(tr("Name, area or what they help with"))
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        filter_label = QLabel(tr("&Find"), self)
        filter_label.setBuddy(self.filter)
        self.filter.setAccessibleName(tr("Find a volunteer"))
        self.view = table_view(self.proxy, "volunteer_table", self)
        self.view.setAccessibleName(tr("Volunteers"))
        self.view.doubleClicked.connect(lambda _i: self.accept())
        fit_columns(self.view)
        if self.proxy.rowCount():
            self.view.selectRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(filter_label)
        row.addWidget(self.filter, 1)
        if store is not None:
            self.new_button = QPushButton(tr("&New volunteer in the directory..."), self)
            self.new_button.setObjectName("new_volunteer")
            self.new_button.clicked.connect(lambda _=False: self.new_volunteer())
            row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def new_volunteer(self) -> EntityDialog:
        """Add someone to the shared community directory; they are then chosen here."""
        assert self.store is not None
        dialog = EntityDialog(self.store, Volunteer, None, title=tr("New volunteer"),
                              defaults={"active": True}, parent=self)
        dialog.saved.connect(self._added)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _added(self, volunteer: Volunteer) -> None:
        self.model.set_items([*self.model.items, volunteer])
        self.filter.clear()
        self.choose(volunteer.id)

    def choose(self, volunteer_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.item(source.row()).id == volunteer_id:
                self.view.selectRow(row)
                return
        raise LookupError("no such volunteer in the list")

    def chosen(self) -> Volunteer | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.item(self.proxy.mapToSource(index).row())


# -- services ---------------------------------------------------------------------------


class ServicesPage(ListPage):
    """Services involved in the person's care, with the named professional and role."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        s, i = Service, Involvement
        super().__init__(store, tr("Services and professional contacts"), [
            Column(field_label(s.FIELDS["name"]), lambda x: x.service.name or ""),
            Column(field_label(s.FIELDS["phone_24_7"]),
                   lambda x: x.service.phone_24_7 or "", bold=lambda x: True),
            Column(field_label(s.FIELDS["service_type"]),
                   lambda x: show_value(s.FIELDS["service_type"], x.service.service_type)),
            Column(field_label(i.FIELDS["professional"]), lambda x: x.involvement.professional
                   or ""),
            Column(field_label(i.FIELDS["role"]), lambda x: x.involvement.role or ""),
            Column(field_label(i.FIELDS["direct_phone"]),
                   lambda x: x.involvement.direct_phone or x.service.phone or ""),
            Column(field_label(i.FIELDS["since"]), lambda x: format_day(x.involvement.since)),
        ], tr("24/7 numbers first. Services come from the shared service directory, "
              "entered once for everyone."), parent)
        self.setObjectName("services_page")
        self.view.setObjectName("services_table")
        self.button(tr("Attach a service..."), self.add, "attach_service")
        self.button(tr("Edit..."), self.edit, "edit_involvement")
        self.removes = Involvement
        self.remove_question = tr("Remove this service from the person's record?")
        self.button(tr("Remove"), self.remove_current, "remove_involvement")
        self.finish_buttons()

    def items(self, record: PersonRecord) -> Sequence[Any]:
        return sorted(record.services, key=lambda x: (x.service.phone_24_7 is None,
                                                      x.service.name or ""))

    def _prepare(self, form: EntityForm) -> None:
        with self.store.reading() as session:
            found = lookups.services(session)
        editor = form.editors["service_id"]
        assert isinstance(editor, RefEditor)
        type_spec = Service.FIELDS["service_type"]
        editor.set_choices([(x.id, f"{x.name} ({show_value(type_spec, x.service_type)})")
                            for x in found])

    def add(self, service_id: str | None = None) -> QDialog:
        return self.show_dialog(self.entity_dialog(
            Involvement, None, tr("Attach a service"), prepare=self._prepare,
            defaults={"service_id": service_id, "since": date.today()}))

    def edit(self) -> QDialog | None:
        item = self.current()
        if item is None:
            return None
        return self.show_dialog(self.entity_dialog(
            Involvement, item.involvement, tr("Service involved"), prepare=self._prepare))


# -- contact log ------------------------------------------------------------------------


class ContactsPage(ListPage):
    """The contact log, newest first. Notes are never edited: a correction is a new note."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        c = ContactNote
        super().__init__(store, tr("Contact log"), [
            Column(field_label(c.FIELDS["occurred_at"]), lambda n: format_moment(n.occurred_at)),
            field_column(c, "contact_type"), field_column(c, "with_whom"),
            Column(field_label(c.FIELDS["discussed"]), lambda n: _one_line(n.discussed),
                   tip=lambda n: n.discussed or ""),
            field_column(c, "follow_up"),
            Column(tr("Corrects"), lambda n: tr("a note of ") + format_moment(
                self._when(n.amends)) if n.amends else ""),
        ], tr("Newest first. Notes are never changed afterwards, so the log stays a true "
              "account; to put one right, add a note that corrects it."), parent)
        self.setObjectName("contacts_page")
        self.view.setObjectName("contacts_table")
        self.button(tr("Log a contact..."), self.add, "log_contact")
        self.button(tr("View..."), self.edit, "view_contact")
        self.button(tr("Correct this note..."), self.correct, "correct_contact")
        self.finish_buttons()

    def _when(self, note_id: str | None) -> Any:
        found = next((n for n in self.model.items if n.id == note_id), None)
        return found.occurred_at if found is not None else None

    def items(self, record: PersonRecord) -> Sequence[Any]:
        return record.contacts

    def _fields(self) -> list[str]:
        return [n for n in ContactNote.FIELDS if n not in ("person_id", "amends")]

    def add(self) -> QDialog:
        return self.show_dialog(self.entity_dialog(ContactNote, None, tr("Log a contact"),
                                                   fields=self._fields()))

    def edit(self) -> QDialog | None:
        note = self.current()
        if note is None:
            return None
        return self.show_dialog(self.entity_dialog(ContactNote, note, tr("Contact-log note"),
                                                   fields=self._fields(), read_only=True))

    def correct(self) -> QDialog | None:
        note = self.current()
        if note is None:
            return None
        defaults = {n: getattr(note, n) for n in self._fields()}
        return self.show_dialog(self.entity_dialog(
            ContactNote, None, tr("Correct a contact-log note"), fields=self._fields(),
            defaults=defaults, fixed={"amends": note.id}))


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


# -- tasks and reviews -----------------------------------------------------------------


class TasksPage(ListPage):
    """Tasks and reminders, and the review dates of the person's decisions."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        t = Task
        today = date.today
        super().__init__(store, tr("Tasks and reviews"), [
            Column(field_label(t.FIELDS["due"]), lambda x: format_day(x.due),
                   bold=lambda x: x.done_on is None and x.due is not None and x.due < today()),
            Column(tr("State"), lambda x: (tr("Done") if x.done_on else
                                           tr("Overdue") if x.due and x.due < today()
                                           else tr("Open"))),
            field_column(t, "title"), field_column(t, "task_type"),
            field_column(t, "assigned_to"), field_column(t, "done_on"),
        ], "", parent)
        self.setObjectName("tasks_page")
        self.view.setObjectName("tasks_table")
        # the review dates line is marked up (bold when overdue, spaced separators) even
        # when nothing is overdue: Qt's guess took it for plain text and showed "&nbsp;"
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.button(tr("Add a task or review..."), self.add, "add_task")
        self.button(tr("Edit..."), self.edit, "edit_task")
        self.button(tr("Mark done"), self.mark_done, "task_done")
        self.removes, self.remove_question = Task, tr("Remove this task?")
        self.button(tr("Remove"), self.remove_current, "remove_task")
        self.finish_buttons()

    def items(self, record: PersonRecord) -> Sequence[Any]:
        p = record.person
        lines = []
        for name in ("cpr_review_date", "preferences_review_date"):
            due = getattr(p, name)
            not_set, overdue = tr("not set"), tr("overdue")
            text = escape(f"{field_label(p.FIELDS[name])}: {format_day(due) or not_set}")
            if due is not None and due < date.today():
                text = f"<b>{text} ({overdue})</b>"
            lines.append(text)
        self.intro.setText(" &nbsp;|&nbsp; ".join(lines))
        self.intro.show()
        return sorted(record.tasks, key=lambda x: (x.done_on is not None, x.due or date.max))

    def add(self) -> QDialog:
        return self.show_dialog(self.entity_dialog(Task, None, tr("Add a task or review")))

    def edit(self) -> QDialog | None:
        task = self.current()
        if task is None:
            return None
        return self.show_dialog(self.entity_dialog(Task, task, tr("Task")))

    def mark_done(self) -> bool:
        task = self.current()
        if task is None or task.done_on is not None:
            return False
        try:
            with self.store.writing() as writer:
                update_as_seen(writer, task, {"done_on": date.today()})
        except EolcareError as exc:
            show_error(self, exc)
            return False
        self.changed.emit()
        return True


# -- help rota ----------------------------------------------------------------------------


class RotaPage(ListPage):
    """The person's help rota: the coming week (gaps shown) and the slots behind it."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        r = RotaSlot
        super().__init__(store, tr("Help rota"), [
            field_column(r, "activity"),
            Column(field_label(r.FIELDS["starts_at"]), lambda x: format_moment(x.starts_at)),
            Column(field_label(r.FIELDS["ends_at"]), lambda x: format_moment(x.ends_at)),
            field_column(r, "repeat"), field_column(r, "repeat_until"),
            Column(field_label(r.FIELDS["helper_id"]), self._helper,
                   bold=lambda x: x.helper_id is None),
            field_column(r, "notes"),
        ], "", parent)
        self.setObjectName("rota_page")
        self.view.setObjectName("rota_table")
        self.week = RotaWeekWidget(store, parent=self, load=False)  # loaded with the record
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self.week, 2)
        self.button(tr("Add a slot..."), self.add, "add_slot")
        self.button(tr("Edit..."), self.edit, "edit_slot")
        self.removes, self.remove_question = RotaSlot, tr("Remove this rota slot?")
        self.button(tr("Remove"), self.remove_current, "remove_slot")
        self.finish_buttons()

    def _helper(self, slot: RotaSlot) -> str:
        if slot.helper_id is None:
            return tr("Nobody yet (a gap)")
        members = {m.id: m.name for m in (self.record.circle if self.record else [])}
        return members.get(slot.helper_id) or ""

    def items(self, record: PersonRecord) -> Sequence[Any]:
        names = {m.id: m.name for m in record.circle}
        self.week.show_lines(record.person.id, [
            RotaLine(slot, record.person.full_name or "", names.get(slot.helper_id or ""))
            for slot in record.rota])
        return record.rota

    def _prepare(self, form: EntityForm) -> None:
        editor = form.editors["helper_id"]
        assert isinstance(editor, RefEditor)
        editor.set_choices([(m.id, m.name or "") for m in (self.record.circle if self.record
                                                            else [])])

    def add(self) -> QDialog:
        return self.show_dialog(self.entity_dialog(
            RotaSlot, None, tr("Add a rota slot"), prepare=self._prepare,
            defaults={"repeat": Coded("weekly")}))

    def edit(self) -> QDialog | None:
        slot = self.current()
        if slot is None:
            return None
        return self.show_dialog(self.entity_dialog(RotaSlot, slot, tr("Rota slot"),
                                                   prepare=self._prepare))


# -- other documents --------------------------------------------------------------------


class DocumentsPage(ListPage):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        d = Document
        super().__init__(store, tr("Other documents"), [
            field_column(d, "name"), field_column(d, "location"), field_column(d, "dated"),
        ], tr("Other documents (a will, a care plan...) and where each is kept."), parent)
        self.setObjectName("documents_page")
        self.view.setObjectName("documents_table")
        self.button(tr("Add a document..."), self.add, "add_document")
        self.button(tr("Edit..."), self.edit, "edit_document")
        self.removes, self.remove_question = Document, tr("Remove this document?")
        self.button(tr("Remove"), self.remove_current, "remove_document")
        self.finish_buttons()

    def items(self, record: PersonRecord) -> Sequence[Any]:
        return record.documents

    def add(self) -> QDialog:
        return self.show_dialog(self.entity_dialog(Document, None, tr("Add a document")))

    def edit(self) -> QDialog | None:
        doc = self.current()
        if doc is None:
            return None
        return self.show_dialog(self.entity_dialog(Document, doc, tr("Document")))


__all__ = ["ROLE_FIELDS", "CirclePage", "ContactsPage", "DocumentsPage", "RotaPage",
           "ServicesPage", "TasksPage", "VolunteerPicker", "codes"]
