"""Reviews and tasks due and overdue across the caseload; opening a person from the list."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.record import ReviewDue
from eolcare.gui import worker
from eolcare.gui.errors import show_error
from eolcare.gui.record.core import format_day
from eolcare.gui.record.fields import tr
from eolcare.gui.record.models import Column, ListTableModel
from eolcare.gui.record.views import fit_columns, table_view
from eolcare.store import caseload
from eolcare.store.database import Store


def _state(item: ReviewDue, today: date) -> str:
    days = (today - item.due).days
    if days > 0:
        return tr("Overdue by {n} days").replace("{n}", str(days)) if days > 1 \
            else tr("Overdue by 1 day")
    return tr("Due today") if days == 0 else tr("Due in {n} days").replace("{n}", str(-days))


class ReviewsWidget(QWidget):
    """What is due and overdue: CPR and preference reviews, open tasks, soonest first."""

    openPerson = Signal(str)  # noqa: N815 (Qt signal naming)
    #: The list was read again (off the GUI thread: 20,000 people take more than a moment).
    loaded = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviews")
        self.store = store
        self._today = today
        self.items: list[ReviewDue] = []
        self._pending: worker.Runner | None = None
        self._shown_once = False
        self.model: ListTableModel[ReviewDue] = ListTableModel([
            Column(tr("Due"), lambda r: format_day(r.due),
                   bold=lambda r: r.overdue(self.today())),
            Column(tr("State"), lambda r: _state(r, self.today()),
                   bold=lambda r: r.overdue(self.today())),
            Column(tr("Person"), lambda r: r.person_name or tr("(team task)")),
            Column(tr("What"), lambda r: r.what),
        ], self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = table_view(self.proxy, "reviews_table", self)
        self.view.setAccessibleName(tr("Reviews and tasks due"))
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        self.summary = QLabel(self)
        self.summary.setObjectName("reviews_summary")
        self.within = QSpinBox(self)
        self.within.setRange(0, 365)
        self.within.setValue(14)
        self.within.setSuffix(tr(" days"))
        self.within.setAccessibleName(tr("Show what is due within"))
        within_label = QLabel(tr("Due &within"), self)
        within_label.setBuddy(self.within)
        self.overdue_only = QCheckBox(tr("&Overdue only"), self)
        self.overdue_only.setAccessibleName(tr("Overdue only"))
        self.open_button = QPushButton(tr("&Open person"), self)
        self.open_button.setObjectName("open_person")
        self.open_button.clicked.connect(lambda: self._open(self.view.currentIndex()))
        self.within.valueChanged.connect(lambda _v: self.refresh())
        self.overdue_only.toggled.connect(lambda _v: self._show())
        row = QHBoxLayout()
        row.addWidget(within_label)
        row.addWidget(self.within)
        row.addWidget(self.overdue_only)
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>" + tr("Reviews and tasks due") + "</h2>", self))
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        QWidget.setTabOrder(self.within, self.overdue_only)
        QWidget.setTabOrder(self.overdue_only, self.open_button)
        QWidget.setTabOrder(self.open_button, self.view)
        self.refresh()


    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Shown again (the coordinator comes back to it): read it again, since records
        may have changed meanwhile. The first showing uses what the constructor read."""
        if self._shown_once:
            self.refresh()
        self._shown_once = True
        super().showEvent(event)

    def today(self) -> date:
        return self._today or date.today()

    def refresh(self) -> worker.Runner:
        """Read what is due again, off the GUI thread; ``loaded`` when it is shown."""
        if self._pending is not None:
            self._pending.cancel()
        store, today, within = self.store, self.today(), self.within.value()

        def query() -> list[ReviewDue]:
            with store.reading() as session:
                return caseload.reviews_due(session, today, within)

        runner = worker.Runner(query, what="reviews due")
        runner.finished.connect(self._loaded)
        runner.failed.connect(lambda exc: show_error(self, exc))
        self._pending = runner
        self.summary.setText(tr("Reading the caseload..."))
        return runner.start()

    def _loaded(self, items: list[ReviewDue]) -> None:
        self._pending = None
        self.items = items
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        today = self.today()
        shown = [r for r in self.items if r.overdue(today) or not self.overdue_only.isChecked()]
        self.model.set_items(shown)
        fit_columns(self.view)
        overdue = self.overdue_count()
        self.summary.setText(
            tr("{overdue} overdue, {due} due in the next {days} days")
            .replace("{overdue}", str(overdue))
            .replace("{due}", str(len(self.items) - overdue))
            .replace("{days}", str(self.within.value())))

    def overdue_count(self) -> int:
        return sum(1 for r in self.items if r.overdue(self.today()))

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        item = self.model.item(self.proxy.mapToSource(index).row())
        if item.person_id:
            self.openPerson.emit(item.person_id)

    def open_row(self, row: int) -> None:
        self._open(self.proxy.index(row, 0))


__all__ = ["ReviewsWidget"]
