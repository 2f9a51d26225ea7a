"""The "needs review" banner: both values of a flagged concurrent change, and a choice.

Choosing a value is an ordinary edit (it syncs like any other) made through
the core's review functions, which clear the flag once nothing else on the
record needs review.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from eolcare.domain.entities import KINDS
from eolcare.domain.record import PersonRecord
from eolcare.gui.record.core import format_moment
from eolcare.gui.record.fields import field_label, section_title, tr
from eolcare.store import review
from eolcare.store.writes import Writer


def conflicts(session: Session, record: PersonRecord) -> list[review.Conflict]:
    """What is flagged "needs review" on one person's record (nothing read when nothing is)."""
    if not record.needs_review:
        return []
    return review.conflicts(session, record.person.id)


def resolve(writer: Writer, conflict: review.Conflict, chosen_raw: Any) -> None:
    """Keep ``chosen_raw`` for the conflict's field (an ordinary edit that clears the flag
    once nothing else on the entry is contested); a flag with no field is marked reviewed."""
    if conflict.field is None:
        review.mark_reviewed(writer, conflict.kind, conflict.entity_id)
    else:
        review.resolve(writer, conflict.kind, conflict.entity_id, conflict.field, chosen_raw)


def _where(conflict: review.Conflict) -> str:
    """Which entry of the record: nothing for the person, the section for a list entry."""
    if conflict.kind == "person":
        return ""
    cls = KINDS[conflict.kind]
    return section_title(next(iter(cls.FIELDS.values())).section) + ": "


class ConflictBanner(QFrame):
    """A banner listing each flagged field with both values and a button to keep each."""

    chosen = Signal(object, object)  # the conflict, the chosen raw value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#conflict_banner { background: #fff4ce; border: 1px solid #c19c00; }"
                           " #conflict_banner QLabel { color: #3b2f00; }")
        self.setAccessibleName(tr("Needs review"))
        self._layout = QVBoxLayout(self)
        self.buttons: list[QPushButton] = []
        self.conflicts: list[review.Conflict] = []
        self.hide()

    def set_conflicts(self, found: Sequence[review.Conflict]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
            elif item is not None and item.layout() is not None:
                _clear(item.layout())
        self.buttons = []
        self.conflicts = list(found)
        if not found:
            self.hide()
            return
        title = QLabel(
            "<b>" + tr("Needs review") + ":</b> " +
            tr("two values were recorded at the same time on different devices. "
               "Both are kept; choose the one that is right."), self)
        title.setWordWrap(True)
        self._layout.addWidget(title)
        for conflict in found:
            grid = QGridLayout()
            spec = KINDS[conflict.kind].FIELDS.get(conflict.field or "")
            label = field_label(spec) if spec is not None else conflict.label
            head = QLabel(f"<b>{_esc(_where(conflict) + label)}</b>", self)
            head.setWordWrap(True)
            grid.addWidget(head, 0, 0, 1, 3)
            if conflict.field is None:  # nothing to choose between: the coordinator looks
                button = QPushButton(tr("Mark as reviewed"), self)
                button.setAccessibleName(tr("Mark as reviewed: %1").replace("%1", label))
                button.setObjectName(f"reviewed_{conflict.entity_id}")
                button.clicked.connect(lambda _=False, c=conflict: self.chosen.emit(c, None))
                grid.addWidget(button, 0, 2)
                self.buttons.append(button)
            for row, value in enumerate(conflict.values, start=1):
                who = f"{value.author}, {format_moment(value.at)}"
                state = tr("now shown") if value.current else tr("kept for review")
                empty = tr("(empty)")
                text = QLabel(f"{_esc(value.text or empty)}  <i>({_esc(who)}; "
                              f"{state})</i>", self)
                text.setWordWrap(True)
                button = QPushButton(tr("Keep this"), self)
                button.setAccessibleName(tr("Keep %1 for %2").replace("%1", value.text or empty)
                                         .replace("%2", label))
                button.setObjectName(f"keep_{conflict.field}_{row - 1}")
                button.clicked.connect(
                    lambda _=False, c=conflict, v=value: self.chosen.emit(c, v.raw))
                grid.addWidget(text, row, 0, 1, 2)
                grid.addWidget(button, row, 2)
                self.buttons.append(button)
            grid.setColumnStretch(0, 1)
            self._layout.addLayout(grid)
        self.show()


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
