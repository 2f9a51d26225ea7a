"""Team screens: members and their roles, inviting with the fingerprint check,
invitations for me (the same check), and removing a member.

The fingerprint is shown on the screen beside a button that says the other
person read the same digits; nothing is sent before that button is pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.gui.errors import show_error
from eolcare.gui.tr import tr
from eolcare.gui.worker import Runner
from eolcare.store.database import Store
from eolcare.sync import teams

CONTEXT = "TeamScreen"


class TeamWidget(QWidget):
    """Members, invite (look-up, fingerprint, confirm), my invitations, removal."""

    changed = Signal()  # a member was invited or removed, or an invitation accepted
    busy = Signal(bool)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.status: teams.Status | None = None  #: as read by the last reload
        self.members: list[teams.MemberView] = []
        self.offers: list[teams.Offer] = []
        self.invitee: teams.Invitee | None = None
        self.to_share = 0

        self.member_list = QListWidget(self)
        self.member_list.setAccessibleName(tr("Team members", CONTEXT))
        self.remove_button = QPushButton(tr("&Remove from the team", CONTEXT), self)
        self.username = QLineEdit(self)
        self.role = QComboBox(self)
        for role, shown in (("member", tr("member: reads and edits", "TeamScreen")),
                            ("viewer", tr("viewer: reads only", "TeamScreen")),
                            ("admin", tr("admin: also invites and removes", "TeamScreen"))):
            self.role.addItem(shown, role)
        self.look_up = QPushButton(tr("&Look up", CONTEXT), self)
        self.fingerprint = QLabel(self)
        self.fingerprint.setAccessibleName(tr("Fingerprint to compare", CONTEXT))
        self.fingerprint.setWordWrap(True)
        self.confirm_invite = QPushButton(tr("They read the same digits: &invite", CONTEXT),
                                          self)
        self.confirm_invite.setEnabled(False)
        self.offer_list = QListWidget(self)
        self.offer_list.setAccessibleName(tr("Invitations for you", CONTEXT))
        self.accept_button = QPushButton(tr("The admin read the same digits: &join", CONTEXT),
                                         self)
        self.accept_button.setEnabled(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(tr("Team and your role", CONTEXT))

        form = QFormLayout()
        form.addRow(tr("&User name", CONTEXT), self.username)
        form.addRow(tr("R&ole", CONTEXT), self.role)
        invite_row = QHBoxLayout()
        invite_row.addWidget(self.look_up)
        invite_row.addWidget(self.confirm_invite)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        members_label = QLabel(tr("&Members", CONTEXT), self)
        members_label.setBuddy(self.member_list)
        layout.addWidget(members_label)
        layout.addWidget(self.member_list)
        layout.addWidget(self.remove_button)
        layout.addLayout(form)
        layout.addLayout(invite_row)
        layout.addWidget(self.fingerprint)
        offers_label = QLabel(tr("Invitations for &you", CONTEXT), self)
        offers_label.setBuddy(self.offer_list)
        layout.addWidget(offers_label)
        layout.addWidget(self.offer_list)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.message)

        self.look_up.clicked.connect(self.look_up_invitee)
        self.confirm_invite.clicked.connect(self.invite)
        self.remove_button.clicked.connect(self.remove_selected)
        self.offer_list.currentRowChanged.connect(self._show_offer)
        self.accept_button.clicked.connect(self.accept_selected)
        self.username.textChanged.connect(self._forget_invitee)
        self.member_list.currentRowChanged.connect(lambda _row: self._enable())
        self._enable()

    # -- plumbing --------------------------------------------------------------------

    def _run(self, task: Callable[[], Any], done: Callable[[Any], None], *,
             writes: bool, what: str) -> Runner:
        runner = Runner(task, writes=writes, what=what, parent=self)
        runner.finished.connect(done)
        runner.failed.connect(self._failed)
        runner.ended.connect(lambda: self.busy.emit(False))
        self.busy.emit(True)
        return runner.start()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(str(exc))
        show_error(self, exc)

    # -- members ---------------------------------------------------------------------

    def reload(self) -> Runner:
        def load() -> tuple[teams.Status, list[teams.MemberView], list[teams.Offer], int]:
            st = teams.status(self.store)
            found = teams.members(self.store) if st.team and not st.removed else []
            return (st, found, teams.invitations(self.store) if st.server else [],
                    teams.records_to_share(self.store))
        return self._run(load, self._loaded, writes=False, what="team members")

    def _loaded(self, found: tuple[teams.Status, list[teams.MemberView], list[teams.Offer],
                                   int]) -> None:
        self.status, self.members, self.offers, self.to_share = found
        self.summary.setText(_summary(self.status))
        self.member_list.clear()
        for m in self.members:
            who = tr("you", CONTEXT) if m.me else m.account_id[:8]
            key = "" if m.has_current_key else tr(" (waiting for the team key)", CONTEXT)
            self.member_list.addItem(f"{who} - {m.role}{key}")
        self.offer_list.clear()
        for o in self.offers:
            self.offer_list.addItem(f"{o.invitation.team_name} - {o.invitation.role}")
        self._enable()

    def _is_admin(self) -> bool:
        st = self.status
        return st is not None and st.team is not None and not st.removed and st.role == "admin"

    def _enable(self) -> None:
        """Only what this coordinator can do now is offered: an admin of a team invites
        and removes (someone other than themselves)."""
        admin = self._is_admin()
        for widget in (self.username, self.role, self.look_up):
            widget.setEnabled(admin)
        row = self.member_list.currentRow()
        self.remove_button.setEnabled(admin and 0 <= row < len(self.members)
                                      and not self.members[row].me)

    def remove_selected(self) -> Runner | None:
        row = self.member_list.currentRow()
        if row < 0 or self.members[row].me:
            return None
        account_id = self.members[row].account_id
        return self._run(lambda: teams.remove(self.store, account_id), self._removed,
                         writes=True, what="remove member")

    def _removed(self, epoch: int) -> None:
        self.message.setText(tr("Removed. The team now uses key %1.", CONTEXT)
                             .replace("%1", str(epoch)))
        self.changed.emit()
        self.reload()

    # -- inviting --------------------------------------------------------------------

    def look_up_invitee(self) -> Runner | None:
        name = self.username.text().strip()
        if not name:
            return None
        return self._run(lambda: teams.prepare_invite(self.store, name), self._found,
                         writes=False, what="look up invitee")

    def _found(self, invitee: teams.Invitee) -> None:
        self.invitee = invitee
        self.fingerprint.setText(
            tr("Read these digits to %1 by phone or in person; they must see the same:",
               CONTEXT).replace("%1", invitee.username) + f"\n{invitee.fingerprint}")
        self.confirm_invite.setEnabled(True)

    def _forget_invitee(self) -> None:
        self.invitee = None
        self.fingerprint.setText("")
        self.confirm_invite.setEnabled(False)

    def invite(self) -> Runner | None:
        invitee, role = self.invitee, self.role.currentData()
        if invitee is None:
            return None
        self.confirm_invite.setEnabled(False)
        return self._run(lambda: teams.invite(self.store, invitee, role),
                         self._invited, writes=False, what="invite")

    def _invited(self, _: object) -> None:
        self.message.setText(tr("Invited. They join from their own team screen.", CONTEXT))
        self._forget_invitee()
        self.changed.emit()

    # -- invitations for me ------------------------------------------------------------

    def _show_offer(self, row: int) -> None:
        if row < 0 or row >= len(self.offers):
            self.accept_button.setEnabled(False)
            return
        share = tr("%n change(s) already on this laptop will be shared with the team.",
                   "TeamScreen", n=self.to_share) if self.to_share else ""
        self.fingerprint.setText(
            tr("The admin who invited you must read you the same digits:", CONTEXT)
            + f"\n{self.offers[row].fingerprint}\n{share}")
        self.accept_button.setEnabled(True)

    def accept_selected(self) -> Runner | None:
        row = self.offer_list.currentRow()
        if row < 0:
            return None
        offer = self.offers[row]
        self.accept_button.setEnabled(False)
        return self._run(lambda: teams.accept(self.store, offer), self._joined, writes=True,
                         what="accept invitation")

    def _joined(self, joined: Any) -> None:
        self.message.setText(tr("Joined %1. The team's records arrive with the next sync.",
                                CONTEXT).replace("%1", joined.name))
        self.changed.emit()
        self.reload()


def _summary(st: teams.Status) -> str:
    """One plain sentence: the team and this coordinator's role, or what to do first."""
    if st.server is None:
        return tr("This profile is not signed in to a team server. Sign in or create an "
                  "account in Team > Team account; then create a team there, or join one "
                  "an admin invites you to (the invitation shows below).", CONTEXT)
    if st.team is None:
        return tr("Signed in as %1, not in a team yet. Join one an admin invites you to "
                  "(the invitation shows below), or create one in Team > Team account.",
                  CONTEXT).replace("%1", st.username or "")
    if st.removed is not None:
        return tr("You were removed from %1. Your own changes not yet sent are kept on "
                  "this laptop and can be exported.", CONTEXT).replace("%1", st.team)
    roles = {"admin": tr("an admin: you invite and remove members", CONTEXT),
             "member": tr("a member: you read and edit", CONTEXT),
             "viewer": tr("a viewer: you read only", CONTEXT)}
    return (tr("%1: you are %2.", CONTEXT).replace("%1", st.team)
            .replace("%2", roles.get(st.role or "", st.role or "")))
