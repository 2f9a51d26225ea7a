"""The window's printouts and team sync: reached from its menus, on a real profile."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from eolcare.gui import worker
from eolcare.gui.handover_wizard import HandoverWizard
from eolcare.gui.mainwindow import MainWindow
from eolcare.gui.printing import PrintPreviewDialog
from eolcare.gui.sync.status import SyncStatusWidget
from eolcare.store import vault
from eolcare.store.profiles import Profile
from tests.gui.conftest import DEMO_TODAY
from tests.gui.test_window import _unlock


@pytest.fixture
def window(qtbot: QtBot, demo_profile: Profile) -> Iterator[MainWindow]:
    w = MainWindow(demo_profile, kdf=vault.KDF_FAST_FOR_TESTS, today=lambda: DEMO_TODAY,
                   use_keyring=False)
    qtbot.addWidget(w)
    w.show()
    _unlock(qtbot, w)
    yield w
    worker.wait_for_all()
    for top in QApplication.topLevelWidgets():
        if top is not w and top.isVisible():
            top.close()
    w.close()


def _shown(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _select_first_two(qtbot: QtBot, window: MainWindow) -> list[str | None]:
    """Select the caseload's first two rows; the window takes them as the people chosen."""
    caseload = window.workspace.caseload  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: caseload.model.rowCount() > 1)
    chosen = [caseload.model.person_id(0), caseload.model.person_id(1)]
    caseload.table.selectRow(0)
    selection = caseload.table.selectionModel()
    selection.select(caseload.model.index(1, 0),
                     selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    assert window.chosen_people() == chosen
    return chosen


def test_a_summary_opens_in_a_print_preview_for_the_person_selected(
        qtbot: QtBot, window: MainWindow) -> None:
    caseload = window.workspace.caseload  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: caseload.model.rowCount() > 0)
    first = caseload.model.person_id(0)
    assert first is not None
    assert caseload.select_person(first)
    assert window.chosen_people() == [first]
    window.summary_actions["family"].trigger()
    qtbot.waitUntil(lambda: bool(_shown(PrintPreviewDialog)), timeout=20_000)
    (preview,) = _shown(PrintPreviewDialog)
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.page_count >= 1
    assert preview.windowTitle() == "Family summary"


def test_the_handover_wizard_lists_exactly_the_people_selected(
        qtbot: QtBot, window: MainWindow) -> None:
    chosen = _select_first_two(qtbot, window)
    window.handover_action.trigger()
    (wizard,) = _shown(HandoverWizard)
    assert isinstance(wizard, HandoverWizard)
    assert wizard.person_ids == chosen


def test_the_status_bar_says_the_profile_is_not_in_a_team(
        qtbot: QtBot, window: MainWindow) -> None:
    status = window.findChild(SyncStatusWidget, "syncStatus")
    assert status is not None
    qtbot.waitUntil(lambda: status.online_label.text() == "Not in a team", timeout=10_000)
    assert window.team_sync is not None
    assert window.sync_action.isEnabled()


def test_a_selection_prints_every_person_in_one_preview(
        qtbot: QtBot, window: MainWindow) -> None:
    from pypdf import PdfReader

    from eolcare.reports import summaries

    chosen = _select_first_two(qtbot, window)
    window.summary_actions["professional"].trigger()
    qtbot.waitUntil(lambda: bool(_shown(PrintPreviewDialog)), timeout=20_000)
    (preview,) = _shown(PrintPreviewDialog)
    assert isinstance(preview, PrintPreviewDialog)
    assert window.store is not None
    pages = [len(PdfReader(io.BytesIO(summaries.professional_pdf(window.store, pid))).pages)
             for pid in chosen if pid is not None]
    assert preview.page_count == sum(pages)
