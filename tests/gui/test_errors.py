"""Errors as plain sentences; the crash dialog's details carry no personal data."""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from eolcare.domain.errors import Problem, ValidationError, WrongPassphraseError
from eolcare.domain.jobs import CancelledError
from eolcare.gui import errors

SECRET = "Siân Prichard 943 476 5919"


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_a_coordinators_error_is_shown_as_its_sentence(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    box = errors.show_error(parent, WrongPassphraseError())
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    assert "not right for this profile" in box.text()
    assert box.detailedText() == ""  # nothing to copy: it is not a fault
    box.close()


def test_validation_problems_are_listed_one_per_line(qtbot: QtBot) -> None:
    exc = ValidationError([Problem("Date of birth", "is in the future"),
                           Problem("NHS number", "is not a valid NHS number")])
    box = errors.show_error(None, exc)
    assert box is not None
    qtbot.addWidget(box)
    assert "Nothing was saved" in box.text()
    assert "\u2022 Date of birth: is in the future" in box.text()
    assert "\u2022 NHS number:" in box.text()


def test_an_unexpected_error_says_so_plainly_and_hides_its_message(qtbot: QtBot) -> None:
    exc = _raised(KeyError(SECRET))
    box = errors.show_error(None, exc)
    assert box is not None
    qtbot.addWidget(box)
    assert "did not expect" in box.text()
    assert SECRET not in box.text()
    details = box.detailedText()
    assert "builtins.KeyError" in details
    assert "test_errors.py" in details
    assert "Siân" not in details
    assert "943" not in details


def test_a_cancelled_job_needs_no_dialog() -> None:
    assert errors.show_error(None, CancelledError("stopped")) is None


def test_crash_dialog_copies_details_without_personal_data(qtbot: QtBot) -> None:
    exc = _raised(ValueError(f"bad value for {SECRET}"))
    details = errors.crash_details(type(exc), exc, exc.__traceback__)
    dialog = errors.CrashDialog(details)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == details
    assert "builtins.ValueError" in copied
    assert "eolcare" in copied
    assert SECRET not in copied
    assert "Prichard" not in copied


def test_the_excepthook_opens_the_crash_dialog(qtbot: QtBot) -> None:
    before = sys.excepthook
    errors.install_excepthook()
    try:
        exc = _raised(RuntimeError(SECRET))
        sys.excepthook(type(exc), exc, exc.__traceback__)
        dialog = errors._open_dialogs[-1]
        qtbot.addWidget(dialog)
        assert dialog.isVisible()
        assert SECRET not in dialog.details
        dialog.close()
    finally:
        sys.excepthook = before
