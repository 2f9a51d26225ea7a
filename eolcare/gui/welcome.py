"""First run: create a profile, or try the demo caseload.

Both ways make a real encrypted profile (a demo is a profile called "demo"
holding synthetic people). The key derivation and opening the store run on
the writer thread; the recovery key is shown once; a demo caseload is made by
a job with progress and a Cancel button. ``opened(store)`` hands the open
store to the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from eolcare import demo
from eolcare.domain.errors import EolcareError
from eolcare.domain.jobs import Job
from eolcare.gui import worker
from eolcare.gui.errors import plain_message, show_error
from eolcare.gui.recovery import RecoveryKeyDialog
from eolcare.gui.strength import estimate
from eolcare.gui.tr import tr
from eolcare.store import lifecycle, vault
from eolcare.store.database import Store
from eolcare.store.profiles import Profile

log = logging.getLogger(__name__)

DEMO_PROFILE = "demo"
DEMO_PEOPLE = 200


def _big(label: QLabel, scale: float = 1.6) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class WelcomeWidget(QWidget):
    """The first-run screen: choose, then fill the profile form."""

    opened = Signal(object)  # an open eolcare.store.database.Store

    def __init__(self, *, kdf: vault.KdfParams = vault.KDF_DEFAULT,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.kdf = kdf
        self.today = today
        self.demo = False
        self.runner: worker.Runner | None = None
        self.recovery_dialog: RecoveryKeyDialog | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.store: Store | None = None

        self.pages = QStackedWidget()
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._form_page())
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.pages.setMaximumWidth(640)
        row.addWidget(self.pages, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    # -- pages ----------------------------------------------------------------------

    def _choice_page(self) -> QWidget:
        page = QWidget()
        title = _big(QLabel(tr("Welcome to eolcare", "welcome")), 1.8)
        text = QLabel(tr(
            "eolcare keeps your caseload encrypted on this computer. Create your own "
            "profile to start, or try eolcare first with a demo caseload of made-up "
            "people.", "welcome"))
        text.setWordWrap(True)
        self.create_choice = QPushButton(tr("&Create my profile", "welcome"))
        self.create_choice.setObjectName("chooseCreate")
        self.create_choice.setDefault(True)
        self.demo_choice = QPushButton(tr("Try the &demo caseload", "welcome"))
        self.demo_choice.setObjectName("chooseDemo")
        self.create_choice.clicked.connect(lambda: self.show_form(demo=False))
        self.demo_choice.clicked.connect(lambda: self.show_form(demo=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_choice)
        buttons.addWidget(self.demo_choice)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        return page

    def _form_page(self) -> QWidget:
        page = QWidget()
        self.form_title = _big(QLabel())
        self.form_text = QLabel()
        self.form_text.setWordWrap(True)

        self.profile_name = QLineEdit()
        self.profile_name.setObjectName("profileName")
        self.author = QLineEdit()
        self.author.setObjectName("authorName")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = QLabel()
        self.strength.setObjectName("passphraseStrength")
        self.strength.setWordWrap(True)
        self.strength.setAccessibleName(tr("Passphrase strength", "welcome"))
        self.strength_bar = QProgressBar()
        self.strength_bar.setObjectName("strengthBar")
        self.strength_bar.setRange(0, 3)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setMaximumHeight(8)
        self.strength_bar.setAccessibleName(tr("Passphrase strength", "welcome"))
        self.people = QSpinBox()
        self.people.setObjectName("demoPeople")
        self.people.setRange(1, 20_000)
        self.people.setValue(DEMO_PEOPLE)
        self.people.setSingleStep(100)
        self.people.setGroupSeparatorShown(True)

        form = QFormLayout()
        self.form = form
        for text, widget, name in (
            (tr("Profile &name:", "welcome"), self.profile_name, tr("Profile name", "welcome")),
            (tr("&Your name:", "welcome"), self.author,
             tr("Your name, shown on every change you make", "welcome")),
            (tr("&Passphrase:", "welcome"), self.passphrase, tr("New passphrase", "welcome")),
            (tr("&Again:", "welcome"), self.confirm, tr("New passphrase again", "welcome")),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        form.addRow("", self.strength_bar)
        form.addRow("", self.strength)
        self.people_label = QLabel(tr("People in the &demo:", "welcome"))
        self.people_label.setBuddy(self.people)
        self.people.setAccessibleName(tr("People in the demo", "welcome"))
        form.addRow(self.people_label, self.people)

        self.message = QLabel()
        self.message.setObjectName("welcomeMessage")
        self.message.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.setAccessibleName(tr("Creating the profile", "welcome"))
        self.busy.hide()
        self.back_button = QPushButton(tr("&Back", "welcome"))
        self.back_button.setObjectName("welcomeBack")
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.create_button = QPushButton(tr("C&reate", "welcome"))
        self.create_button.setObjectName("createProfile")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(page)
        layout.addWidget(self.form_title)
        layout.addWidget(self.form_text)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.passphrase.textChanged.connect(self._show_strength)
        self.confirm.returnPressed.connect(self.submit)
        for first, second in ((self.profile_name, self.author), (self.author, self.passphrase),
                              (self.passphrase, self.confirm), (self.confirm, self.people),
                              (self.people, self.create_button),
                              (self.create_button, self.back_button)):
            QWidget.setTabOrder(first, second)
        self._show_strength("")
        return page

    def show_form(self, *, demo: bool) -> None:
        self.demo = demo
        self.form_title.setText(tr("Try the demo caseload", "welcome") if demo
                                else tr("Create your profile", "welcome"))
        self.form_text.setText(
            tr("The demo is a profile of its own, filled with made-up people. It is "
               "encrypted like a real one, so it needs a passphrase too.", "welcome") if demo
            else tr("Choose a passphrase only you know. It unlocks your records on this "
                    "computer; nobody can reset it, but the recovery key shown next can "
                    "open the records if you forget it.", "welcome"))
        self.profile_name.setText(DEMO_PROFILE if demo else "")
        self.profile_name.setReadOnly(demo)
        self.people.setVisible(demo)
        self.people_label.setVisible(demo)
        self.message.clear()
        self.pages.setCurrentIndex(1)
        (self.author if demo else self.profile_name).setFocus()

    def _show_strength(self, text: str) -> None:
        found = estimate(text)
        self.strength.setText(found.hint if text else
                              tr("Four or more unrelated words make a strong passphrase.",
                                 "welcome"))
        self.strength_bar.setValue(found.score)

    # -- creating -------------------------------------------------------------------

    def submit(self) -> None:
        if self.runner is not None and self.runner.running:
            return
        name, author = self.profile_name.text().strip(), self.author.text().strip()
        passphrase = self.passphrase.text()
        problem = None
        if not name:
            problem = tr("Give the profile a name (for example your first name).", "welcome")
        elif not author:
            problem = tr("Type your name: it is shown on every change you make.", "welcome")
        elif estimate(passphrase).score == 0:
            problem = estimate(passphrase).hint
        elif passphrase != self.confirm.text():
            problem = tr("The two passphrases are not the same; type them again.", "welcome")
        if problem:
            self.message.setText(problem)
            return
        kdf = self.kdf

        def create() -> lifecycle.NewProfile:
            # the profile is "new" (not yet usable) until the recovery key has been shown
            return lifecycle.begin_profile(name, author, passphrase, kdf)

        self._busy(True)
        self.message.setText(tr("Creating your encrypted profile\u2026", "welcome"))
        self.runner = worker.run(create, writes=True, what="create profile",
                                 finished=self._created, failed=self._failed)

    def _busy(self, on: bool) -> None:
        self.busy.setVisible(on)
        for w in (self.create_button, self.back_button, self.profile_name, self.author,
                  self.passphrase, self.confirm, self.people):
            w.setEnabled(not on)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if not isinstance(exc, EolcareError):
            log.error("creating a profile failed: %s", type(exc).__name__)
        self.message.setText(plain_message(exc))

    def _created(self, result: lifecycle.NewProfile) -> None:
        self._busy(False)
        self.message.clear()
        self.passphrase.clear()
        self.confirm.clear()
        store, recovery_key = result.store, result.recovery_key
        self.store = store
        profile: Profile = store.profile
        dialog = RecoveryKeyDialog(profile.name, profile.author, recovery_key, self.today(),
                                   self)
        self.recovery_dialog = dialog
        dialog.accepted.connect(self._after_recovery_key)
        dialog.open()

    def _after_recovery_key(self) -> None:
        self.recovery_dialog = None
        store = self.store
        assert store is not None
        demo = self.demo

        def confirm() -> None:
            lifecycle.confirm_recovery_key_shown(store)
            if demo:
                lifecycle.mark_incomplete(store, "demo")  # until the whole caseload is made

        worker.run(confirm, writes=True, what="recovery key shown",
                   finished=lambda _r: self._confirmed(), failed=self._failed)

    def _confirmed(self) -> None:
        if self.demo:
            self.make_demo(self.people.value())
        else:
            self._hand_over()

    def make_demo(self, people: int) -> worker.Runner:
        store = self.store
        assert store is not None
        today = self.today()
        dialog = QProgressDialog(tr("Making a demo caseload of made-up people\u2026",
                                    "welcome"), tr("Cancel", "welcome"), 0, people, self)
        dialog.setObjectName("demoProgress")
        dialog.setWindowTitle(tr("Demo caseload", "welcome"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        def job() -> Job[object]:
            summary = yield from demo.generate(store, people, today=today)
            lifecycle.mark_complete(store)  # not reached when cancelled: stays "incomplete"
            return summary

        runner = worker.Runner(job, writes=True, what="demo caseload")
        runner.progress.connect(lambda done, _total, _what: dialog.setValue(done))
        dialog.canceled.connect(runner.cancel)
        runner.finished.connect(lambda _summary: self._hand_over())
        runner.cancelled.connect(self._hand_over)  # nothing of the demo was kept
        runner.failed.connect(self._demo_failed)
        runner.ended.connect(dialog.close)
        self.runner = runner
        dialog.show()
        return runner.start()

    def _demo_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self._hand_over()

    def _hand_over(self) -> None:
        self.progress_dialog = None
        store, self.store = self.store, None
        if store is not None:
            self.opened.emit(store)
