"""The "needs review" banner: both values of a flagged concurrent change, and a choice.

Choosing a value is an ordinary edit (it syncs like any other) made through
the core's review functions, which clear the flag once nothing else on the
record needs review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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
from eolcare.domain.schema import from_json, to_json
from eolcare.gui.record.core import format_moment, show_json_value
from eolcare.gui.record.fields import field_label, tr
from eolcare.store import caseload
from eolcare.store.writes import Writer

try:  # the lead's review module
    from eolcare.store import review as _review  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - until review.py lands in main
    _review = None  # type: ignore[assignment]


@dataclass(frozen=True)
class ConflictValue:
    raw: Any
    text: str
    author: str
    device: str
    at: datetime | None
    won: bool


@dataclass(frozen=True)
class Conflict:
    kind: str
    entity_id: str
    person_id: str | None
    person_name: str | None
    field: str
    label: str
    values: list[ConflictValue]


def conflicts(session: Session, record: PersonRecord) -> list[Any]:
    """The flagged concurrent changes of one person's record."""
    if not record.needs_review:
        return []
    if _review is not None:
        return list(_review.conflicts(session, record.person.id))
    return _from_history(session, record)  # pragma: no cover


def _from_history(session: Session, record: PersonRecord) -> list[Conflict]:
    """Losing values from the field history, beside what each field now holds."""
    flagged = {e.id: e for e in [record.person, *record.circle, *record.tasks, *record.rota,
                                 *record.documents, *(s.involvement for s in record.services)]
               if e.provenance is not None and e.provenance.needs_review}
    found: dict[tuple[str, str], Conflict] = {}
    for change in caseload.history(session, record.person.id):
        entity = flagged.get(change.entity_id)
        spec = KINDS[change.kind].FIELDS.get(change.field)
        if change.won or entity is None or spec is None or not spec.significant:
            continue
        key = (change.entity_id, change.field)
        if key not in found:
            current = to_json(spec, getattr(entity, change.field))
            assert entity.provenance is not None
            found[key] = Conflict(
                change.kind, change.entity_id, record.person.id, record.person.full_name,
                change.field, spec.label,
                [ConflictValue(current, show_json_value(spec, current),
                               entity.provenance.updated_by, "", None, True)])
        found[key].values.append(ConflictValue(change.new, show_json_value(spec, change.new),
                                               change.author, change.device, change.at, False))
    return list(found.values())


def resolve(writer: Writer, conflict: Any, chosen_raw: Any) -> None:
    """Keep ``chosen_raw`` for the conflict's field: an ordinary edit."""
    if _review is not None:
        _review.resolve(writer, conflict.kind, conflict.entity_id, conflict.field, chosen_raw)
        return
    cls = KINDS[conflict.kind]  # pragma: no cover
    writer.update(cls, conflict.entity_id,
                  **{conflict.field: from_json(cls.FIELDS[conflict.field], chosen_raw)})


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
        self.conflicts: list[Any] = []
        self.hide()

    def set_conflicts(self, found: Sequence[Any]) -> None:
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
            spec = KINDS[conflict.kind].FIELDS.get(conflict.field)
            label = field_label(spec) if spec is not None else conflict.label
            head = QLabel(f"<b>{_esc(label)}</b>", self)
            grid.addWidget(head, 0, 0, 1, 3)
            for row, value in enumerate(conflict.values, start=1):
                when = format_moment(value.at) if value.at else ""
                who = f"{value.author}" + (f", {when}" if when else "")
                state = tr("now shown") if value.won else tr("kept for review")
                text = QLabel(f"{_esc(value.text or tr('(empty)'))}  <i>({_esc(who)}; "
                              f"{state})</i>", self)
                text.setWordWrap(True)
                button = QPushButton(tr("Keep this"), self)
                button.setAccessibleName(f"{tr('Keep')} {value.text} {tr('for')} {label}")
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
