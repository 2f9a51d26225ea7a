"""The dashboard shows the store's figures, and each chart opens the list behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from eolcare.gui.caseload import CaseloadWidget
from eolcare.gui.dashboard import DashboardWidget
from eolcare.store import caseload as core
from eolcare.store import dashboard
from eolcare.store.database import Store
from tests.gui.conftest import DEMO_TODAY


def _dashboard(qtbot: QtBot, store: Store) -> DashboardWidget:
    widget = DashboardWidget(store, lambda: DEMO_TODAY)  # starts reading at once
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.shown, timeout=10_000):
        pass  # the figures arrive through the event loop, after this line
    return widget


def test_the_figures_shown_are_the_stores(qtbot: QtBot, demo_store: Store) -> None:
    widget = _dashboard(qtbot, demo_store)
    with demo_store.reading() as s:
        expected = dashboard.figures(s, DEMO_TODAY, widget.current_period())
    assert widget.figures == expected
    assert expected.on_caseload > 0
    assert f"{expected.on_caseload:,} people on the caseload" in widget.headline.text()
    assert widget.involvement_values["circles"].text() == f"{expected.active_circles:,}"
    words = widget.death_tile.words.text()
    assert f"{expected.place_of_death.died:,} died" in words
    for code, n in expected.by_stage:
        assert f": {n:,}" in widget.stage_tile.words.text()
        if code is not None:  # "not staged" is a figure without a list
            assert widget.stage_buttons[code].objectName() == f"showStage_{code}"


def test_a_period_change_reads_the_figures_again(qtbot: QtBot, demo_store: Store) -> None:
    widget = _dashboard(qtbot, demo_store)
    with qtbot.waitSignal(widget.shown, timeout=10_000) as shown:
        widget.period.setCurrentIndex(0)
    assert widget.figures == shown.args[0]
    assert (shown.args[0].period.end - shown.args[0].period.start).days == 90


def test_each_chart_opens_the_list_behind_it_with_the_same_count(
        qtbot: QtBot, demo_store: Store) -> None:
    widget = _dashboard(qtbot, demo_store)
    figures = widget.figures
    assert figures is not None
    caseload = CaseloadWidget(demo_store, lambda: DEMO_TODAY)
    qtbot.addWidget(caseload)
    widget.open_list.connect(caseload.show_filter)
    checks = [(f"showStage_{code}", n) for code, n in figures.by_stage if code is not None]
    checks += [("showOverdue", figures.reviews_overdue),
               ("showNoPlace", figures.no_preferred_place),
               ("showNoCpr", figures.no_cpr_decision)]
    for name, expected in checks:
        button = widget.findChild(QPushButton, name)
        assert button is not None, name
        with qtbot.waitSignal(caseload.model.reloaded, timeout=5000) as listed:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert listed.args == [expected], name
    with demo_store.reading() as s:
        assert core.count_people(s, caseload.current_filter(), DEMO_TODAY) == \
            figures.no_cpr_decision
    assert caseload.no_cpr.isChecked()
