"""Table models over plain lists of records (the store's frozen objects, never ORM rows)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from eolcare.domain.schema import Entity
from eolcare.gui.record.core import show_value
from eolcare.gui.record.fields import field_label

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

#: The role under which each row's object is given (for views and tests).
ItemRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its header and how a row's object reads in it."""

    header: str
    text: Callable[[T], str]
    bold: Callable[[T], bool] | None = None
    tip: Callable[[T], str] | None = None


def field_column(cls: type[Entity], name: str, header: str | None = None) -> Column[Any]:
    """A column showing one field the way the display layer shows it."""
    spec = cls.FIELDS[name]
    return Column(header or field_label(spec), lambda e: show_value(spec, getattr(e, name)))


def one_line(text: str) -> str:
    """Several lines (an address) on one table line, separated by commas."""
    if "\n" not in text:
        return text
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


class ListTableModel(QAbstractTableModel, Generic[T]):
    """Rows of plain objects, columns described by :class:`Column`."""

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.items: list[T] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> T:
        return self.items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return one_line(column.text(item))
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(item):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text where a column cuts it
            return (column.tip(item) if column.tip is not None else column.text(item)) or None
        if role == ItemRole:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.items):
            return section + 1
        return None
