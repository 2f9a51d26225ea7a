"""The account screen and the passphrase dialog, offscreen, against a real server process:
a coordinator who never opens a terminal signs in, starts a team, signs a second
laptop in, changes the one passphrase and signs out."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import Person
from eolcare.gui import worker
from eolcare.gui.mainwindow import MainWindow
from eolcare.gui.passphrase import ChangePassphraseDialog
from eolcare.gui.sync.account import AccountWidget
from eolcare.store import vault
from eolcare.store.profiles import find_profile
from eolcare.sync import account, errors, teams
from tests.conftest import PASSPHRASE
from tests.domain.factories import TODAY, minimal
from tests.gui.test_window import _unlock
from tests.server.conftest import LiveServer
from tests.sync.conftest import POLICY, Laptop, MakeLaptop

Team = Callable[[int], list[Laptop]]

WAIT = 20_000


class Answers:
    """The coordinator's answers to the screen's yes/no questions, and what was asked."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, _title: str, text: str) -> bool:
        self.asked.append(text)
        return self.answers.pop(0)


def _screen(qtbot: QtBot, laptop: Laptop, answers: Answers) -> AccountWidget:
    screen = AccountWidget(laptop.store, policy=POLICY, ask=answers)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.busy, timeout=WAIT, check_params_cb=lambda b: not b):
        screen.reload()
    return screen


def _done(qtbot: QtBot, screen: AccountWidget, action: object) -> None:
    with qtbot.waitSignal(screen.busy, timeout=WAIT, check_params_cb=lambda b: not b):
        action()  # type: ignore[operator]


def _fill(screen: AccountWidget, url: str, user: str, passphrase: str) -> None:
    screen.server.setText(url)
    screen.username.setText(user)
    screen.passphrase.setText(passphrase)


def test_sign_in_start_a_team_and_a_second_laptop_joins_it(
        qtbot: QtBot, laptops: MakeLaptop, live_server: LiveServer) -> None:
    ann = laptops("Ann Abbott", register=False)
    with ann.store.writing(TODAY) as w:
        w.add(minimal(Person, id=str(uuid.uuid4()), full_name="Made Before"))
    answers = Answers(True)
    screen = _screen(qtbot, ann, answers)
    assert screen.sign_in_box.isVisibleTo(screen)
    assert not screen.team_box.isVisibleTo(screen)

    _fill(screen, live_server.url, ann.username, "not the profile's passphrase")
    with qtbot.waitSignal(screen.busy, timeout=WAIT, check_params_cb=lambda b: not b):
        screen.register()
    assert "not right" in screen.message.text()
    assert teams.status(ann.store).username is None  # nothing saved, nothing sent

    _fill(screen, live_server.url, ann.username, PASSPHRASE)
    with qtbot.waitSignal(screen.changed, timeout=WAIT):
        screen.register()
    qtbot.waitUntil(lambda: screen.team_box.isVisibleTo(screen), timeout=WAIT)
    assert screen.passphrase.text() == ""  # not kept in the widget
    assert teams.status(ann.store).username == ann.username

    screen.team_name.setText("District team")
    with qtbot.waitSignal(screen.changed, timeout=WAIT):
        screen.create_team()
    assert answers.asked
    assert "1 change(s) already made" in answers.asked[0]
    assert teams.my_team(ann.store).name == "District team"
    qtbot.waitUntil(lambda: "in the team District team" in screen.summary.text(),
                    timeout=WAIT)
    ann.sync()

    second = laptops("Ann Abbott", register=False)  # the same coordinator's other laptop
    other = _screen(qtbot, second, Answers())
    _fill(other, live_server.url, ann.username, PASSPHRASE)
    with qtbot.waitSignal(other.changed, timeout=WAIT):
        other.login()
    qtbot.waitUntil(lambda: "syncs with the team" in other.message.text(), timeout=WAIT)
    assert teams.my_team(second.store).name == "District team"
    assert second.sync().applied >= 1


