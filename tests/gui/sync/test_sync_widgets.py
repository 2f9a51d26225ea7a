"""The sync widgets, offscreen, against a real server process: status, background sync,
conflict review and the team screen with its fingerprint check."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from eolcare.domain.entities import Person
from eolcare.domain.values import Coded
from eolcare.gui.sync.controller import SYNC_SWITCH_INTERVAL_S, SyncController
from eolcare.gui.sync.review import ConflictReviewWidget
from eolcare.gui.sync.status import SyncStatusWidget
from eolcare.gui.sync.team import TeamWidget
from eolcare.store import accounts
from eolcare.store.database import Store
from eolcare.sync import errors, teams
from tests.domain.factories import TODAY
from tests.sync.conftest import Laptop, MakeLaptop, converge
from tests.sync.test_teams import add_person, person

Team = Callable[[int], list[Laptop]]
HOME, HOSPICE = Coded("110481000000108"), Coded("108401000000102")


def test_the_status_widget_says_online_waiting_and_review(qtbot: QtBot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    assert widget.online_label.text() == "Not in a team"
    widget.show_status(teams.Status("https://s", "ann", "District team", "member", 1,
                                    datetime(2026, 11, 30, 12, 0, tzinfo=UTC), None, 3, 2, 0))
    widget.show_online(False)
    assert widget.online_label.text() == "Offline"
    assert widget.waiting_label.text() == "3 change(s) waiting"
    assert widget.review_label.text() == "2 record(s) need review"
    assert widget.last_label.text().startswith("Last synced 30 Nov")
    widget.show_online(True)
    assert widget.online_label.text() == "Online"
    widget.show_progress(1200, 30706, "receiving changes")
    assert widget.waiting_label.text() == "Syncing: 1,200 of 30,706 changes"
    widget.show_busy(False)
    assert widget.waiting_label.text() == "3 change(s) waiting"


def test_the_controller_syncs_at_start_and_says_when_offline(qtbot: QtBot, team: Team) -> None:
    ann, ben = team(2)
    p = add_person(ann, "Window Sync")
    controller = SyncController(ann.store, interval_ms=0, offline_retry_ms=0)
    status = SyncStatusWidget()
    qtbot.addWidget(status)
    controller.status_changed.connect(status.show_status)
    controller.online_changed.connect(status.show_online)
    with qtbot.waitSignal(controller.synced, timeout=30_000) as synced:
        controller.start()
    assert synced.args[0].pushed == 1
    qtbot.waitUntil(lambda: status.waiting_label.text() == "0 change(s) waiting")
    assert status.online_label.text() == "Online"
    ben.sync()
    assert person(ben, p.id).full_name == "Window Sync"
    with ann.store.writing() as w:
        w.session.execute(update(accounts.SyncAccountRow).values(
            server_url="http://127.0.0.1:9"))
    add_person(ann, "Made Offline")
    usual = sys.getswitchinterval()
    with qtbot.waitSignal(controller.failed, timeout=30_000) as failed:
        assert controller.sync_now()
        # the GUI thread asks for the GIL sooner while the sync's threads run
        assert sys.getswitchinterval() == SYNC_SWITCH_INTERVAL_S < usual
    assert isinstance(failed.args[0], errors.OfflineError)
    qtbot.waitUntil(lambda: sys.getswitchinterval() == usual)  # and as usual after it
    qtbot.waitUntil(lambda: status.online_label.text() == "Offline")
    qtbot.waitUntil(lambda: status.waiting_label.text() == "1 change(s) waiting")


def test_views_are_told_once_when_a_sync_brought_records_not_during_it(
        qtbot: QtBot, team: Team) -> None:
    ann, ben = team(2)
    for i in range(25):
        add_person(ann, f"Arriving Sync{i}")
    ann.sync()
    controller = SyncController(ben.store, interval_ms=0, offline_retry_ms=0)
    told: list[int] = []
    steps: list[str] = []
    controller.records_changed.connect(lambda: told.append(len(steps)))
    controller.progress.connect(lambda _d, _t, what: steps.append(what))
    with qtbot.waitSignal(controller.synced, timeout=30_000) as synced:
        controller.sync_now()
    assert synced.args[0].applied == 25
    assert told == [len(steps)]  # once, after every step
    with qtbot.waitSignal(controller.synced, timeout=30_000) as synced:
        controller.sync_now()
    assert synced.args[0].applied == 0
    assert len(told) == 1  # nothing new: nothing said


def test_a_conflict_is_reviewed_by_choosing_and_the_choice_syncs(qtbot: QtBot,
                                                                 team: Team) -> None:
    ann, ben = team(2)
    p = add_person(ann, "Review Me")
    converge([ann, ben])
    with ann.store.writing(TODAY) as w:
        w.update(Person, p.id, preferred_place_of_death=HOME)
    with ben.store.writing(TODAY) as w:
        w.update(Person, p.id, preferred_place_of_death=HOSPICE)
    converge([ann, ben])
    widget = ConflictReviewWidget(ben.store)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000) as loaded:
        widget.reload()
    assert loaded.args == [1]
    widget.list.setCurrentRow(0)
    assert widget.values.count() == 2
    texts = [widget.values.item(i).text() for i in range(2)]
    assert any("Ann Abbott" in t for t in texts)
    assert any("Ben Bello" in t for t in texts)
    choice = next(i for i, t in enumerate(texts) if t.startswith("Home"))
    widget.values.setCurrentRow(choice)
    with qtbot.waitSignal(widget.loaded, timeout=10_000) as reloaded:
        widget.keep_selected()
    assert reloaded.args == [0]
    converge([ben, ann])
    for laptop in (ann, ben):
        chosen = person(laptop, p.id)
        assert chosen.preferred_place_of_death is not None
        assert chosen.preferred_place_of_death.code == HOME.code


def test_the_team_screen_invites_and_joins_after_the_same_fingerprint(
        qtbot: QtBot, laptops: MakeLaptop) -> None:
    ann, ben = laptops("Ann Abbott"), laptops("Ben Bello")
    teams.create(ann.store, "District team")
    admin, joiner = TeamWidget(ann.store), TeamWidget(ben.store)
    qtbot.addWidget(admin)
    qtbot.addWidget(joiner)
    for widget in (admin, joiner):
        assert not widget.look_up.isEnabled()  # nothing offered before the status is read
        with qtbot.waitSignal(widget.busy, timeout=10_000, check_params_cb=lambda b: not b):
            widget.reload()
    assert admin.summary.text() == "District team: you are an admin: you invite and " \
        "remove members."
    assert admin.look_up.isEnabled()
    assert admin.username.isEnabled()
    assert joiner.summary.text().startswith(f"Signed in as {ben.username}, not in a team")
    assert not joiner.look_up.isEnabled()
    assert not joiner.remove_button.isEnabled()
    admin.member_list.setCurrentRow(0)  # the admin alone: no one else to remove
    assert not admin.remove_button.isEnabled()
    admin.username.setText(ben.username)
    assert not admin.confirm_invite.isEnabled()  # nothing to confirm before the look-up
    with qtbot.waitSignal(admin.busy, timeout=10_000, check_params_cb=lambda b: not b):
        admin.look_up_invitee()
    assert admin.confirm_invite.isEnabled()
    digits = admin.fingerprint.text().splitlines()[1]
    assert len(digits.split()) == 12
    with qtbot.waitSignal(admin.changed, timeout=10_000):
        admin.invite()
    with qtbot.waitSignal(joiner.busy, timeout=10_000, check_params_cb=lambda b: not b):
        joiner.reload()
    assert joiner.offer_list.count() == 1
    joiner.offer_list.setCurrentRow(0)
    assert digits in joiner.fingerprint.text()  # both screens show the same digits
    with qtbot.waitSignal(joiner.changed, timeout=10_000):
        joiner.accept_selected()
    assert teams.my_team(ben.store).name == "District team"
    with qtbot.waitSignal(admin.busy, timeout=10_000, check_params_cb=lambda b: not b):
        admin.reload()
    assert admin.member_list.count() == 2
    other = next(i for i, m in enumerate(admin.members) if not m.me)
    admin.member_list.setCurrentRow(other)
    assert admin.remove_button.isEnabled()  # another member, and an admin looking
    with qtbot.waitSignal(joiner.busy, timeout=10_000, check_params_cb=lambda b: not b):
        joiner.reload()
    assert joiner.summary.text() == "District team: you are a member: you read and edit."
    assert not joiner.look_up.isEnabled()  # a member does not invite


def test_the_team_screen_says_what_to_do_first_when_not_signed_in(
        qtbot: QtBot, demo_store: Store) -> None:
    widget = TeamWidget(demo_store)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.busy, timeout=10_000, check_params_cb=lambda b: not b):
        widget.reload()
    assert widget.summary.text().startswith("This profile is not signed in to a team server.")
    assert "Team > Team account" in widget.summary.text()
    assert widget.member_list.count() == widget.offer_list.count() == 0
    assert not any(w.isEnabled() for w in (widget.look_up, widget.username, widget.role,
                                           widget.remove_button, widget.confirm_invite,
                                           widget.accept_button))
