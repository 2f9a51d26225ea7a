"""The caseload table: lazy rows, sorting by the core, filters and search as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import Person
from eolcare.domain.values import Coded
from eolcare.gui.caseload import PAGE, CaseloadModel, CaseloadWidget, search_text
from eolcare.store import caseload as core
from eolcare.store.database import Store
from tests.gui.conftest import DEMO_TODAY


def _widget(qtbot: QtBot, store: Store) -> CaseloadWidget:
    widget = CaseloadWidget(store, lambda: DEMO_TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.model.reloaded):
        widget.apply_filter()
    return widget


def _shown_names(widget: CaseloadWidget) -> list[str]:
    m = widget.model
    return [m.summary(r).full_name for r in range(m.rowCount())]


def test_the_model_passes_qtmodeltester(qtbot: QtBot, qtmodeltester: ModelTester,
                                        demo_store: Store) -> None:
    model = CaseloadModel(demo_store, lambda: DEMO_TODAY)
    with qtbot.waitSignal(model.reloaded):
        model.reload()
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_rows_are_fetched_a_page_at_a_time(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.writing(DEMO_TODAY) as w:
        for i in range(PAGE + 30):
            w.add(Person(full_name=f"Zz Paging {i:03d}"))
    model = CaseloadModel(demo_store, lambda: DEMO_TODAY)
    model.filter = core.CaseloadFilter(text="Paging")
    with qtbot.waitSignal(model.reloaded) as shown:
        model.reload()
    assert shown.args == [PAGE + 30]
    assert model._pages == {}
    last = model.index(PAGE + 29, 0)
    assert model.data(last) == "Zz Paging 129"
    assert list(model._pages) == [1]  # only the page holding that row was read


def test_the_list_matches_the_store_and_sorts_through_the_core(qtbot: QtBot,
                                                               demo_store: Store) -> None:
    widget = _widget(qtbot, demo_store)
    with demo_store.reading() as s:
        expected = [p.full_name for p in core.list_people(s, today=DEMO_TODAY)]
    assert _shown_names(widget) == expected
    assert widget.count.text() == f"{len(expected)} people"

    with qtbot.waitSignal(widget.model.reloaded):
        widget.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert _shown_names(widget) == sorted(expected, reverse=True) or \
        _shown_names(widget) == list(reversed(expected))


def test_search_as_you_type_is_debounced_and_finds_the_person(qtbot: QtBot,
                                                              demo_store: Store) -> None:
    with demo_store.writing(DEMO_TODAY) as w:
        w.add(Person(full_name="Gwenllïan Prichard-Test"))
    widget = _widget(qtbot, demo_store)
    reloads: list[int] = []
    widget.model.reloaded.connect(reloads.append)
    with qtbot.waitSignal(widget.model.reloaded, timeout=3000):
        qtbot.keyClicks(widget.search, "gwenllian prich")
    qtbot.wait(widget.SEARCH_DELAY_MS + 100)
    assert len(reloads) == 1  # one query for the whole burst of keystrokes
    assert _shown_names(widget) == ["Gwenllïan Prichard-Test"]
    assert widget.count.text() == "1 person"


def test_filters_match_the_store(qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.writing(DEMO_TODAY) as w:
        w.add(Person(full_name="Filter Nocpr", status=Coded("active"),
                     gsf_stage=Coded("845771000000107")))
    widget = _widget(qtbot, demo_store)
    with qtbot.waitSignal(widget.model.reloaded):
        widget.no_cpr.setChecked(True)
    with demo_store.reading() as s:
        expected = core.count_people(s, core.CaseloadFilter(no_cpr_decision=True), DEMO_TODAY)
    assert widget.model.rowCount() == expected
    assert "Filter Nocpr" in _shown_names(widget)
    with qtbot.waitSignal(widget.model.reloaded):
        widget.stage.setCurrentIndex(widget.stage.findData("845771000000107"))
    shown = [widget.model.summary(r) for r in range(widget.model.rowCount())]
    assert shown
    assert all(s is not None and s.gsf_stage == "845771000000107" for s in shown)
    assert all(s is not None and s.cpr_decision is None for s in shown)


def test_the_stage_column_is_coloured_and_says_the_stage(qtbot: QtBot,
                                                        demo_store: Store) -> None:
    widget = _widget(qtbot, demo_store)
    model = widget.model
    rows = [r for r in range(model.rowCount()) if model.summary(r).gsf_stage]
    assert rows
    index = model.index(rows[0], 2)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(index)[0] in "ABCD"  # the letter is there, not colour alone


def test_opening_a_person_emits_their_id(qtbot: QtBot, demo_store: Store) -> None:
    widget = _widget(qtbot, demo_store)
    first = widget.model.person_id(0)
    with qtbot.waitSignal(widget.open_person) as opened:
        widget.table.doubleClicked.emit(widget.model.index(0, 0))
    assert opened.args == [first]


def test_one_letter_is_not_yet_a_search(qtbot: QtBot, demo_store: Store) -> None:
    widget = _widget(qtbot, demo_store)
    everyone = widget.model.rowCount()
    with qtbot.waitSignal(widget.model.reloaded) as shown:
        widget.search.setText("m")
        widget.apply_filter()
    assert shown.args == [everyone]
    assert search_text("m") == ""
    assert search_text(" ma ") == "ma"
    assert search_text("秀") == "秀"
