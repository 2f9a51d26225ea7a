"""The recovery key, shown once when a profile is created: copy it, print it, save it as PDF.

A forgotten passphrase must not mean lost records (DESIGN.md, "Recovery key").
The key is shown in this dialog only; it is never written anywhere by eolcare
except the PDF the coordinator asks for. The dialog cannot be closed until the
coordinator says the key is stored safely.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.gui.tr import tr


def recovery_document(profile_name: str, author: str, recovery_key: str,
                      today: date) -> QTextDocument:
    """One printed page: what the key is for, the key, where to keep it."""
    doc = QTextDocument()
    doc.setDefaultFont(QFont("DejaVu Sans", 11))
    esc = html.escape
    title, profile, coordinator, made = (
        tr("eolcare recovery key", "recovery"), tr("Profile", "recovery"),
        tr("Coordinator", "recovery"), tr("Made on", "recovery"))
    keep = tr("This key opens your eolcare records if you forget your passphrase. "
              "Anyone who has it and your laptop can read them: keep it somewhere locked, "
              "apart from the laptop (for example with your team's key safe), and never "
              "in an email.", "recovery")
    doc.setHtml(f"""
<h1>{esc(title)}</h1>
<p>{esc(profile)}: <b>{esc(profile_name)}</b><br>
{esc(coordinator)}: {esc(author)}<br>
{esc(made)}: {today.strftime("%d %B %Y")}</p>
<p style="font-family: 'DejaVu Sans Mono', monospace; font-size: 20pt; margin: 18pt 0;">
<b>{esc(recovery_key)}</b></p>
<p>{esc(keep)}</p>
""")
    return doc


def save_pdf(doc: QTextDocument, path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    writer.setTitle(tr("eolcare recovery key", "recovery"))
    writer.setCreator("eolcare")
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; "Done" only after "I have stored it safely"."""

    def __init__(self, profile_name: str, author: str, recovery_key: str,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(tr("Your recovery key", "recovery"))
        self.profile_name = profile_name
        self.author = author
        self.recovery_key = recovery_key
        self.today = today or date.today()
        self.saved_to: Path | None = None

        explain = QLabel(tr(
            "If you forget your passphrase, this key is the only way into your records. "
            "It is shown now and never again: copy it into your team's password manager, "
            "or print it or save it as PDF and keep it locked away from this laptop.",
            "recovery"))
        explain.setWordWrap(True)
        self.key_label = QLabel(recovery_key)
        self.key_label.setObjectName("recoveryKey")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.5)
        mono.setBold(True)
        self.key_label.setFont(mono)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.key_label.setAccessibleName(tr("Recovery key", "recovery"))
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setMinimumHeight(self.key_label.sizeHint().height() * 2)

        self.copy_button = QPushButton(tr("&Copy", "recovery"))
        self.copy_button.setObjectName("copyRecoveryKey")
        self.copy_button.clicked.connect(self.copy)
        self.pdf_button = QPushButton(tr("Save as &PDF\u2026", "recovery"))
        self.pdf_button.setObjectName("saveRecoveryPdf")
        self.pdf_button.clicked.connect(self.ask_save_pdf)
        self.print_button = QPushButton(tr("P&rint\u2026", "recovery"))
        self.print_button.setObjectName("printRecoveryKey")
        self.print_button.clicked.connect(self.print_key)
        actions = QHBoxLayout()
        actions.addWidget(self.copy_button)
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.print_button)
        actions.addStretch(1)

        self.stored = QCheckBox(tr("I have &stored the recovery key safely", "recovery"))
        self.stored.setObjectName("recoveryStored")
        self.stored.setAccessibleName(self.stored.text().replace("&", ""))
        self.status = QLabel()
        self.status.setObjectName("recoveryStatus")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.done_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.done_button.setText(tr("&Done", "recovery"))
        self.done_button.setEnabled(False)
        self.stored.toggled.connect(self.done_button.setEnabled)
        self.buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.key_label)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.stored)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

    def reject(self) -> None:
        """Escape does not close it: the key would be lost unseen."""
        if self.stored.isChecked():
            super().reject()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_key)
        self.status.setText(tr("Copied. Paste it into your password manager now.", "recovery"))

    def document(self) -> QTextDocument:
        return recovery_document(self.profile_name, self.author, self.recovery_key, self.today)

    def save_pdf(self, path: Path) -> None:
        save_pdf(self.document(), path)
        self.saved_to = path
        self.status.setText(tr("Saved as {name}.", "recovery").format(name=path.name))

    def ask_save_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Save the recovery key as PDF", "recovery"),
            str(Path.home() / "eolcare-recovery-key.pdf"), "PDF (*.pdf)")
        if name:
            self.save_pdf(Path(name))

    def print_key(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.document().print_(printer)
            self.status.setText(tr("Sent to the printer.", "recovery"))
