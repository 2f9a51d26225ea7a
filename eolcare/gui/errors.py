"""How the window tells a coordinator something went wrong: one function, plain words.

- :func:`show_error` turns any exception into a dialog. An
  :class:`~eolcare.domain.errors.EolcareError` already says what happened and
  what to do next in a plain sentence; anything else is a fault of ours and
  gets a general sentence plus the crash details.
- :func:`install_excepthook` shows :class:`CrashDialog` for an exception
  nothing caught (qutebrowser's crash handler is the model). Its "Copy
  details" text carries no personal data: versions, the exception's type and
  where it happened (module, line, function), never an exception's message
  (a ``KeyError`` can hold a name) nor any variable's value.

Dialogs are opened window-modal and non-blocking (``open()``), so tests and the
event loop carry on; the dialog is returned for whoever wants to wait on it.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare import __version__
from eolcare.domain.errors import EolcareError, ValidationError
from eolcare.domain.jobs import CancelledError
from eolcare.gui.tr import QT_TR_NOOP, tr

log = logging.getLogger(__name__)

_UNEXPECTED = QT_TR_NOOP(
    "Something went wrong that eolcare did not expect. What you had saved is safe. "
    "Try again; if it happens again, use \u201cCopy details\u201d and send them to "
    "your IT support (the details hold no personal data)."
)


def plain_message(exc: BaseException) -> str:
    """The sentence a coordinator reads for ``exc``."""
    if isinstance(exc, ValidationError):
        lines = "\n".join(f"\u2022 {p.field}: {p.message}" for p in exc.problems)
        return tr("Nothing was saved. Please correct:", "errors") + "\n" + lines
    if isinstance(exc, EolcareError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return tr("The computer ran out of memory. Close other programs and try again.",
                  "errors")
    return tr(_UNEXPECTED, "errors")


def crash_details(exc_type: type[BaseException], exc: BaseException | None,
                  tb: TracebackType | None) -> str:
    """What "Copy details" copies: versions, the error's type and its stack of
    (module, line, function). No message text and no values: they can hold personal data."""
    lines = [
        f"eolcare {__version__}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, Qt {qVersion()}",
        f"{platform.system()} {platform.release()} ({platform.machine()})",
        f"Error: {exc_type.__module__}.{exc_type.__qualname__}",
    ]
    if isinstance(exc, EolcareError):
        lines.append(f"Message: {exc}")  # our messages never hold personal data
    lines.append("Where (most recent call last):")
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {_module_of(frame.filename)}:{frame.lineno} in {frame.name}")
    cause = None if exc is None else (exc.__cause__ or exc.__context__)
    if cause is not None and cause is not exc:
        lines.append(f"Caused by: {type(cause).__module__}.{type(cause).__qualname__}")
    return "\n".join(lines)


def _module_of(filename: str) -> str:
    """``eolcare/gui/app.py`` from a full path: folder names can name the user."""
    parts = Path(filename).parts
    for anchor in ("eolcare", "PySide6", "sqlalchemy", "site-packages"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i:] if anchor != "site-packages" else parts[i + 1:])
    return Path(filename).name


def show_error(parent: QWidget | None, exc: BaseException,
               title: str | None = None) -> QMessageBox | None:
    """Show ``exc`` as a plain sentence with what to do next. Returns the dialog
    (already open, window-modal), or None for a cancelled job (nothing to say)."""
    if isinstance(exc, CancelledError):
        return None
    unexpected = not isinstance(exc, EolcareError | MemoryError)
    if unexpected:
        log.error("unexpected error: %s", type(exc).__name__,
                  exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Critical if unexpected else QMessageBox.Icon.Warning)
    box.setWindowTitle(title or tr("eolcare", "errors"))
    box.setText(plain_message(exc))
    box.setAccessibleName(tr("Error", "errors"))
    if unexpected:
        box.setDetailedText(crash_details(type(exc), exc, exc.__traceback__))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class CrashDialog(QDialog):
    """An error nothing caught: say so plainly, offer the details to copy."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(tr("eolcare: something went wrong", "errors"))
        self.details = details
        layout = QVBoxLayout(self)
        message = QLabel(tr(_UNEXPECTED, "errors"))
        message.setWordWrap(True)
        layout.addWidget(message)
        label = QLabel(tr("&Details (no personal data):", "errors"))
        text = QPlainTextEdit(details)
        text.setReadOnly(True)
        text.setAccessibleName(tr("Crash details", "errors"))
        label.setBuddy(text)
        layout.addWidget(label)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(tr("&Copy details", "errors"))
        self.copy_button.setObjectName("copyDetails")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


_previous_hook: Callable[..., object] | None = None
_open_dialogs: list[CrashDialog] = []


def _hook(exc_type: type[BaseException], exc: BaseException,
          tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        QCoreApplication.quit()
        return
    details = crash_details(exc_type, exc, tb)
    log.critical("uncaught error\n%s", details)
    if QApplication.instance() is None:
        if _previous_hook is not None:
            _previous_hook(exc_type, exc, tb)
        return
    dialog = CrashDialog(details, QApplication.activeWindow())
    _open_dialogs.append(dialog)
    dialog.finished.connect(lambda _r: _open_dialogs.remove(dialog))
    dialog.open()


def install_excepthook() -> None:
    """Show :class:`CrashDialog` for every exception nothing caught."""
    global _previous_hook  # noqa: PLW0603 - one process-wide hook, like sys.excepthook itself
    if sys.excepthook is not _hook:
        _previous_hook = sys.excepthook
        sys.excepthook = _hook
