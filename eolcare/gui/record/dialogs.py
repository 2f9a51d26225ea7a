"""A dialog that adds or edits one record (a circle member, a task, a service...).

Saving writes through the core's Writer in one unit of work; when the core
refuses the values, its problems are shown beside the fields and the dialog
stays open with everything typed, so nothing is lost and nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.errors import EolcareError, ValidationError
from eolcare.domain.schema import Entity
from eolcare.gui.errors import show_error
from eolcare.gui.record.core import update_as_seen
from eolcare.gui.record.fields import field_label, tr
from eolcare.gui.record.form import EntityForm
from eolcare.gui.record.history import HistoryDialog
from eolcare.store import caseload
from eolcare.store.database import Store
from eolcare.store.writes import Writer


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class EntityDialog(QDialog):
    """Add (``entity=None``) or edit one record; ``stored`` holds it once saved."""

    saved = Signal(object)

    def __init__(self, store: Store, cls: type[Entity], entity: Entity | None = None, *,
                 title: str, fields: Sequence[str] | None = None,
                 fixed: dict[str, Any] | None = None, defaults: dict[str, Any] | None = None,
                 read_only: bool = False,
                 prepare: Callable[[EntityForm], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName(f"dialog_{cls.KIND}")
        self.store, self.cls, self.entity = store, cls, entity
        self.fixed = dict(fixed or {})
        self.stored: Entity | None = None
        #: The person whose record holds this entry (None for directory entries).
        self.owner_id = entity.owner_id if entity is not None else None
        self.history_dialog: HistoryDialog | None = None
        self.form = EntityForm(cls, fields, history=self.owner_id is not None, parent=self)
        self.form.historyRequested.connect(self.show_history)
        if prepare is not None:
            prepare(self.form)  # e.g. the choices of a reference field
        self.form.load(entity, defaults)
        self.form.set_read_only(read_only)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field; it scrolls
        scroll.setWidget(self.form)
        self.buttons = QDialogButtonBox(self)
        if read_only:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            self.buttons.rejected.connect(self.reject)
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.buttons.accepted.connect(self.save)
            self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not read_only and any(s.required for s in cls.FIELDS.values()):
            layout.addWidget(QLabel(tr("Fields marked * are required."), self))
        layout.addWidget(scroll)
        layout.addWidget(self.buttons)
        hint = self.form.sizeHint()
        self.resize(max(640, hint.width() + 60), min(760, hint.height() + 110))
        last = self.form.last_input()
        if last is not None:
            QWidget.setTabOrder(last, self.buttons)

    def show_history(self, field: str) -> HistoryDialog | None:
        """Every change of one field of this entry, newest first."""
        if self.entity is None or self.owner_id is None:
            return None
        with self.store.reading() as session:
            changes = [c for c in caseload.history(session, self.owner_id, field)
                       if c.entity_id == self.entity.id]
        dialog = HistoryDialog(field_label(self.cls.FIELDS[field]), changes, self)
        self.history_dialog = dialog
        dialog.open()
        return dialog

    def write(self, writer: Writer) -> Entity:
        """The write of this dialog (an add or an edit against the stamps loaded)."""
        if self.entity is None:
            return writer.add(self.cls(**self.fixed, **self.form.values()))
        return update_as_seen(writer, self.entity, self.form.changes())

    def save(self) -> bool:
        """Write what the form holds; on a problem, show it and stay open."""
        problems = self.form.local_problems()
        if problems:
            self.form.show_problems(problems)
            return False
        try:
            with self.store.writing() as writer:
                stored = self.write(writer)
        except ValidationError as exc:
            self.form.show_problems(exc.problems)
            return False
        except EolcareError as exc:
            show_error(self, exc)
            return False
        self.stored = stored
        self.saved.emit(stored)
        self.accept()
        return True

    def reject(self) -> None:
        if self.form.is_dirty() and not confirm(
                self, tr("Discard changes?"),
                tr("What you typed here has not been saved. Discard it?")):
            return
        super().reject()