def test_signing_out_warns_about_unsent_changes_and_keeps_them_when_declined(
        qtbot: QtBot, laptops: MakeLaptop) -> None:
    ann = laptops("Ann Abbott")
    teams.create(ann.store, "District team")
    with ann.store.writing(TODAY) as w:
        w.add(minimal(Person, id=str(uuid.uuid4()), full_name="Not Sent"))
    answers = Answers(False, True)
    screen = _screen(qtbot, ann, answers)
    assert screen.sign_out_button.isVisibleTo(screen)
    assert not screen.sign_in_box.isVisibleTo(screen)
    _done(qtbot, screen, screen.sign_out)
    assert "1 change(s) made on this laptop have not been sent" in answers.asked[0]
    assert "nothing was removed" in screen.message.text()
    assert teams.status(ann.store).waiting == 1
    with qtbot.waitSignal(screen.changed, timeout=WAIT):
        screen.sign_out()
    assert teams.status(ann.store).username is None
    assert teams.status(ann.store).waiting == 0
    qtbot.waitUntil(lambda: screen.sign_in_box.isVisibleTo(screen), timeout=WAIT)


def test_the_passphrase_dialog_changes_profile_and_account_or_nothing(
        qtbot: QtBot, laptops: MakeLaptop, live_server: LiveServer) -> None:
    ann = laptops("Ann Abbott")
    before = ann.store.profile.vault_path.read_bytes()
    dialog = ChangePassphraseDialog(ann.store, policy=POLICY)
    qtbot.addWidget(dialog)
    new = "a brand new passphrase"
    dialog.current.setText("not the passphrase")
    dialog.new.setText(new)
    dialog.again.setText(new + " typo")
    assert dialog.submit() is None
    assert "not the same" in dialog.message.text()
    dialog.again.setText(new)
    dialog.submit()
    qtbot.waitUntil(lambda: "Nothing was changed" in dialog.message.text(), timeout=WAIT)
    assert ann.store.profile.vault_path.read_bytes() == before

    dialog.current.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.submit()
    assert dialog.account_changed is True
    assert vault.unlock(ann.store.profile.vault_path, new)
    elsewhere = laptops("Ann Abbott", register=False)
    assert account.login(elsewhere.store, live_server.url, ann.username, new, policy=POLICY) \
        == []
    with pytest.raises(errors.SignInError):
        account.login(laptops("x", register=False).store, live_server.url, ann.username,
                      PASSPHRASE, policy=POLICY)


def test_the_window_shows_records_a_sync_brought_and_has_the_account_screens(
        qtbot: QtBot, team: Team) -> None:
    ann, ben = team(2)
    ann.store.close()  # the window opens ann's profile itself
    window = MainWindow(find_profile(ann.name), kdf=vault.KDF_FAST_FOR_TESTS,
                        today=lambda: TODAY, use_keyring=False)
    qtbot.addWidget(window)
    window.show()
    _unlock(qtbot, window)
    caseload = window.workspace.caseload  # type: ignore[union-attr]
    assert window.account_action.isEnabled()
    assert window.passphrase_action.isEnabled()
    qtbot.waitUntil(lambda: window.team_sync is not None
                    and not window.team_sync.controller.busy, timeout=WAIT)
    assert caseload.model.rowCount() == 0
    with ben.store.writing(TODAY) as w:
        w.add(minimal(Person, id=str(uuid.uuid4()), full_name="Arrives By Sync"))
    ben.sync()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 1, timeout=WAIT)  # no reload by hand
    dialog = window.show_account()
    assert dialog is not None
    screen = dialog.findChild(AccountWidget)
    assert screen is not None
    qtbot.waitUntil(lambda: "in the team District team" in screen.summary.text(), timeout=WAIT)
    dialog.close()
    worker.wait_for_all()
    window.close()
    ann.reopen()  # the fixture closes it
