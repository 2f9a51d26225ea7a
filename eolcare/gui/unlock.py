"""Unlocking a profile, and the lock screen: the key derivation never runs on the GUI thread.

Two uses, one widget:
- *open*: at start, try the OS keyring (straight in when it holds the key),
  else ask for the passphrase or the recovery key; the key derivation and
  opening the database run on the writer thread with a busy indicator, and
  ``opened(store)`` hands the open store over.
- *lock*: the window locked itself (idle) or was locked by hand; the store stays
  open and the record editor keeps its unsaved edits behind this screen, which
  shows no personal data. The passphrase (or recovery key) is always asked for
  here, never taken from the keyring: a keyring that unlocks on a click would
  make the lock pointless.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.errors import EolcareError
from eolcare.gui import stores, worker
from eolcare.gui.errors import plain_message
from eolcare.gui.tr import tr
from eolcare.store import database
from eolcare.store.database import Store
from eolcare.store.profiles import Profile

log = logging.getLogger(__name__)


class UnlockWidget(QWidget):
    """Passphrase or recovery key in, an open store (or "unlocked") out."""

    #: open mode: the store is open (an eolcare.store.database.Store)
    opened = Signal(object)
    #: lock mode: the right passphrase was given
    unlocked = Signal()

    def __init__(self, profile: Profile, *, locking: bool = False, use_keyring: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen" if locking else "unlockScreen")
        self.profile = profile
        self.locking = locking
        self.use_keyring = use_keyring
        self.recovery = False
        self.runner: worker.Runner | None = None

        title = QLabel(tr("eolcare is locked", "unlock") if locking
                       else tr("Unlock your records", "unlock"))
        title.setObjectName("unlockTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        explain = QLabel(
            tr("Personal data is hidden while the window is locked. Your unsaved changes "
               "are kept; type your passphrase to carry on where you were.", "unlock")
            if locking else
            tr("Profile \u201c{name}\u201d. Type your passphrase to open it.", "unlock")
            .format(name=profile.name))
        explain.setWordWrap(True)

        self.secret = QLineEdit()
        self.secret.setObjectName("passphrase")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(tr("Passphrase", "unlock"))
        self.secret.setMinimumWidth(320)
        self.secret_label = QLabel(tr("&Passphrase:", "unlock"))
        self.secret_label.setBuddy(self.secret)

        self.unlock_button = QPushButton(tr("&Unlock", "unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.secret.returnPressed.connect(self.submit)

        self.switch_button = QPushButton(tr("Forgot it? Use the &recovery key", "unlock"))
        self.switch_button.setObjectName("useRecoveryKey")
        self.switch_button.setFlat(True)
        self.switch_button.clicked.connect(self.toggle_recovery)

        self.busy = QProgressBar()
        self.busy.setObjectName("unlockBusy")
        self.busy.setRange(0, 0)  # a busy indicator: no fraction to show
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(tr("Unlocking", "unlock"))
        self.busy.setMaximumHeight(8)
        self.busy.hide()

        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("Unlock message", "unlock"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.secret_label, self.secret)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        card = QWidget()
        card.setObjectName("unlockCard")
        card.setMaximumWidth(560)
        inner = QVBoxLayout(card)
        inner.addWidget(title)
        inner.addWidget(explain)
        inner.addSpacing(12)
        inner.addLayout(form)
        inner.addWidget(self.busy)
        inner.addWidget(self.message)
        inner.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        QWidget.setTabOrder(self.secret, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.switch_button)

    # -- the steps ---------------------------------------------------------------

    def start(self) -> None:
        """Open mode: try the keyring first (off the GUI thread), else ask."""
        self.secret.clear()
        self.message.clear()
        if self.locking or not self.use_keyring:
            self._ready()
            return
        profile = self.profile
        self._busy(tr("Looking for your key in the system keyring\u2026", "unlock"))
        self.runner = worker.run(lambda: stores.open_from_keyring(profile), writes=True,
                                 what="keyring unlock", finished=self._keyring_answer,
                                 failed=self._failed)

    def _keyring_answer(self, store: Store | None) -> None:
        if store is None:
            self._ready()
            return
        self._idle()
        self.opened.emit(store)

    def toggle_recovery(self) -> None:
        self.recovery = not self.recovery
        self.secret.clear()
        self.message.clear()
        if self.recovery:
            self.secret_label.setText(tr("&Recovery key:", "unlock"))
            self.secret.setAccessibleName(tr("Recovery key", "unlock"))
            self.secret.setEchoMode(QLineEdit.EchoMode.Normal)
            self.secret.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
            self.switch_button.setText(tr("Use my &passphrase", "unlock"))
        else:
            self.secret_label.setText(tr("&Passphrase:", "unlock"))
            self.secret.setAccessibleName(tr("Passphrase", "unlock"))
            self.secret.setEchoMode(QLineEdit.EchoMode.Password)
            self.secret.setPlaceholderText("")
            self.switch_button.setText(tr("Forgot it? Use the &recovery key", "unlock"))
        self.secret.setFocus()

    def submit(self) -> None:
        typed = self.secret.text()
        if not typed.strip() or (self.runner is not None and self.runner.running):
            return
        profile, recovery, use_keyring = self.profile, self.recovery, self.use_keyring
        self._busy(tr("Checking\u2026 (this takes a second on purpose: it slows down "
                      "anyone guessing)", "unlock"))
        if self.locking:
            def verify() -> None:
                if recovery:
                    database.unlock_with_recovery_key(profile, typed)
                else:
                    database.unlock_with_passphrase(profile, typed, use_keyring=False)

            self.runner = worker.run(verify, what="lock screen", finished=self._verified,
                                     failed=self._failed)
        else:
            self.runner = worker.run(
                lambda: stores.open_with_secret(profile, typed, recovery=recovery,
                                                use_keyring=use_keyring),
                writes=True, what="unlock", finished=self._opened, failed=self._failed)

    def _verified(self, _result: object) -> None:
        self._idle()
        self.secret.clear()
        self.unlocked.emit()

    def _opened(self, store: Store) -> None:
        self._idle()
        self.secret.clear()
        self.opened.emit(store)

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if not isinstance(exc, EolcareError):
            log.error("unlock failed: %s", type(exc).__name__)
        self.message.setText(plain_message(exc))
        self.secret.selectAll()
        self.secret.setFocus()

    # -- how it looks while working ---------------------------------------------------

    def _busy(self, what: str) -> None:
        self.busy.show()
        self.message.setText(what)
        self.secret.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self.switch_button.setEnabled(False)

    def _idle(self) -> None:
        self.busy.hide()
        self.message.clear()
        self.secret.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.switch_button.setEnabled(True)

    def _ready(self) -> None:
        self._idle()
        self.secret.setFocus(Qt.FocusReason.OtherFocusReason)
