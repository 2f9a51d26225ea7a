"""Driving the field editors the way a coordinator does: choosing, typing, clicking."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from eolcare.gui.record.form import EntityForm


def widget(form: EntityForm, name: str, key: str = "") -> QWidget:
    found = form.findChild(QWidget, f"field_{name}" + (f"_{key}" if key else ""))
    assert found is not None, f"no input for {name} {key}"
    return found


def type_text(qtbot: QtBot, form: EntityForm, name: str, text: str, key: str = "") -> None:
    """Clear the field and type ``text`` into it, key by key."""
    edit = widget(form, name, key)
    assert isinstance(edit, QLineEdit | QPlainTextEdit)
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    elif isinstance(edit, QLineEdit):
        edit.insert(text)
    else:
        edit.insertPlainText(text)


def choose(form: EntityForm, name: str, shown: str) -> None:
    """Pick the choice whose text is ``shown`` in a choice list."""
    combo = widget(form, name)
    assert isinstance(combo, QComboBox)
    index = combo.findText(shown)
    assert index >= 0, f"{shown!r} is not a choice of {name}"
    combo.setCurrentIndex(index)


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
