"""Every input of the shell's screens has a label (buddy) or its own text, an accessible
name, and a place in the tab order; the window reads at 200% and in dark colours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from eolcare.gui.caseload import CaseloadWidget
from eolcare.gui.dashboard import DashboardWidget
from eolcare.gui.mainwindow import SettingsDialog
from eolcare.gui.unlock import UnlockWidget
from eolcare.gui.welcome import WelcomeWidget
from eolcare.store.database import Store
from eolcare.store.profiles import Profile
from tests.gui.conftest import DEMO_TODAY

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QCheckBox, QTableView)


def _check_labelled(screen: QWidget) -> int:
    buddies = {label.buddy() for label in screen.findChildren(QLabel) if label.buddy()}
    checked = 0
    for widget in screen.findChildren(QWidget):
        if not isinstance(widget, INPUTS) \
                or isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            continue  # the line edit inside a spin box or combo box is theirs
        name = widget.objectName() or type(widget).__name__
        assert widget.accessibleName(), f"{name} has no accessible name"
        has_own_text = isinstance(widget, QAbstractButton) and bool(widget.text())
        assert widget in buddies or has_own_text, f"{name} has no label"
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, f"{name} is not in tab order"
        checked += 1
    return checked


def test_caseload_inputs_are_labelled(qtbot: QtBot, demo_store: Store) -> None:
    widget = CaseloadWidget(demo_store, lambda: DEMO_TODAY)
    qtbot.addWidget(widget)
    assert _check_labelled(widget) == 7
    # tab order follows the layout: search, stage, status, add, the three filters, table
    order, w = [], widget.search
    for _ in range(8):
        order.append(w.objectName())
        w = w.nextInFocusChain()
        while not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or not w.objectName():
            w = w.nextInFocusChain()
    assert order == ["caseloadSearch", "stageFilter", "statusFilter", "addPerson",
                     "overdueFilter", "noPlaceFilter", "noCprFilter", "caseloadTable"]


def test_unlock_and_welcome_inputs_are_labelled(qtbot: QtBot, demo_profile: Profile) -> None:
    unlock = UnlockWidget(demo_profile, use_keyring=False)
    qtbot.addWidget(unlock)
    assert _check_labelled(unlock) == 1
    unlock.toggle_recovery()
    assert unlock.secret.accessibleName() == "Recovery key"
    welcome = WelcomeWidget()
    qtbot.addWidget(welcome)
    welcome.show_form(demo=True)
    assert _check_labelled(welcome) == 5


def test_settings_and_dashboard_inputs_are_labelled(qtbot: QtBot, demo_store: Store) -> None:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert _check_labelled(dialog) == 1
    dashboard = DashboardWidget(demo_store, lambda: DEMO_TODAY)
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.shown, timeout=10_000):
        pass
    assert _check_labelled(dashboard) == 1
    for view in (dashboard.stage_view, dashboard.attention_view, dashboard.death_view):
        assert view.accessibleName()
