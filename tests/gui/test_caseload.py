"""The caseload table: lazy rows, sorting by the core, filters and search as you type."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import Person
from eolcare.domain.values import Coded
from eolcare.gui.caseload import LOADING, PAGE, CaseloadModel, CaseloadWidget, search_text
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
    assert list(model._pages) == [0]  # the first page came with the ids
    first, last = model.index(0, 0), model.index(PAGE + 29, 0)
    assert model.data(first) == "Zz Paging 000"
    # the second page is read on a reader thread: a placeholder until it is in
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.data(last) == LOADING
    assert changed.args[0].row() == PAGE
    assert model.data(last) == "Zz Paging 129"
    assert sorted(model._pages) == [0, 1]


def test_a_reload_reads_only_the_rows_shown_with_the_ids(qtbot: QtBot,
                                                         demo_store: Store) -> None:
    with demo_store.writing(DEMO_TODAY) as w:
        for i in range(PAGE + 30):
            w.add(Person(full_name=f"Zz Shown {i:03d}"))
    model = CaseloadModel(demo_store, lambda: DEMO_TODAY)
    model.rows_shown = lambda: 12
    model.filter = core.CaseloadFilter(text="Shown")
    with qtbot.waitSignal(model.reloaded):
        model.reload()
    assert len(model._pages[0]) == 12  # what the first paint needs, nothing more
    assert model.data(model.index(11, 0)) == "Zz Shown 011"
    # a row past them: a placeholder, and its whole page (and the next) read off the GUI
    # thread; the rows already in stay shown meanwhile
    with qtbot.waitSignal(model.dataChanged):
        assert model.data(model.index(12, 0)) == LOADING
        assert model.data(model.index(11, 0)) == "Zz Shown 011"
    qtbot.waitUntil(lambda: not model._fetching, timeout=5000)
    assert len(model._pages[0]) == PAGE
    assert [model.data(model.index(r, 0)) for r in (12, PAGE - 1, PAGE + 29)] == \
        ["Zz Shown 012", f"Zz Shown {PAGE - 1:03d}", f"Zz Shown {PAGE + 29:03d}"]
    # off the paint path, a row past the first ones is read there and then
    model.rows_shown = lambda: 5
    with qtbot.waitSignal(model.reloaded):
        model.reload()
    assert model.summary(50).full_name == "Zz Shown 050"  # type: ignore[union-attr]


def test_the_table_reads_its_own_height_of_rows_with_a_search(qtbot: QtBot,
                                                               demo_store: Store) -> None:
    widget = _widget(qtbot, demo_store)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    shown = widget.table.viewport().height() // widget.table.verticalHeader() \
        .defaultSectionSize()
    assert widget.model.rows_shown() >= max(40, shown)
    widget.resize(900, 3000)
    qtbot.waitUntil(lambda: widget.table.viewport().height() > 2000)
    assert widget.model.rows_shown() > widget.table.viewport().height() // \
        widget.table.verticalHeader().defaultSectionSize()


def test_showing_rows_never_reads_the_database_on_the_gui_thread(
        qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_store.writing(DEMO_TODAY) as w:
        for i in range(PAGE * 2 + 30):
            w.add(Person(full_name=f"Scrolled {i:03d}"))
    model = CaseloadModel(demo_store, lambda: DEMO_TODAY)
    with qtbot.waitSignal(model.reloaded):
        model.reload()
    gui = threading.get_ident()
    opened_on: list[int] = []
    reading = demo_store.reading

    def watched(*args: object, **kwargs: object) -> object:
        opened_on.append(threading.get_ident())
        return reading(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(demo_store, "reading", watched)
    rows = model.rowCount()
    assert rows > PAGE
    for row in range(rows):  # as a view scrolling end to end asks
        model.data(model.index(row, 0))
    qtbot.waitUntil(lambda: not model._fetching, timeout=5000)
    assert opened_on
    assert gui not in opened_on
    assert all(model.data(model.index(r, 0)) != LOADING for r in range(rows))


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


def test_search_as_you_type_stays_one_query_behind_and_finds_the_person(
        qtbot: QtBot, demo_store: Store) -> None:
    with demo_store.writing(DEMO_TODAY) as w:
        w.add(Person(full_name="Gwenllïan Prichard-Test"))
    widget = _widget(qtbot, demo_store)
    reloads: list[int] = []
    widget.model.reloaded.connect(reloads.append)
    qtbot.keyClicks(widget.search, "g")
    assert not widget.model.loading  # one letter: not yet a search
    qtbot.keyClicks(widget.search, "w")
    assert widget.model.loading  # went at once, in the keystroke
    qtbot.keyClicks(widget.search, "enllian prich")  # typed while it runs
    qtbot.waitUntil(lambda: widget.model.filter.text == "gwenllian prich"
                    and not widget.model.loading, timeout=5000)
    qtbot.wait(50)
    # the rest of the burst waited for the running search and went as one query
    assert len(reloads) == 2
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


def test_closing_while_searches_and_pages_are_on_their_way_is_safe(
        qtbot: QtBot, demo_store: Store) -> None:
    """The flaky CI segfault: results of reader threads delivered as the caseload that
    asked for them goes away. Runners must be let go of on the GUI thread only."""
    import gc

    from eolcare.gui import worker

    for round_ in range(30):
        widget = CaseloadWidget(demo_store, lambda: DEMO_TODAY)
        widget.show()
        for text in ("ma", "jo", "", "wi", "si"):
            widget.search.setText(text)
            widget.apply_filter()
            widget.model.forget_rows()
            widget.model.data(widget.model.index(0, 0))
        if round_ % 2:
            qtbot.wait(1)
        widget.close()
        widget.deleteLater()
        del widget
        gc.collect()
        qtbot.wait(1)
    assert worker.wait_for_all(10_000)
    qtbot.wait(20)  # every queued result delivered, to no one
    assert not worker._alive


def test_what_a_search_needs_is_read_ahead_of_the_first_keystroke(
        qtbot: QtBot, demo_store: Store) -> None:
    core._DOC_PEOPLE.clear()
    widget = _widget(qtbot, demo_store)
    with demo_store.reading() as s:
        generation = core._generation(s)
    qtbot.waitUntil(lambda: generation in core._DOC_PEOPLE, timeout=10_000)
    assert widget.model.filter.text == ""  # read while nothing was searched yet
