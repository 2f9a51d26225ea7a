"""Review what sync flagged: every conflict with its competing values, who and when;
choosing one settles it (the choice is an ordinary edit, so it syncs)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain import display
from eolcare.gui.errors import show_error
from eolcare.gui.tr import tr
from eolcare.gui.worker import Runner
from eolcare.store import review
from eolcare.store.database import Store

CONTEXT = "ConflictReview"


def load_conflicts(store: Store) -> list[review.Conflict]:
    with store.reading() as s:
        return review.conflicts(s)


def settle(store: Store, conflict: review.Conflict, chosen: Any) -> None:
    with store.writing() as w:
        if conflict.field is None:
            review.mark_reviewed(w, conflict.kind, conflict.entity_id)
        else:
            review.resolve(w, conflict.kind, conflict.entity_id, conflict.field, chosen)


class ConflictReviewWidget(QWidget):
    """A list of conflicts; the selected one's values; "Keep this value"."""

    settled = Signal()  # after a choice was saved (the status should refresh)
    loaded = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.conflicts: list[review.Conflict] = []
        self.list = QListWidget(self)
        self.list.setAccessibleName(tr("Records needing review", CONTEXT))
        self.values = QListWidget(self)
        self.values.setAccessibleName(tr("Competing values", CONTEXT))
        self.heading = QLabel(tr("Choose a record to review.", CONTEXT), self)
        self.heading.setWordWrap(True)
        self.keep = QPushButton(tr("&Keep this value", CONTEXT), self)
        self.keep.setEnabled(False)
        values_label = QLabel(tr("&Values", CONTEXT), self)
        values_label.setBuddy(self.values)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(values_label)
        right.addWidget(self.values)
        right.addWidget(self.keep)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(right, 2)
        self.list.currentRowChanged.connect(self._show)
        self.values.currentRowChanged.connect(lambda row: self.keep.setEnabled(row >= 0))
        self.keep.clicked.connect(self.keep_selected)

    def reload(self) -> Runner:
        runner = Runner(lambda: load_conflicts(self.store), what="conflicts", parent=self)
        runner.finished.connect(self._loaded)
        runner.failed.connect(lambda exc: show_error(self, exc))
        return runner.start()

    def _loaded(self, conflicts: list[review.Conflict]) -> None:
        self.conflicts = conflicts
        self.list.clear()
        for c in conflicts:
            who = c.person_name or tr("(no person)", CONTEXT)
            self.list.addItem(QListWidgetItem(f"{who} - {c.label}"))
        self.values.clear()
        self.keep.setEnabled(False)
        self.heading.setText(tr("Nothing needs review.", CONTEXT) if not conflicts
                             else tr("Choose a record to review.", CONTEXT))
        self.loaded.emit(len(conflicts))

    def _show(self, row: int) -> None:
        self.values.clear()
        if row < 0 or row >= len(self.conflicts):
            return
        c = self.conflicts[row]
        self.heading.setText(tr("%1 was changed on two laptops. Both values are kept until "
                                "you choose one.", CONTEXT).replace("%1", c.label))
        for v in c.values:
            now = tr(" (shown now)", CONTEXT) if v.current else ""
            self.values.addItem(f"{v.text}{now} - {v.author}, {display.format_moment(v.at)}")
        if not c.values:
            self.values.addItem(tr("Looked at: mark as reviewed", CONTEXT))

    def _settled(self, _: object) -> None:
        self.settled.emit()
        self.reload()

    def keep_selected(self) -> Runner | None:
        row, choice = self.list.currentRow(), self.values.currentRow()
        if row < 0 or choice < 0:
            return None
        c = self.conflicts[row]
        chosen = c.values[choice].raw if c.values else None
        self.keep.setEnabled(False)
        runner = Runner(lambda: settle(self.store, c, chosen), writes=True,
                        what="settle conflict", parent=self)
        runner.finished.connect(self._settled)
        runner.failed.connect(lambda exc: show_error(self, exc))
        return runner.start()
