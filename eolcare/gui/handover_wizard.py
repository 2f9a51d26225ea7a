"""The handover pack wizard: who is in it, a passphrase twice, then the pack with progress.

A pack holds health records of real people, so the first page lists exactly
who is in the selection (name, date of birth, NHS number) and asks the
coordinator to confirm it. The pack is written by the Qt-free job
:func:`eolcare.reports.pack.write_pack` on a worker (:class:`eolcare.gui.worker.Runner`):
the window stays responsive, progress shows per person, and Cancel stops it
between two people leaving no file behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from eolcare.gui.errors import show_error
from eolcare.gui.tr import tr
from eolcare.gui.worker import Runner
from eolcare.reports import pack
from eolcare.store.database import Store


class WhoPage(QWizardPage):
    """Exactly who is in the pack; the coordinator ticks that it is right."""

    def __init__(self, wizard: HandoverWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Who is in this handover pack", "HandoverWizard"))
        self.setSubTitle(tr("Check every name before the pack is made: it will hold their "
                            "health records.", "HandoverWizard"))
        self.people = QTreeWidget(self)
        self.people.setHeaderLabels([tr("Name", "HandoverWizard"),
                                     tr("Date of birth", "HandoverWizard"),
                                     tr("NHS number", "HandoverWizard")])
        self.people.setRootIsDecorated(False)
        self.people.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.people.setAccessibleName(tr("People in the pack", "HandoverWizard"))
        self.count = QLabel(tr("Loading...", "HandoverWizard"))
        self.confirm = QCheckBox(tr("&These are the right people", "HandoverWizard"))
        self.confirm.setEnabled(False)
        self.confirm.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.confirm)

    def show_people(self, found: list[pack.Selected]) -> None:
        self.people.clear()
        for person in found:
            item = QTreeWidgetItem([person.name, person.born, person.nhs_number])
            item.setData(0, Qt.ItemDataRole.UserRole, person.id)
            self.people.addTopLevelItem(item)
        self.count.setText(tr("%n person(s) will be in this pack:", "HandoverWizard", n=len(found)))
        self.confirm.setEnabled(bool(found))

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self.confirm.isChecked()


class PassphrasePage(QWizardPage):
    """Where to save the pack and its passphrase, typed twice."""

    def __init__(self, wizard: HandoverWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Passphrase and where to save", "HandoverWizard"))
        self.setSubTitle(tr("The pack is encrypted (AES-256). Give the passphrase to the "
                            "receiver by another route, such as a phone call.", "HandoverWizard"))
        self.path = QLineEdit(self)
        self.path.setAccessibleName(tr("Save the pack as", "HandoverWizard"))
        browse = QPushButton(tr("&Browse...", "HandoverWizard"), self)
        browse.clicked.connect(self._browse)
        self.passphrase = QLineEdit(self)
        self.again = QLineEdit(self)
        for edit in (self.passphrase, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._check)
        self.path.textChanged.connect(self._check)
        self.passphrase.setAccessibleName(tr("Passphrase", "HandoverWizard"))
        self.again.setAccessibleName(tr("Passphrase again", "HandoverWizard"))
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        where = QLabel(tr("&Save the pack as:", "HandoverWizard"))
        where.setBuddy(self.path)
        form.addRow(where, row)
        form.addRow(tr("&Passphrase:", "HandoverWizard"), self.passphrase)
        form.addRow(tr("Passphrase &again:", "HandoverWizard"), self.again)
        form.addRow(self.hint)
        self._check()

    def _browse(self) -> None:
        dialog = QFileDialog(self, tr("Save the handover pack", "HandoverWizard"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(tr("ZIP files (*.zip)", "HandoverWizard"))
        dialog.setDefaultSuffix("zip")
        dialog.selectFile("handover-pack.zip")  # never a name: file names are not encrypted
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def problem(self) -> str:
        if not self.path.text().strip():
            return tr("Choose where to save the pack.", "HandoverWizard")
        if len(self.passphrase.text()) < pack.MIN_PASSPHRASE:
            return tr("The passphrase needs at least %n characters (a few words work well).",
                      "HandoverWizard", n=pack.MIN_PASSPHRASE)
        if self.passphrase.text() != self.again.text():
            return tr("The two passphrases are not the same.", "HandoverWizard")
        return ""

    def _check(self) -> None:
        self.hint.setText(self.problem())
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return not self.problem()


class ExportPage(QWizardPage):
    """Making the pack: progress per person; Cancel stops it and leaves no file."""

    def __init__(self, wizard: HandoverWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Making the handover pack", "HandoverWizard"))
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(tr("Progress", "HandoverWizard"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.done = False

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.done = False
        self.bar.setRange(0, 0)
        self.status.setText(tr("Starting...", "HandoverWizard"))
        wizard = self.wizard()
        assert isinstance(wizard, HandoverWizard)
        wizard.start_export()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self.done


class HandoverWizard(QWizard):
    """Make a handover pack for ``person_ids`` from ``store``."""

    exported = Signal(object)  # pack.PackSummary

    def __init__(self, store: Store, person_ids: list[str], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Handover pack", "HandoverWizard"))
        self.setObjectName("HandoverWizard")
        self.store = store
        self.person_ids = list(dict.fromkeys(person_ids))
        self.who = WhoPage(self)
        self.secret = PassphrasePage(self)
        self.export = ExportPage(self)
        for page in (self.who, self.secret, self.export):
            self.addPage(page)
        self.runner: Runner | None = None
        self.summary: pack.PackSummary | None = None
        self.loader = Runner(lambda: pack.selection(store, self.person_ids),
                             what="pack selection", parent=self)
        self.loader.finished.connect(self.who.show_people)
        self.loader.failed.connect(lambda exc: show_error(self, exc))
        self.loader.start()

    def start_export(self) -> None:
        job = pack.write_pack(self.store, self.person_ids,
                              Path(self.secret.path.text().strip()),
                              self.secret.passphrase.text())
        self.runner = Runner(job, what="handover pack", parent=self)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.runner.start()

    def _progress(self, done: int, total: int, what: str) -> None:
        self.export.bar.setRange(0, total)
        self.export.bar.setValue(done)
        self.export.status.setText(tr("%1 of %2 people done", "HandoverWizard")
                                   .replace("%1", str(done)).replace("%2", str(total)))

    def _finished(self, summary: pack.PackSummary) -> None:
        self.summary = summary
        self.export.bar.setRange(0, 1)
        self.export.bar.setValue(1)
        self.export.status.setText(tr("The handover pack is ready. Send the passphrase by "
                                      "another route.", "HandoverWizard"))
        self.export.done = True
        self.export.completeChanged.emit()
        self.exported.emit(summary)

    def _failed(self, exc: BaseException) -> None:
        self.export.status.setText(tr("The pack was not made; nothing was saved.",
                                      "HandoverWizard"))
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        show_error(self, exc)

    def _cancelled(self) -> None:
        self.export.status.setText(tr("Stopped: no pack was saved.", "HandoverWizard"))
        super().reject()

    def reject(self) -> None:
        """Cancel: stop a pack being made (its file is removed), then close."""
        if self.runner is not None and self.runner.running:
            self.runner.cancel()  # closes once the job has stopped (cancelled signal)
            self.export.status.setText(tr("Stopping...", "HandoverWizard"))
            return
        super().reject()
