"""The history of one field: who changed it, from what, to what, when."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.entities import KINDS
from eolcare.domain.record import HistoryEntry
from eolcare.gui.record.core import format_moment, show_json_value
from eolcare.gui.record.fields import field_label, tr
from eolcare.gui.record.models import Column, ListTableModel
from eolcare.gui.record.views import fit_columns


def _shown(change: HistoryEntry, raw: object) -> str:
    spec = KINDS[change.kind].FIELDS.get(change.field)
    return show_json_value(spec, raw) if spec is not None else str(raw)


def history_model(changes: Sequence[HistoryEntry]) -> ListTableModel[HistoryEntry]:
    model: ListTableModel[HistoryEntry] = ListTableModel([
        Column(tr("When"), lambda c: format_moment(c.at)),
        Column(tr("By"), lambda c: c.author),
        Column(tr("From"), lambda c: _shown(c, c.old) if c.old is not None else ""),
        Column(tr("To"), lambda c: _shown(c, c.new),
               tip=lambda c: "" if c.won else tr("Kept for review: another change won")),
        Column(tr("Applied"), lambda c: tr("Yes") if c.won else tr("No: kept for review"),
               bold=lambda c: not c.won),
    ])
    model.set_items(list(reversed(changes)))  # newest first
    return model


class HistoryDialog(QDialog):
    """Every recorded change of one field, newest first."""

    def __init__(self, label: str, changes: Sequence[HistoryEntry],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.setWindowTitle(tr("History of %1").replace("%1", label))
        self.model = history_model(changes)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("History of %1").replace("%1", label))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        fit_columns(self.view)
        intro = QLabel(tr("No change recorded yet.") if not changes else
                       tr("Newest first. A change marked \"kept for review\" lost to a "
                          "concurrent change and is kept so nothing is lost."), self)
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(720, 360)


def field_history_title(kind: str, field: str) -> str:
    return field_label(KINDS[kind].FIELDS[field])
