"""The account screen: sign this profile in to a team server (or create an account),
create a team, and sign out - what `eolcare account` and `eolcare team create` do.

One passphrase (DESIGN.md "Sync"): the account's keys come from the passphrase
that unlocks this profile, so the screen asks for that passphrase and checks it
against the profile's key file before anything goes to the server. The window
may have been unlocked from the keyring, so it is typed here even then.
Everything that waits on Argon2 or the network runs on the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.gui.errors import show_error
from eolcare.gui.record.dialogs import confirm
from eolcare.gui.tr import tr
from eolcare.gui.worker import Runner
from eolcare.store import vault
from eolcare.store.database import Store
from eolcare.sync import account, teams
from eolcare.sync.account import DEFAULT_KDF, KdfPolicy

CONTEXT = "AccountScreen"


class AccountWidget(QWidget):
    """Not signed in: server, user name, passphrase; signed in: create a team, sign out.

    ``ask`` answers the yes/no questions (sharing records made before joining,
    signing out with unsent changes); tests pass their own answer.
    """

    changed = Signal()  # signed in or out, or a team was created or joined
    busy = Signal(bool)

    def __init__(self, store: Store, *, policy: KdfPolicy = DEFAULT_KDF,
                 ask: Callable[[QWidget, str, str], bool] = confirm,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountScreen")
        self.store = store
        self.policy = policy
        self.ask = ask
        self.state: teams.Status | None = None

        self.summary = QLabel(self)
        self.summary.setObjectName("accountSummary")
        self.summary.setWordWrap(True)

        self.sign_in_box = QGroupBox(tr("Sign in to a team server", CONTEXT), self)
        self.server = QLineEdit(self.sign_in_box)
        self.server.setPlaceholderText("https://sync.example.nhs.uk")
        self.server.setAccessibleName(tr("Server address", CONTEXT))
        self.ca_bundle = QLineEdit(self.sign_in_box)
        self.ca_bundle.setPlaceholderText(tr("Only if your IT team gave you one", CONTEXT))
        self.ca_bundle.setAccessibleName(tr("Certificate authority bundle", CONTEXT))
        browse = QPushButton(tr("&Browse\u2026", CONTEXT), self.sign_in_box)
        browse.clicked.connect(self._choose_ca_bundle)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle)
        ca_row.addWidget(browse)
        self.username = QLineEdit(self.sign_in_box)
        self.username.setAccessibleName(tr("User name", CONTEXT))
        self.passphrase = QLineEdit(self.sign_in_box)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("This profile's passphrase", CONTEXT))
        self.passphrase.setToolTip(tr("The account uses the same passphrase as this "
                                      "profile; it never leaves this computer.", CONTEXT))
        self.register_button = QPushButton(tr("&Create an account", CONTEXT), self.sign_in_box)
        self.login_button = QPushButton(tr("&Sign in", CONTEXT), self.sign_in_box)
        form = QFormLayout(self.sign_in_box)
        form.addRow(tr("Server &address", CONTEXT), self.server)
        form.addRow(tr("C&A bundle", CONTEXT), ca_row)
        form.addRow(tr("&User name", CONTEXT), self.username)
        form.addRow(tr("This profile's &passphrase", CONTEXT), self.passphrase)
        same = QLabel(tr("Your account uses the passphrase that unlocks this profile. It "
                         "never leaves this computer.", CONTEXT), self.sign_in_box)
        same.setWordWrap(True)
        form.addRow("", same)
        buttons = QHBoxLayout()
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.login_button)
        form.addRow(buttons)

        self.team_box = QGroupBox(tr("Start a team", CONTEXT), self)
        self.team_name = QLineEdit(self.team_box)
        self.team_name.setAccessibleName(tr("Team name", CONTEXT))
        self.create_team_button = QPushButton(tr("Create the &team", CONTEXT), self.team_box)
        team_form = QFormLayout(self.team_box)
        team_form.addRow(tr("Team &name", CONTEXT), self.team_name)
        team_form.addRow(self.create_team_button)
        team_form.addRow(QLabel(tr("Or ask a team admin to invite you: the invitation "
                                   "appears on Team > Team.", CONTEXT), self.team_box))

        self.sign_out_button = QPushButton(tr("Sign &out of the team server\u2026", CONTEXT),
                                           self)
        self.message = QLabel(self)
        self.message.setObjectName("accountMessage")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.sign_in_box)
        layout.addWidget(self.team_box)
        layout.addWidget(self.sign_out_button)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.register_button.clicked.connect(self.register)
        self.login_button.clicked.connect(self.login)
        self.create_team_button.clicked.connect(self.create_team)
        self.sign_out_button.clicked.connect(self.sign_out)
        self._show(None)

    # -- plumbing --------------------------------------------------------------------

    def _run(self, task: Callable[[], Any], done: Callable[[Any], None], *,
             writes: bool, what: str) -> Runner:
        runner = Runner(task, writes=writes, what=what, parent=self)
        runner.finished.connect(done)
        runner.failed.connect(self._failed)
        runner.ended.connect(lambda: self._set_busy(False))
        self._set_busy(True)
        return runner.start()

    def _set_busy(self, busy: bool) -> None:
        for w in (self.register_button, self.login_button, self.create_team_button,
                  self.sign_out_button):
            w.setEnabled(not busy)
        self.busy.emit(busy)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(str(exc))
        show_error(self, exc)

    def _choose_ca_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Certificate authority bundle", CONTEXT), "",
            tr("Certificates (*.pem *.crt);;All files (*)", CONTEXT))
        if path:
            self.ca_bundle.setText(path)

    # -- what is shown -----------------------------------------------------------------

    def reload(self) -> Runner:
        return self._run(lambda: teams.status(self.store), self._show, writes=False,
                         what="account status")

    def _show(self, state: teams.Status | None) -> None:
        self.state = state
        signed_in = state is not None and state.username is not None
        in_team = signed_in and state is not None and state.team is not None
        self.sign_in_box.setVisible(not signed_in)
        self.team_box.setVisible(signed_in and not in_team)
        self.sign_out_button.setVisible(signed_in)
        if state is None:
            self.summary.setText("")
        elif not signed_in:
            self.summary.setText(tr("This profile is not signed in to a team server. Sign "
                                    "in with the address your team's admin gave you, or "
                                    "create an account there.", CONTEXT))
        elif not in_team:
            self.summary.setText(tr("Signed in as %1 at %2, not in a team yet.", CONTEXT)
                                 .replace("%1", state.username or "")
                                 .replace("%2", state.server or ""))
        else:
            self.summary.setText(tr("Signed in as %1 at %2, in the team %3 (%4).", CONTEXT)
                                 .replace("%1", state.username or "")
                                 .replace("%2", state.server or "")
                                 .replace("%3", state.team or "")
                                 .replace("%4", state.role or ""))

    # -- signing in ------------------------------------------------------------------

    def _sign_in_fields(self) -> tuple[str, str, str, str | None] | None:
        url, user = self.server.text().strip(), self.username.text().strip()
        passphrase = self.passphrase.text()
        if not url or not user or not passphrase:
            self.message.setText(tr("Fill in the server address, your user name and this "
                                    "profile's passphrase.", CONTEXT))
            return None
        return url, user, passphrase, self.ca_bundle.text().strip() or None

    def _check_passphrase(self, passphrase: str) -> None:
        profile = self.store.profile
        vault.unlock(profile.vault_path, passphrase, profile_id=profile.id)

    def register(self) -> Runner | None:
        """Create an account on the server, signed in on this profile."""
        fields = self._sign_in_fields()
        if fields is None:
            return None
        url, user, passphrase, ca = fields

        def task() -> object:
            self._check_passphrase(passphrase)  # one passphrase: the profile's
            return account.register(self.store, url, user, passphrase, ca_bundle=ca,
                                    policy=self.policy)

        return self._run(task, self._signed_in, writes=True, what="register")

    def login(self) -> Runner | None:
        """Sign in to an existing account (another laptop); join its team if it has one."""
        fields = self._sign_in_fields()
        if fields is None:
            return None
        url, user, passphrase, ca = fields

        def task() -> object:
            self._check_passphrase(passphrase)
            return account.login(self.store, url, user, passphrase, ca_bundle=ca,
                                 policy=self.policy)

        return self._run(task, self._logged_in, writes=True, what="sign in")

    def _signed_in(self, _: object) -> None:
        self.passphrase.clear()
        self.message.setText(tr("Signed in. Next: create a team, or ask a team admin to "
                                "invite you.", CONTEXT))
        self.changed.emit()
        self.reload()

    def _logged_in(self, found: list[Any]) -> None:
        self.passphrase.clear()
        self.changed.emit()
        if len(found) > 1:
            self.message.setText(tr("Your account is in several teams; this profile syncs "
                                    "with one. Use another profile per team.", CONTEXT))
        elif found:
            self._use_team(found[0])
            return
        else:
            self.message.setText(tr("Signed in. Next: create a team, or ask a team admin "
                                    "to invite you.", CONTEXT))
        self.reload()

    def _use_team(self, team: Any) -> None:
        def waiting() -> int:
            return teams.records_to_share(self.store)

        def asked(count: int) -> None:
            if count and not self.ask(self, tr("Share records", CONTEXT),
                                      _share_question(count, team.name)):
                self.message.setText(tr("Signed in; not joined to the team, nothing was "
                                        "shared.", CONTEXT))
                self.reload()
                return
            self._run(lambda: teams.use_team(self.store, team), self._joined, writes=True,
                      what="use team")

        self._run(waiting, asked, writes=False, what="records to share")

    def _joined(self, _: object) -> None:
        self.message.setText(tr("This profile now syncs with the team. The team's records "
                                "arrive with the next sync.", CONTEXT))
        self.changed.emit()
        self.reload()

    # -- team ------------------------------------------------------------------------

    def create_team(self) -> Runner | None:
        """A new team with this coordinator as its admin (records made so far are shared)."""
        name = self.team_name.text().strip()
        if not name:
            self.message.setText(tr("Give the team a name.", CONTEXT))
            return None

        def asked(count: int) -> None:
            if count and not self.ask(self, tr("Share records", CONTEXT),
                                      _share_question(count, name)):
                self.message.setText(tr("No team was created.", CONTEXT))
                return
            self._run(lambda: teams.create(self.store, name), self._created, writes=True,
                      what="create team")

        return self._run(lambda: teams.records_to_share(self.store), asked, writes=False,
                         what="records to share")

    def _created(self, _: object) -> None:
        self.message.setText(tr("Team created; you are its admin. Invite coordinators "
                                "from Team > Team.", CONTEXT))
        self.team_name.clear()
        self.changed.emit()
        self.reload()

    # -- signing out -----------------------------------------------------------------

    def sign_out(self) -> Runner:
        """Warn with what has not been synced, then remove the team's data from here."""
        return self._run(lambda: account.unsynced(self.store).warning(), self._ask_sign_out,
                         writes=False, what="unsynced changes")

    def _ask_sign_out(self, warning: str | None) -> None:
        question = (tr("Signing out removes the team's records from this laptop.", CONTEXT)
                    + " " + (tr("Warning: %1", CONTEXT).replace("%1", warning) if warning
                             else tr("Everything has been synced.", CONTEXT))
                    + " " + tr("Sign out?", CONTEXT))
        if not self.ask(self, tr("Sign out", CONTEXT), question):
            self.message.setText(tr("Still signed in; nothing was removed.", CONTEXT))
            return
        self._run(lambda: account.sign_out(self.store), self._signed_out, writes=True,
                  what="sign out")

    def _signed_out(self, _: object) -> None:
        self.message.setText(tr("Signed out; the team's records were removed from this "
                                "laptop.", CONTEXT))
        self.changed.emit()
        self.reload()


def _share_question(count: int, team: str) -> str:
    return (tr("%n change(s) already made on this laptop will be shared with the team",
               "AccountScreen", n=count) + f" {team!r}, "
            + tr("so every member will see those records. Go on?", CONTEXT))
