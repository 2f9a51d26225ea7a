"""The service directory: organisations and teams entered once, used for many people.

24/7 numbers come second, in bold, right after the name: at three in the
morning that is the number a family or a coordinator needs.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.entities import Service
from eolcare.gui.record.dialogs import EntityDialog
from eolcare.gui.record.fields import field_label, tr
from eolcare.gui.record.models import Column, ListTableModel, field_column
from eolcare.gui.record.views import fit_columns, table_view
from eolcare.store import lookups
from eolcare.store.database import Store


class ServiceDirectoryWidget(QWidget):
    """Every service in the shared directory, with add and edit."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("service_directory")
        self.store = store
        self.use: dict[str, int] = {}
        self.dialog: QDialog | None = None
        self._shown_once = False
        s = Service
        self.model: ListTableModel[Service] = ListTableModel([
            field_column(s, "name"),
            Column(field_label(s.FIELDS["phone_24_7"]), lambda x: x.phone_24_7 or "",
                   bold=lambda x: True),
            field_column(s, "service_type"), field_column(s, "phone"),
            field_column(s, "opening_hours"), field_column(s, "email"),
            Column(tr("People"), lambda x: str(self.use.get(x.id, 0))),
            field_column(s, "address"),
        ], self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(tr("Name, type or number"))
        self.filter.setAccessibleName(tr("Find a service"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        find = QLabel(tr("&Find"), self)
        find.setBuddy(self.filter)
        self.view = table_view(self.proxy, "directory_table", self)
        self.view.setAccessibleName(tr("Service directory"))
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.view.activated.connect(lambda _i: self.edit())
        self.add_button = QPushButton(tr("&Add a service..."), self)
        self.add_button.setObjectName("add_service")
        self.add_button.clicked.connect(lambda _=False: self.add())
        self.edit_button = QPushButton(tr("&Edit..."), self)
        self.edit_button.setObjectName("edit_service")
        self.edit_button.clicked.connect(lambda _=False: self.edit())
        self.summary = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(find)
        row.addWidget(self.filter, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>" + tr("Service directory") + "</h2>", self))
        intro = QLabel(tr("Organisations and teams, entered once and attached to many people. "
                          "24/7 numbers are in bold."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        QWidget.setTabOrder(self.filter, self.add_button)
        QWidget.setTabOrder(self.add_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.view)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Shown again (the coordinator comes back to it): read it again, since records
        may have changed meanwhile. The first showing uses what the constructor read."""
        if self._shown_once:
            self.refresh()
        self._shown_once = True
        super().showEvent(event)

    def refresh(self) -> None:
        with self.store.reading() as session:
            found = lookups.services(session)
            self.use = lookups.service_use(session)
        self.model.set_items(found)
        fit_columns(self.view)
        with_24_7 = sum(1 for s in found if s.phone_24_7)
        self.summary.setText(tr("{n} services, {m} with a 24/7 number")
                             .replace("{n}", str(len(found))).replace("{m}", str(with_24_7)))

    def current(self) -> Service | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.item(self.proxy.mapToSource(index).row())

    def select(self, service_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.item(source.row()).id == service_id:
                self.view.selectRow(row)
                return
        raise LookupError("no such service in the list")

    def _open(self, dialog: EntityDialog) -> EntityDialog:
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, _service: object) -> None:
        self.refresh()
        self.changed.emit()

    def add(self) -> EntityDialog:
        return self._open(EntityDialog(self.store, Service, None,
                                       title=tr("Add a service"), parent=self))

    def edit(self) -> EntityDialog | None:
        service = self.current()
        if service is None:
            return None
        return self._open(EntityDialog(self.store, Service, service,
                                       title=tr("Service"), parent=self))
