"""The help rota as a week: who helps whom when, with the gaps marked and counted.

Columns are the seven days from the chosen start; each cell lists one
occurrence of a slot (repeating slots expanded by :mod:`eolcare.domain.rota`).
A slot nobody has signed up for is a gap, drawn in a warning colour and
counted above the grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.entities import RotaSlot
from eolcare.domain.rota import Occurrence, week_ahead
from eolcare.gui import worker
from eolcare.gui.errors import show_error
from eolcare.gui.record.core import format_day, show_value
from eolcare.gui.record.fields import tr
from eolcare.gui.record.models import ItemRole
from eolcare.store import lookups
from eolcare.store.database import Store
from eolcare.store.lookups import RotaLine

Index = QModelIndex | QPersistentModelIndex
GAP_COLOUR = QColor(220, 60, 40, 70)  # translucent: readable on light and dark palettes


class RotaWeekModel(QAbstractTableModel):
    """Seven day columns; row ``r`` of a day is that day's ``r``-th occurrence."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.start = date.today()
        self.days: list[list[tuple[Occurrence, RotaLine]]] = [[] for _ in range(7)]
        self.show_person = True
        self._bold = QFont()
        self._bold.setBold(True)

    def set_week(self, start: date, lines: Sequence[RotaLine]) -> None:
        self.beginResetModel()
        self.start = start
        by_slot = {line.slot.id: line for line in lines}
        begin = datetime.combine(start, time.min).astimezone()
        self.days = [[] for _ in range(7)]
        for occurrence in week_ahead([line.slot for line in lines], begin, 7):
            day = (occurrence.starts_at.astimezone().date() - start).days
            if 0 <= day < 7:
                self.days[day].append((occurrence, by_slot[occurrence.slot.id]))
        self.endResetModel()

    def occurrences(self) -> list[tuple[Occurrence, RotaLine]]:
        return [entry for day in self.days for entry in day]

    def gap_count(self) -> int:
        return sum(1 for occurrence, _ in self.occurrences() if occurrence.is_gap)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else max((len(d) for d in self.days), default=0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 7

    def entry(self, index: Index) -> tuple[Occurrence, RotaLine] | None:
        if not index.isValid() or not 0 <= index.column() < 7:
            return None
        day = self.days[index.column()]
        return day[index.row()] if 0 <= index.row() < len(day) else None

    def text(self, occurrence: Occurrence, line: RotaLine) -> str:
        slot = occurrence.slot
        when = (f"{occurrence.starts_at.astimezone():%H:%M}-"
                f"{occurrence.ends_at.astimezone():%H:%M}")
        what = show_value(RotaSlot.FIELDS["activity"], slot.activity)
        who = line.helper_name or tr("GAP: nobody signed up")
        lines = [f"{when} {what}"]
        if self.show_person:
            lines.append(tr("for %1").replace("%1", line.person_name))
        lines.append(who if line.helper_name else f"⚠ {who}")
        return "\n".join(lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index)
        if entry is None:
            return None
        occurrence, line = entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self.text(occurrence, line)
        if role == Qt.ItemDataRole.BackgroundRole and occurrence.is_gap:
            return QBrush(GAP_COLOUR)
        if role == Qt.ItemDataRole.FontRole and occurrence.is_gap:
            return self._bold
        if role == ItemRole:
            return line
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 7:
            day = self.start + timedelta(days=section)
            gaps = sum(1 for o, _ in self.days[section] if o.is_gap)
            suffix = f"\n{gaps} " + (tr("gap") if gaps == 1 else tr("gaps")) if gaps else "\n"
            return f"{day:%a} {format_day(day)}{suffix}"
        if orientation == Qt.Orientation.Vertical and section >= 0:
            return section + 1
        return None


class RotaWeekWidget(QWidget):
    """A week of the help rota, for one person or the whole caseload."""

    openPerson = Signal(str)  # noqa: N815 (Qt signal naming)
    #: The rota was read again (the whole caseload's is read off the GUI thread).
    loaded = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 person_id: str | None = None, load: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("rota_week")
        self.store = store
        self.person_id = person_id
        self.model = RotaWeekModel(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("rota_gaps")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.previous = QPushButton(tr("< Previous week"), self)
        self.today_button = QPushButton(tr("Coming week"), self)
        self.next = QPushButton(tr("Next week >"), self)
        self.previous.clicked.connect(lambda: self.set_start(self.model.start - timedelta(7)))
        self.next.clicked.connect(lambda: self.set_start(self.model.start + timedelta(7)))
        self.today_button.clicked.connect(lambda: self.set_start(date.today()))
        self.view = QTableView(self)
        self.view.setObjectName("rota_week_table")
        self.view.setAccessibleName(tr("Help rota week"))
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.previous)
        row.addWidget(self.today_button)
        row.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("<h2>" + tr("Help rota: the week ahead") + "</h2>", self)
        self.heading.setVisible(person_id is None)
        layout.addWidget(self.heading)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self.lines: list[RotaLine] = []
        self._pending: worker.Runner | None = None
        self._shown_once = False
        self.model.show_person = person_id is None
        if load:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Shown again (the coordinator comes back to it): read it again, since records
        may have changed meanwhile. The first showing uses what the constructor read."""
        if self._shown_once and self.person_id is None:
            self.refresh()
        self._shown_once = True
        super().showEvent(event)

    def show_lines(self, person_id: str, lines: list[RotaLine]) -> None:
        """Show one person's rota from lines already read (with their record)."""
        self.person_id = person_id
        self.model.show_person = False
        self.heading.setVisible(False)
        self._loaded(lines)

    def set_person(self, person_id: str | None) -> None:
        self.person_id = person_id
        self.model.show_person = person_id is None
        self.heading.setVisible(person_id is None)
        self.refresh()

    def refresh(self) -> worker.Runner | None:
        """Read the rota again (one query; the week is expanded in memory).

        One person's rota is read at once (a few rows, part of opening the record);
        the whole caseload's off the GUI thread, returning the Runner.
        """
        if self.person_id is not None:
            with self.store.reading() as session:
                self._loaded(lookups.rota(session, self.person_id))
            return None
        if self._pending is not None:
            self._pending.cancel()
        store = self.store

        def query() -> list[RotaLine]:
            with store.reading() as session:
                return lookups.rota(session)

        runner = worker.Runner(query, what="help rota")
        runner.finished.connect(self._loaded)
        runner.failed.connect(lambda exc: show_error(self, exc))
        self._pending = runner
        self.summary.setText(tr("Reading the rota..."))
        return runner.start()

    def _loaded(self, lines: list[RotaLine]) -> None:
        self._pending = None
        self.lines = lines
        self.set_start(self.model.start)
        self.loaded.emit()

    def set_start(self, start: date) -> None:
        self.model.set_week(start, self.lines)
        gaps = self.gap_count()
        total = len(self.model.occurrences())
        text = (tr("{gaps} of {total} slots this week have nobody signed up")
                .replace("{gaps}", str(gaps)).replace("{total}", str(total)))
        self.summary.setText(f"<b>{text}</b>" if gaps else
                             tr("Every slot this week has a helper ({total} slots)")
                             .replace("{total}", str(total)))
        self.summary.setAccessibleName(self.summary.text())

    def gap_count(self) -> int:
        """Slot occurrences in the week shown with nobody signed up."""
        return self.model.gap_count()

    def _open(self, index: QModelIndex) -> None:
        entry = self.model.entry(index)
        line = entry[1] if entry is not None else None
        if line is not None and line.slot.person_id:
            self.openPerson.emit(line.slot.person_id)
