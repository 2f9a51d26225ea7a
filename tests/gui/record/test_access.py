"""Every input labelled and named for a screen reader; Tab goes through a form in order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import CircleMember
from eolcare.gui.record import (
    NewPersonDialog,
    PersonEditorWidget,
    ReviewsWidget,
    ServiceDirectoryWidget,
)
from eolcare.gui.record.dialogs import EntityDialog
from eolcare.store.database import Store
from tests.gui.record.helpers import type_text

INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)


def _in_popup(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QMenu | QCalendarWidget):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_inputs(root: QWidget) -> list[str]:
    """Inputs a screen reader could not name (no accessible name, no button text)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isEnabled():
            continue
        if isinstance(widget.parent(), QComboBox | QAbstractSpinBox) or _in_popup(widget):
            continue  # parts of a spin box or of the calendar popup: Qt names those
        if isinstance(widget, INPUTS) and not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
        if isinstance(widget, QAbstractButton) and not (widget.text() or
                                                        widget.accessibleName()):
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def test_every_input_of_every_screen_is_named(qtbot: QtBot, store: Store,
                                              people: dict[str, str]) -> None:
    editor = PersonEditorWidget(store)
    qtbot.addWidget(editor)
    editor.load(people["ada"])
    screens: list[QWidget] = [editor, NewPersonDialog(store), ServiceDirectoryWidget(store),
                              ReviewsWidget(store)]
    for page in editor.lists:
        page.select_row(0) if page.model.rowCount() else None
        dialog = page.edit() if page.model.rowCount() else None
        if dialog is not None:
            screens.append(dialog)
    screens += [editor.circle.add(), editor.services.add(), editor.contacts.add(),
                editor.tasks.add(), editor.rota.add(), editor.documents.add(),
                editor.circle.assign_volunteer()]
    for screen in screens:
        qtbot.addWidget(screen)
        assert unnamed_inputs(screen) == [], screen.objectName()
    for form in editor.forms.values():
        for name, label in form.labels.items():
            assert isinstance(label, QLabel)
            assert label.buddy() is form.editors[name].focus_widget


def test_tab_follows_the_form_top_to_bottom(qtbot: QtBot, store: Store,
                                            people: dict[str, str]) -> None:
    editor = PersonEditorWidget(store)
    qtbot.addWidget(editor)
    editor.load(people["ada"])
    dialog = editor.circle.add()
    assert isinstance(dialog, EntityDialog)
    qtbot.waitExposed(dialog)
    expected = [w for e in dialog.form.editors.values() for w in e.inputs()]
    assert len(expected) > 20
    expected[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is expected[0])
    visited = [QApplication.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == expected
    # and the buttons come after the last field
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QAbstractButton)


def test_history_of_a_circle_members_field(qtbot: QtBot, store: Store,
                                           people: dict[str, str]) -> None:
    editor = PersonEditorWidget(store)
    qtbot.addWidget(editor)
    editor.load(people["ada"])
    editor.circle.select_row(0)
    dialog = editor.circle.edit()
    assert isinstance(dialog, EntityDialog)
    type_text(qtbot, dialog.form, "availability", "Mornings")
    assert dialog.save()
    editor.circle.select_row(0)
    again = editor.circle.edit()
    assert isinstance(again, EntityDialog)
    assert isinstance(again.entity, CircleMember)
    history = again.show_history("availability")
    assert history is not None
    assert history.model.rowCount() == 1
    assert history.model.index(0, 3).data() == "Mornings"
    assert history.model.index(0, 1).data() == "Test Coordinator"
