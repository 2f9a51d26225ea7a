"""The team's figures at a glance: QtCharts over :func:`eolcare.store.dashboard.figures`.

Every chart has its figures in words beside it (a chart alone says nothing
to a screen reader) and opens the list behind it: clicking a bar, or the
button under the chart, sets the caseload's filter and shows the caseload.
The figures are read off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain import codes
from eolcare.gui import worker
from eolcare.gui.caseload import STAGE_COLOURS, STAGE_SHORT, CaseloadFilter
from eolcare.gui.errors import show_error
from eolcare.gui.tr import QT_TR_NOOP, tr
from eolcare.store import dashboard
from eolcare.store.dashboard import Dashboard, Period
from eolcare.store.database import Store

_NOT_STAGED_COLOUR = "#8a8f98"
_PERIODS: tuple[tuple[str, int], ...] = (
    (QT_TR_NOOP("Last 3 months"), 91), (QT_TR_NOOP("Last 6 months"), 182),
    (QT_TR_NOOP("Last 12 months"), 365),
)


def _percent(share: float | None) -> str:
    return "\u2013" if share is None else f"{share:.0%}"


class Tile(QFrame):
    """One chart (or figure) with its title, its words, and "show these people"."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setObjectName(f"{name}Words")
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QVBoxLayout()
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.words)
        layout.addLayout(self.buttons)

    def add_button(self, text: str, name: str, on_click: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(on_click)
        self.buttons.addWidget(button)
        return button


def _chart_view(chart: QChart, name: str, accessible: str) -> QChartView:
    view = QChartView(chart)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(view.fontMetrics().height() * 12)
    return view


def _themed(chart: QChart, palette: QPalette) -> QChart:
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setLabelColor(palette.color(QPalette.ColorRole.WindowText))
    chart.setTitleBrush(palette.color(QPalette.ColorRole.WindowText))
    return chart


class DashboardWidget(QWidget):
    """Caseload by GSF stage, what needs attention, place of death, involvement."""

    #: the coordinator asked for the list behind a figure
    open_list = Signal(object)  # a CaseloadFilter
    #: figures shown (for tests and the screenshots)
    shown = Signal(object)

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.store = store
        self.today = today
        self.figures: Dashboard | None = None
        self.runner: worker.Runner | None = None

        self.period = QComboBox()
        self.period.setObjectName("dashboardPeriod")
        for title, days in _PERIODS:
            self.period.addItem(tr(title, "dashboard"), days)
        self.period.setCurrentIndex(2)
        self.period.setAccessibleName(tr("Period for deaths and volunteer hours", "dashboard"))
        period_label = QLabel(tr("Deaths and hours &in the:", "dashboard"))
        period_label.setBuddy(self.period)
        self.period.currentIndexChanged.connect(self.refresh)
        self.headline = QLabel()
        self.headline.setObjectName("dashboardHeadline")
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(period_label)
        top.addWidget(self.period)

        self.stage_tile = Tile(tr("Caseload by GSF stage", "dashboard"), "stageTile")
        self.stage_chart = QChart()
        self.stage_view = _chart_view(self.stage_chart, "stageChart",
                                      tr("Caseload by GSF stage", "dashboard"))
        self.stage_tile.body.addWidget(self.stage_view)
        self.stage_buttons: dict[str, QPushButton] = {}
        for code in (c.code for c in codes.GSF_STAGE):
            self.stage_buttons[code] = self.stage_tile.add_button(
                tr(STAGE_SHORT[code], "dashboard"), f"showStage_{code}",
                partial(self.open_list.emit, CaseloadFilter(gsf_stages=frozenset({code}))))

        self.attention_tile = Tile(tr("Needs attention", "dashboard"), "attentionTile")
        self.attention_chart = QChart()
        self.attention_view = _chart_view(self.attention_chart, "attentionChart",
                                          tr("Needs attention", "dashboard"))
        self.attention_tile.body.addWidget(self.attention_view)
        self._attention_filters = (
            CaseloadFilter(reviews_overdue=True),
            CaseloadFilter(no_preferred_place=True),
            CaseloadFilter(no_cpr_decision=True),
        )
        for i, (text, name) in enumerate((
                (tr("Reviews overdue", "dashboard"), "showOverdue"),
                (tr("No preferred place", "dashboard"), "showNoPlace"),
                (tr("No CPR decision", "dashboard"), "showNoCpr"))):
            self.attention_tile.add_button(
                text, name, partial(self.open_list.emit, self._attention_filters[i]))

        self.death_tile = Tile(tr("Preferred place of death achieved", "dashboard"),
                               "deathTile")
        self.death_chart = QChart()
        self.death_view = _chart_view(self.death_chart, "deathChart",
                                      tr("Preferred place of death achieved", "dashboard"))
        self.death_tile.body.addWidget(self.death_view)
        self.death_tile.add_button(tr("People who died", "dashboard"), "showDied",
                                   lambda: self.open_list.emit(
                                       CaseloadFilter(statuses=frozenset({"died"}))))

        self.involvement_tile = Tile(tr("Circles of support and volunteers", "dashboard"),
                                     "involvementTile")
        self.involvement = QGridLayout()
        self.involvement_values: dict[str, QLabel] = {}
        for row, (key, text) in enumerate((
                ("circles", tr("People with an active circle of support", "dashboard")),
                ("volunteers", tr("Community volunteers supporting them", "dashboard")),
                ("hours", tr("Volunteer hours on the rota in the period", "dashboard")),
                ("ahead", tr("Volunteer hours signed up for, coming four weeks",
                             "dashboard")))):
            value = QLabel("\u2013")
            value.setObjectName(f"involvement_{key}")
            big = QFont(value.font())
            big.setPointSizeF(big.pointSizeF() * 2.2)
            big.setBold(True)
            value.setFont(big)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label = QLabel(text)
            label.setWordWrap(True)
            value.setAccessibleName(text)
            self.involvement.addWidget(value, row, 0)
            self.involvement.addWidget(label, row, 1)
            self.involvement_values[key] = value
        self.involvement.setColumnStretch(1, 1)
        self.involvement_tile.body.addLayout(self.involvement)
        self.involvement_tile.body.addStretch(1)

        grid = QGridLayout()
        grid.addWidget(self.stage_tile, 0, 0)
        grid.addWidget(self.attention_tile, 0, 1)
        grid.addWidget(self.death_tile, 1, 0)
        grid.addWidget(self.involvement_tile, 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        self.refresh()

    def current_period(self) -> Period:
        return Period.last_days(self.today(), int(self.period.currentData()))

    def refresh(self) -> worker.Runner:
        """Read the figures off the GUI thread, then draw them."""
        if self.runner is not None:
            self.runner.cancel()
        store, today, period = self.store, self.today(), self.current_period()

        def read() -> Dashboard:
            with store.reading() as s:
                return dashboard.figures(s, today, period)

        self.runner = worker.run(read, what="dashboard", finished=self.show_figures,
                                 failed=lambda exc: show_error(self, exc))
        return self.runner

    # -- drawing ---------------------------------------------------------------------

    def show_figures(self, figures: Dashboard) -> None:
        self.figures = figures
        pal = self.palette()
        self.headline.setText(tr("{n} people on the caseload on {day}", "dashboard").format(
            n=f"{figures.on_caseload:,}", day=figures.today.strftime("%d %B %Y")))
        self._draw_stages(figures, pal)
        self._draw_attention(figures, pal)
        self._draw_deaths(figures, pal)
        self.involvement_values["circles"].setText(f"{figures.active_circles:,}")
        self.involvement_values["volunteers"].setText(f"{figures.volunteers:,}")
        self.involvement_values["hours"].setText(f"{figures.volunteer_hours:,.0f}")
        self.involvement_values["ahead"].setText(f"{figures.volunteer_hours_ahead:,.0f}")
        self.involvement_tile.words.setText(tr(
            "{circles} of {total} people have someone in their circle of support.",
            "dashboard").format(circles=f"{figures.active_circles:,}",
                                total=f"{figures.on_caseload:,}"))
        self.shown.emit(figures)

    def _bar_chart(self, chart: QChart, labels: list[str], values: list[int], *,
                   colours: list[str], pal: QPalette,
                   clicked: Callable[[int], object]) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # one bar set per category, stacked: each bar gets its own colour; horizontal, so
        # the category names have room to be read whole. Qt draws the first category at
        # the bottom: reversed, the first is at the top.
        last = len(labels) - 1
        labels, values, colours = labels[::-1], values[::-1], colours[::-1]
        series = QHorizontalStackedBarSeries()
        for i, (label, colour) in enumerate(zip(labels, colours, strict=True)):
            bar_set = QBarSet(label)
            bar_set.append([float(v) if j == i else 0.0 for j, v in enumerate(values)])
            bar_set.setColor(QColor(colour))
            bar_set.setBorderColor(QColor(colour))
            series.append(bar_set)
        series.setBarWidth(0.7)
        series.clicked.connect(lambda index, _set: clicked(last - index))
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([f"{label} ({v:,})" for label, v in zip(labels, values, strict=True)])
        categories.setLabelsColor(pal.color(QPalette.ColorRole.WindowText))
        categories.setGridLineVisible(False)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        counts = QValueAxis()
        counts.setRange(0, max([*values, 4]))
        counts.applyNiceNumbers()
        counts.setLabelFormat("%d")
        counts.setLabelsColor(pal.color(QPalette.ColorRole.WindowText))
        counts.setGridLineColor(pal.color(QPalette.ColorRole.Mid))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        chart.legend().setVisible(False)
        _themed(chart, pal)

    def _draw_stages(self, f: Dashboard, pal: QPalette) -> None:
        stages = [code for code, _ in f.by_stage]
        labels = [tr(STAGE_SHORT[c], "dashboard") if c else tr("Not staged", "dashboard")
                  for c in stages]
        values = [n for _, n in f.by_stage]
        colours = [STAGE_COLOURS[c][0] if c else _NOT_STAGED_COLOUR for c in stages]
        self._bar_chart(self.stage_chart, labels, values, colours=colours, pal=pal,
                        clicked=lambda i: self._open_stage(stages[i]))
        self.stage_tile.words.setText("; ".join(
            f"{label}: {n:,}" for label, n in zip(labels, values, strict=True)))

    def _open_stage(self, code: str | None) -> None:
        if code is not None:  # "not staged" has no list of its own: the figure only
            self.open_list.emit(CaseloadFilter(gsf_stages=frozenset({code})))

    def _draw_attention(self, f: Dashboard, pal: QPalette) -> None:
        labels = [tr("Reviews overdue", "dashboard"), tr("No preferred place", "dashboard"),
                  tr("No CPR decision", "dashboard")]
        values = [f.reviews_overdue, f.no_preferred_place, f.no_cpr_decision]
        self._bar_chart(self.attention_chart, labels, values, colours=["#c27c0e"] * 3,
                        pal=pal, clicked=lambda i: self.open_list.emit(self._attention_filters[i]))
        self.attention_tile.words.setText(tr(
            "{overdue} with a review overdue; {place} with no preferred place of death "
            "recorded; {cpr} with no CPR decision recorded.", "dashboard").format(
            overdue=f"{f.reviews_overdue:,}", place=f"{f.no_preferred_place:,}",
            cpr=f"{f.no_cpr_decision:,}"))

    def _draw_deaths(self, f: Dashboard, pal: QPalette) -> None:
        chart = self.death_chart
        chart.removeAllSeries()
        pod = f.place_of_death
        series = QPieSeries()
        series.setHoleSize(0.45)
        if pod.with_preference:
            achieved = series.append(tr("Achieved", "dashboard"), pod.achieved)
            achieved.setColor(QColor("#2e8b3e"))
            missed = series.append(tr("Not achieved", "dashboard"),
                                   pod.with_preference - pod.achieved)
            missed.setColor(QColor("#b0b6bf"))
        else:
            empty = series.append(tr("No deaths with a recorded preference", "dashboard"), 1)
            empty.setColor(QColor("#b0b6bf"))
        for pie_slice in series.slices():
            pie_slice.setLabelColor(pal.color(QPalette.ColorRole.WindowText))
        series.clicked.connect(lambda _slice: self.open_list.emit(
            CaseloadFilter(statuses=frozenset({"died"}))))
        chart.addSeries(series)
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        _themed(chart, pal)
        start, end = f.period.start.strftime("%d %b %Y"), f.period.end.strftime("%d %b %Y")
        self.death_tile.words.setText(tr(
            "{start} to {end}: {died} died. Of {pref} with a preferred place recorded, "
            "{achieved} ({share}) died there. {usual} ({ushare}) died in their usual "
            "place of residence.", "dashboard").format(
            start=start, end=end, died=f"{pod.died:,}", pref=f"{pod.with_preference:,}",
            achieved=f"{pod.achieved:,}", share=_percent(pod.achieved_share),
            usual=f"{pod.in_usual_residence:,}", ushare=_percent(pod.usual_residence_share)))
