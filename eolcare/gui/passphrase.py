"""Change the profile's passphrase from the window (File > Change passphrase).

The one passphrase (DESIGN.md "Sync"): when the profile is signed in to a team
server the account's passphrase changes with it, server first, through
:func:`eolcare.sync.account.change_passphrase`; if the server refuses or cannot
be reached, nothing changed anywhere. A forgotten passphrase is replaced with
the recovery key. Argon2 and the network run on the worker.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from eolcare.gui.strength import estimate
from eolcare.gui.tr import tr
from eolcare.gui.worker import Runner
from eolcare.store.database import Store
from eolcare.sync import account
from eolcare.sync.account import DEFAULT_KDF, KdfPolicy

CONTEXT = "ChangePassphrase"


class ChangePassphraseDialog(QDialog):
    """Current passphrase (or the recovery key), the new one twice, a strength hint."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 policy: KdfPolicy = DEFAULT_KDF) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle(tr("Change passphrase", CONTEXT))
        self.store = store
        self.policy = policy
        self.runner: Runner | None = None
        self.account_changed: bool | None = None  #: set once the change is done

        self.current = QLineEdit(self)
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.setAccessibleName(tr("Current passphrase", CONTEXT))
        self.use_recovery = QCheckBox(tr("I have forgotten it: use the &recovery key",
                                         CONTEXT), self)
        self.recovery = QLineEdit(self)
        self.recovery.setAccessibleName(tr("Recovery key", CONTEXT))
        self.recovery.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new = QLineEdit(self)
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.setAccessibleName(tr("New passphrase", CONTEXT))
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName(tr("New passphrase again", CONTEXT))
        self.strength = QLabel(self)
        self.strength.setWordWrap(True)
        self.strength.setAccessibleName(tr("Passphrase strength", CONTEXT))
        self.message = QLabel(self)
        self.message.setObjectName("changePassphraseMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        self.current_label = QLabel(tr("C&urrent passphrase:", CONTEXT), self)
        self.current_label.setBuddy(self.current)
        form.addRow(self.current_label, self.current)
        form.addRow("", self.use_recovery)
        self.recovery_label = QLabel(tr("Recovery &key:", CONTEXT), self)
        self.recovery_label.setBuddy(self.recovery)
        form.addRow(self.recovery_label, self.recovery)
        for text, widget in ((tr("&New passphrase:", CONTEXT), self.new),
                             (tr("&Again:", CONTEXT), self.again)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.strength)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            tr("&Change passphrase", CONTEXT))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("When this profile is signed in to a team server, your account's "
                          "passphrase changes with it; that needs the server to be "
                          "reachable.", CONTEXT), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.use_recovery.toggled.connect(self._show_route)
        self.new.textChanged.connect(lambda text: self.strength.setText(
            estimate(text).hint if text else ""))
        self._show_route(False)

    def _show_route(self, recovery: bool) -> None:
        for w in (self.recovery, self.recovery_label):
            w.setVisible(recovery)
        for w in (self.current, self.current_label):
            w.setVisible(not recovery)

    def submit(self) -> Runner | None:
        """Check the form, then change the passphrase on the worker."""
        if self.runner is not None:
            return None
        recovery = self.use_recovery.isChecked()
        old = None if recovery else self.current.text()
        key = self.recovery.text().strip() if recovery else None
        new = self.new.text()
        if not (key if recovery else old):
            self.message.setText(tr("Type the recovery key.", CONTEXT) if recovery
                                 else tr("Type the current passphrase.", CONTEXT))
            return None
        if new != self.again.text():
            self.message.setText(tr("The two new passphrases are not the same.", CONTEXT))
            return None
        runner = Runner(lambda: account.change_passphrase(
            self.store, old, new, recovery_key=key, policy=self.policy),
            writes=True, what="change passphrase", parent=self)
        runner.finished.connect(self._changed)
        runner.failed.connect(self._failed)
        self.buttons.setEnabled(False)
        self.message.setText(tr("Changing the passphrase\u2026", CONTEXT))
        self.runner = runner
        return runner.start()

    def _changed(self, both: bool) -> None:
        self.runner = None
        self.account_changed = both
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.runner = None
        self.buttons.setEnabled(True)
        self.message.setText(tr("Nothing was changed: %1", CONTEXT).replace("%1", str(exc)))
