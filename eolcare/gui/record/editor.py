"""A person's record in one editor: every section of DATASET.md, saved against what was seen.

Sections 1-6 (the person, illness, what matters, preferences, decisions,
medicines) are forms built from the field specs, edited in place and saved
together with Save (or thrown away with Discard). An edit is saved against
the stamps the form loaded, so a clinically significant field changed
underneath (by sync, or another window) is flagged "needs review" with both
values kept, never silently overwritten. The lists (circle of support,
services, contact log, tasks, rota, documents) add and change their entries
through dialogs that save on their own.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.entities import Person
from eolcare.domain.errors import EolcareError, Problem, ValidationError
from eolcare.domain.record import HistoryEntry, PersonRecord
from eolcare.gui.record import conflicts as review
from eolcare.gui.record.conflicts import ConflictBanner
from eolcare.gui.record.core import (
    age,
    display_name,
    format_moment,
    show_value,
    update_as_seen,
)
from eolcare.gui.record.dialogs import show_error
from eolcare.gui.record.fields import field_label, section_title, tr
from eolcare.gui.record.form import PROBLEM_STYLE, EntityForm
from eolcare.gui.record.history import HistoryDialog
from eolcare.gui.record.pages import (
    CirclePage,
    ContactsPage,
    DocumentsPage,
    ListPage,
    RotaPage,
    ServicesPage,
    TasksPage,
)
from eolcare.store import caseload
from eolcare.store.database import Store

#: Person fields by DATASET section, in the order the domain declares them.
PERSON_SECTIONS: dict[str, list[str]] = {}
for _name, _spec in Person.FIELDS.items():
    PERSON_SECTIONS.setdefault(_spec.section, []).append(_name)


def last_change_line(changes: list[HistoryEntry]) -> str:
    """ "Last changed by ... on ..." from the newest change (empty when none)."""
    if not changes:
        return ""
    newest = max(changes, key=lambda c: c.at)
    return (tr("Last changed by {who} on {when}").replace("{who}", newest.author)
            .replace("{when}", format_moment(newest.at)))


class PersonEditorWidget(QWidget):
    """The whole record of one person, section by section."""

    saved = Signal(str)
    dirtyChanged = Signal(bool)  # noqa: N815 (Qt signal naming)
    openPerson = Signal(str)  # noqa: N815

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("person_editor")
        self.store = store
        self.record: PersonRecord | None = None
        self.loaded_person: Person | None = None  # what the forms were loaded from
        self.history_dialog: HistoryDialog | None = None
        self._dirty = False
        #: Asks Save / Discard / Cancel; replaceable so a caller can decide without a box.
        self.ask_leave: Callable[[QWidget | None], QMessageBox.StandardButton] = self._ask

        # header: who, unsaved state, save and discard
        self.title = QLabel(self)
        self.title.setObjectName("person_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.details = QLabel(self)
        self.details.setObjectName("person_details")
        self.details.setWordWrap(True)
        self.unsaved = QLabel(tr("Unsaved changes"), self)
        self.unsaved.setObjectName("unsaved_marker")
        self.unsaved.setStyleSheet("font-weight: bold;")
        self.unsaved.hide()
        self.save_button = QPushButton(tr("&Save"), self)
        self.save_button.setObjectName("save_person")
        self.save_button.setToolTip(tr("Save the changes to this record (Ctrl+S)"))
        self.save_button.clicked.connect(lambda _=False: self.save())
        self.discard_button = QPushButton(tr("&Discard changes"), self)
        self.discard_button.setObjectName("discard_person")
        self.discard_button.clicked.connect(self._discard_asked)
        # Ctrl+S is the window's "Save the record" action (one shortcut, one owner:
        # a second one here would make it ambiguous and neither would fire).
        self.problems = QLabel(self)
        self.problems.setObjectName("save_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.problems.hide()
        self.banner = ConflictBanner(self)
        self.banner.chosen.connect(self.resolve)

        # sections: a list on the left, the chosen one on the right
        self.nav = QListWidget(self)
        self.nav.setObjectName("record_sections")
        self.nav.setAccessibleName(tr("Sections of the record"))
        self.stack = QStackedWidget(self)
        self.forms: dict[str, EntityForm] = {}
        for section, names in PERSON_SECTIONS.items():
            form = EntityForm(Person, names, history=True, parent=self)
            form.setObjectName(f"form_{names[0]}")
            form.dirtyChanged.connect(self._form_dirty)
            form.historyRequested.connect(self.show_history)
            self.forms[section] = form
            self._add_page(section_title(section), form)
        self.circle = CirclePage(store, self)
        self.services = ServicesPage(store, self)
        self.contacts = ContactsPage(store, self)
        self.tasks = TasksPage(store, self)
        self.rota = RotaPage(store, self)
        self.documents = DocumentsPage(store, self)
        self.lists: list[ListPage] = [self.circle, self.services, self.contacts, self.tasks,
                                      self.rota, self.documents]
        for title, page in ((tr("7. Circle of support"), self.circle),
                            (tr("8. Services"), self.services),
                            (tr("9. Contact log"), self.contacts),
                            (tr("Tasks and reviews"), self.tasks),
                            (tr("Help rota"), self.rota),
                            (tr("Other documents"), self.documents)):
            page.changed.connect(self.reload_lists)
            self.stack.addWidget(page)
            self.nav.addItem(title)
        self.rota.week.openPerson.connect(self.openPerson)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.nav.setMaximumWidth(280)

        self.empty = QLabel(tr("Choose a person from the caseload to see their record."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.body = splitter

        top = QHBoxLayout()
        who = QVBoxLayout()
        who.addWidget(self.title)
        who.addWidget(self.details)
        top.addLayout(who, 1)
        top.addWidget(self.unsaved)
        top.addWidget(self.save_button)
        top.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.problems)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty, 1)
        QWidget.setTabOrder(self.save_button, self.discard_button)
        QWidget.setTabOrder(self.discard_button, self.nav)
        self._show_loaded(False)

    def _add_page(self, title: str, form: EntityForm) -> None:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field; it scrolls
        scroll.setObjectName(f"page_{form.objectName()}")
        holder = QWidget(scroll)
        column = QVBoxLayout(holder)
        heading = QLabel(f"<h2>{title}</h2>", holder)
        column.addWidget(heading)
        column.addWidget(form)
        scroll.setWidget(holder)
        self.stack.addWidget(scroll)
        self.nav.addItem(title)

    def _show_loaded(self, loaded: bool) -> None:
        self.body.setVisible(loaded)
        self.empty.setVisible(not loaded)
        for w in (self.save_button, self.discard_button):
            w.setEnabled(loaded and self._dirty)
        if not loaded:
            self.title.setText("")
            self.details.setText("")

    # -- the shell's side ---------------------------------------------------------------

    @property
    def person_id(self) -> str | None:
        return self.record.person.id if self.record is not None else None

    def load(self, person_id: str) -> None:
        """Show a person's record (unsaved edits of the one shown are the caller's to guard)."""
        with self.store.reading() as session:
            record = caseload.load_record(session, person_id)
            changes = caseload.history(session, person_id)
            found = review.conflicts(session, record)
        self.loaded_person = record.person
        for form in self.forms.values():
            form.load(record.person)
        self._show_record(record, changes, found)
        self._show_loaded(True)
        self._update_dirty()

    def reload_lists(self) -> None:
        """Read the record again for the lists, banner and header; the forms keep their edits."""
        if self.record is None:
            return
        with self.store.reading() as session:
            record = caseload.load_record(session, self.record.person.id)
            changes = caseload.history(session, record.person.id)
            found = review.conflicts(session, record)
        self._show_record(record, changes, found)

    def _show_record(self, record: PersonRecord, changes: list[HistoryEntry],
                     found: list[Any]) -> None:
        self.record = record
        person = record.person
        self.title.setText(f"<h1>{_esc(display_name(person))}</h1>")
        self.details.setText(self._details(person))
        for section, form in self.forms.items():
            names = set(PERSON_SECTIONS[section])
            form.footer.setText(last_change_line(
                [c for c in changes if c.entity_id == person.id and c.field in names]))
        kinds = {self.circle: "circle_member", self.services: "involvement",
                 self.contacts: "contact", self.tasks: "task", self.rota: "rota_slot",
                 self.documents: "document"}
        for page in self.lists:
            page.set_record(record)
            line = last_change_line([c for c in changes if c.kind == kinds[page]])
            count = tr("{count} entries").replace("{count}", str(len(page.model.items)))
            page.footer.setText(f"{count}. {line}" if line else count)
        self.banner.set_conflicts(found)
        chain = [self.discard_button, *self.banner.buttons, self.nav]  # as laid out
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _details(self, person: Person) -> str:
        parts = []
        years = age(person.date_of_birth, date.today())
        if years is not None:
            parts.append(tr("Age {n}").replace("{n}", str(years)))
        for name in ("nhs_number", "date_of_birth", "status", "gsf_stage",
                     "preferred_place_of_death", "cpr_decision"):
            value = getattr(person, name)
            if value is not None:
                spec = Person.FIELDS[name]
                parts.append(f"{field_label(spec)}: {show_value(spec, value)}")
        return "  ·  ".join(parts)

    def is_dirty(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        """Save the forms' changes against the stamps they loaded; False when nothing saved."""
        if self.loaded_person is None:
            return True
        problems = [p for form in self.forms.values() for p in form.local_problems()]
        if problems:
            self._show_problems(problems)
            return False
        changes: dict[str, Any] = {}
        for form in self.forms.values():
            changes.update(form.changes())
        if not changes:
            return True
        try:
            with self.store.writing() as writer:
                stored = update_as_seen(writer, self.loaded_person, changes)
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return False
        except EolcareError as exc:
            show_error(self, exc)
            return False
        self._clear_problems()
        assert stored.provenance is not None
        if stored.provenance.needs_review or self.record is None:
            self.load(stored.id)  # flagged: show the banner with both values
        else:
            self._show_saved(stored, changes)
        self.saved.emit(stored.id)
        return True

    def _show_saved(self, stored: Person, changes: dict[str, Any]) -> None:
        """After a save: the forms that changed show what the store now holds (tidied
        values, new stamps); the others keep what they show. No second read."""
        assert self.record is not None
        assert stored.provenance is not None
        self.loaded_person = stored
        self.record = dataclasses.replace(self.record, person=stored)
        line = (tr("Last changed by {who} on {when}")
                .replace("{who}", stored.provenance.updated_by)
                .replace("{when}", format_moment(stored.provenance.updated_at)))
        sections = {Person.FIELDS[name].section for name in changes}
        for section in sections:
            self.forms[section].load(stored)
            self.forms[section].footer.setText(line)
        self.title.setText(f"<h1>{_esc(display_name(stored))}</h1>")
        self.details.setText(self._details(stored))
        self._update_dirty()

    def discard(self) -> None:
        """Throw away the unsaved edits: the forms show what was loaded again."""
        if self.loaded_person is None:
            return
        for form in self.forms.values():
            form.load(self.loaded_person)
        self._clear_problems()
        self._update_dirty()

    def confirm_leave(self, parent: QWidget | None = None) -> bool:
        """Before showing another person or quitting: True when it is fine to go on."""
        if not self.is_dirty():
            return True
        answer = self.ask_leave(parent or self)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.discard()
            return True
        return False

    def _ask(self, parent: QWidget | None) -> QMessageBox.StandardButton:
        box = QMessageBox(parent)
        box.setObjectName("unsaved_changes_box")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Unsaved changes"))
        box.setText(tr("This record has changes that are not saved yet."))
        box.setInformativeText(tr("Save them, discard them, or go back to the record?"))
        box.setStandardButtons(QMessageBox.StandardButton.Save |
                               QMessageBox.StandardButton.Discard |
                               QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        return QMessageBox.StandardButton(box.exec())

    def _discard_asked(self) -> None:
        answer = QMessageBox.question(
            self, tr("Discard changes?"),
            tr("Throw away the changes made to this record since it was last saved?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            self.discard()

    # -- dirty state, problems, history, conflicts --------------------------------------

    def _form_dirty(self, _dirty: bool) -> None:
        self._update_dirty()

    def _update_dirty(self) -> None:
        dirty = any(form.is_dirty() for form in self.forms.values())
        self.unsaved.setVisible(dirty)
        loaded = self.record is not None
        self.save_button.setEnabled(loaded and dirty)
        self.discard_button.setEnabled(loaded and dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _show_problems(self, problems: list[Problem]) -> None:
        first_section: int | None = None
        for index, form in enumerate(self.forms.values()):
            unmatched = form.show_problems(problems, elsewhere=False)
            if len(unmatched) < len(problems) and first_section is None:
                first_section = index
        if first_section is not None:
            self.nav.setCurrentRow(first_section)
        self.problems.setText(tr("Nothing was saved. Put right what is shown beside the fields:")
                              + " " + "; ".join(str(p) for p in problems))
        self.problems.show()

    def _clear_problems(self) -> None:
        for form in self.forms.values():
            form.clear_problems()
        self.problems.clear()
        self.problems.hide()

    def show_history(self, field: str) -> HistoryDialog | None:
        if self.record is None:
            return None
        with self.store.reading() as session:
            changes = [c for c in caseload.history(session, self.record.person.id, field)
                       if c.entity_id == self.record.person.id]
        dialog = HistoryDialog(field_label(Person.FIELDS[field]), changes, self)
        self.history_dialog = dialog
        dialog.open()
        return dialog

    def resolve(self, conflict: Any, chosen_raw: Any) -> bool:
        """Keep one value of a flagged conflict (an ordinary edit); other edits are kept."""
        if self.record is None or self.loaded_person is None:
            return False
        try:
            with self.store.writing() as writer:
                review.resolve(writer, conflict, chosen_raw)
        except EolcareError as exc:
            show_error(self, exc)
            return False
        pending = {name: value for form in self.forms.values()
                   for name, value in form.changes().items()}
        self.load(self.record.person.id)
        for form in self.forms.values():  # unsaved edits of other fields stay
            for name, editor in form.editors.items():
                if name in pending and name != conflict.field:
                    editor.set_value(pending[name])
        self.saved.emit(self.record.person.id)
        return True


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
