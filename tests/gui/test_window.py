"""The window end to end: first run, unlock, lock with an unsaved edit, quitting safely.

Each test drives the real widgets (typing, clicking, waiting on signals) over a
real encrypted profile, then checks the store itself.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import MATTERS, Person
from eolcare.gui import settings, stores, worker
from eolcare.gui.mainwindow import MainWindow
from eolcare.gui.record import PersonEditorWidget
from eolcare.gui.recovery import RecoveryKeyDialog
from eolcare.gui.sync.review import ConflictReviewWidget
from eolcare.store import caseload, review, vault, warming
from eolcare.store.database import Store
from eolcare.store.profiles import Profile, find_profile
from eolcare.store.writes import load
from tests.conftest import PASSPHRASE
from tests.gui.conftest import DEMO_TODAY
from tests.gui.record.helpers import type_text

NEW_PASSPHRASE = "quiet orange tractor lamp"


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    """Windows made by a test; closed (store and all) at its end."""
    made: list[MainWindow] = []
    yield made
    for w in made:
        if w.store is not None:
            worker.wait_for_all()
            w.workspace and w.workspace.has_unsaved_changes() and \
                w.workspace.editor.discard()  # type: ignore[union-attr]
            w.close()


def _window(qtbot: QtBot, windows: list[MainWindow], profile: Profile | None) -> MainWindow:
    window = MainWindow(profile, kdf=vault.KDF_FAST_FOR_TESTS, today=lambda: DEMO_TODAY,
                        use_keyring=False)
    qtbot.addWidget(window)
    windows.append(window)
    window.show()
    return window


def _unlock(qtbot: QtBot, window: MainWindow, passphrase: str = PASSPHRASE) -> Store:
    screen = window.unlock_screen
    qtbot.waitUntil(screen.secret.isEnabled)
    qtbot.keyClicks(screen.secret, passphrase)
    with qtbot.waitSignal(window.ready, timeout=10_000, raising=False) as opened:
        qtbot.keyClick(screen.secret, Qt.Key.Key_Return)
    assert opened.signal_triggered, screen.message.text()
    assert window.store is not None
    return window.store


def _visible_texts(window: QWidget) -> str:
    return "\n".join(w.text() for w in window.findChildren(QLabel) if w.isVisible())


def test_first_run_creates_a_profile_then_unlocks_it(qtbot: QtBot, windows: list[MainWindow],
                                                     tmp_path: Path) -> None:
    window = _window(qtbot, windows, None)
    welcome = window.welcome
    qtbot.mouseClick(welcome.create_choice, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(welcome.profile_name, "alex")
    qtbot.keyClicks(welcome.author, "Alex Coordinator")
    qtbot.keyClicks(welcome.passphrase, "short")
    assert "Too short" in welcome.strength.text()
    qtbot.keyClicks(welcome.passphrase, " but now long")
    qtbot.keyClicks(welcome.confirm, "short but now lonk")
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert "not the same" in welcome.message.text()
    assert not (Path(find_profile.__globals__["profiles_root"]()) / "alex").exists()

    welcome.passphrase.clear()
    welcome.confirm.clear()
    qtbot.keyClicks(welcome.passphrase, NEW_PASSPHRASE)
    assert welcome.strength.text() == "Strong."
    qtbot.keyClicks(welcome.confirm, NEW_PASSPHRASE)
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: welcome.recovery_dialog is not None, timeout=10_000)
    dialog = welcome.recovery_dialog
    assert isinstance(dialog, RecoveryKeyDialog)
    key = dialog.key_label.text()
    assert not dialog.done_button.isEnabled()
    dialog.reject()  # Escape does not lose the key
    assert dialog.isVisible()
    pdf = tmp_path / "recovery.pdf"
    dialog.save_pdf(pdf)
    assert key in PdfReader(pdf).pages[0].extract_text().replace("\n", " ")
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == key
    dialog.stored.setChecked(True)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert window.workspace is not None
    assert window.workspace.caseload.model.rowCount() == 0

    # the store: a real encrypted profile that the passphrase and the recovery key open
    profile = find_profile("alex")
    assert profile.author == "Alex Coordinator"
    assert profile.finished  # the recovery key was shown and confirmed
    assert vault.unlock(profile.vault_path, NEW_PASSPHRASE) == \
        vault.unlock_with_recovery_key(profile.vault_path, key)
    assert settings.last_profile() == "alex"
    window.close()
    assert window.store is None

    again = _window(qtbot, windows, profile)
    screen = again.unlock_screen
    qtbot.waitUntil(screen.secret.isEnabled)
    qtbot.keyClicks(screen.secret, "not the passphrase")
    qtbot.keyClick(screen.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in screen.message.text(), timeout=10_000)
    assert again.store is None
    screen.secret.clear()
    store = _unlock(qtbot, again, NEW_PASSPHRASE)
    assert store.profile.name == "alex"


def test_first_run_demo_makes_a_caseload_with_progress(qtbot: QtBot,
                                                       windows: list[MainWindow]) -> None:
    window = _window(qtbot, windows, None)
    welcome = window.welcome
    qtbot.mouseClick(welcome.demo_choice, Qt.MouseButton.LeftButton)
    assert welcome.profile_name.text() == "demo"
    qtbot.keyClicks(welcome.author, "Demo Coordinator")
    welcome.people.setValue(30)
    qtbot.keyClicks(welcome.passphrase, NEW_PASSPHRASE)
    qtbot.keyClicks(welcome.confirm, NEW_PASSPHRASE)
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: welcome.recovery_dialog is not None, timeout=10_000)
    dialog = welcome.recovery_dialog
    assert dialog is not None
    dialog.stored.setChecked(True)
    with qtbot.waitSignal(window.ready, timeout=30_000):
        dialog.done_button.click()
    assert window.workspace is not None
    assert window.workspace.caseload.model.rowCount() > 0
    assert window.store is not None
    with window.store.reading() as s:
        assert caseload.count_people(s, caseload.CaseloadFilter(include_ended=True)) == 30
    assert window.store.profile.finished
    assert find_profile("demo").incomplete is None  # the whole caseload was made


def test_unlock_opens_the_caseload_of_the_store(qtbot: QtBot, windows: list[MainWindow],
                                                demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    assert window.unlock_screen.isVisible()
    assert not window.lock_action.isEnabled()
    store = _unlock(qtbot, window)
    assert window.workspace is not None
    with store.reading() as s:
        expected = [p.full_name for p in caseload.list_people(s)]
    model = window.workspace.caseload.model
    assert [model.summary(r).full_name for r in range(model.rowCount())] == expected
    assert window.lock_action.isEnabled()


def _editor_with_an_edit(qtbot: QtBot, window: MainWindow) -> tuple[PersonEditorWidget, str]:
    assert window.workspace is not None
    person_id = window.workspace.caseload.model.person_id(0)
    assert person_id is not None
    assert window.open_person(person_id)
    editor = window.workspace.page("person")
    assert isinstance(editor, PersonEditorWidget)
    assert editor.isVisible()
    type_text(qtbot, editor.forms[MATTERS], "funeral_wishes", "Songs by the sea")
    assert editor.is_dirty()
    return editor, person_id


def _stored(store: Store, person_id: str) -> Person:
    with store.reading() as s:
        return load(s, Person, person_id)


def test_lock_hides_personal_data_and_unlock_keeps_the_unsaved_edit(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    store = _unlock(qtbot, window)
    editor, person_id = _editor_with_an_edit(qtbot, window)
    name = _stored(store, person_id).full_name
    assert name is not None
    assert name in _visible_texts(window) or name in editor.title.text()

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert window.screens.currentWidget() is window.lock_screen
    assert not editor.isVisible()
    assert name not in _visible_texts(window)
    assert not window.add_action.isEnabled()
    assert window.open_person(person_id) is False  # nothing opens behind the lock

    lock = window.lock_screen
    assert lock is not None
    qtbot.keyClicks(lock.secret, "wrong passphrase")
    qtbot.keyClick(lock.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in lock.message.text(), timeout=10_000)
    assert window.locked
    lock.secret.clear()
    qtbot.keyClicks(lock.secret, PASSPHRASE)
    with qtbot.waitSignal(lock.unlocked, timeout=10_000):
        qtbot.keyClick(lock.secret, Qt.Key.Key_Return)
    assert not window.locked
    assert editor.isVisible()  # back where the coordinator was
    assert editor.is_dirty()
    assert _stored(store, person_id).funeral_wishes != "Songs by the sea"  # not saved yet
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _stored(store, person_id).funeral_wishes == "Songs by the sea"


_SLOW_STEP = ("a slow step", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
              "FROM n WHERE i < 1000000000) SELECT count(*) FROM n")


def test_unlocking_warms_the_search_pages_and_locking_stops_it(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the test's small profile is in the file cache: warm it all the same, the first time
    monkeypatch.setattr(warming, "CACHED_ENOUGH", 1.01)
    window = _window(qtbot, windows, demo_profile)
    _unlock(qtbot, window)
    assert window.workspace is not None
    model = window.workspace.caseload.model
    qtbot.waitUntil(lambda: model._warmer is not None)  # a moment after the caseload shows
    assert model._warmer is not None
    warmer, thread = model._warmer
    thread.join(30)
    assert warmer.done == [what for what, _ in warming.WARM_STATEMENTS]
    assert gc.get_freeze_count() > 0  # the workspace's objects out of the collector's way

    window.lock()
    assert gc.get_freeze_count() == 0  # given back at the lock, frozen again at the unlock
    window.unlock()
    assert gc.get_freeze_count() > 0
    qtbot.waitUntil(lambda: model._warmer is not None and model._warmer[0] is not warmer)
    assert model._warmer is not None
    again, thread = model._warmer
    thread.join(30)
    if warming.cached_share(demo_profile.db_path) is not None:
        assert again.done == []  # what the first warming read is still in the file cache

    window.lock()
    model._warm_memory.clear()  # as if nothing had been warmed yet
    monkeypatch.setattr(warming, "WARM_STATEMENTS", (_SLOW_STEP,))  # minutes unless stopped
    window.unlock()
    qtbot.waitUntil(lambda: model._warmer is not None and model._warmer[0] is not again)
    assert model._warmer is not None
    slow, thread = model._warmer
    qtbot.waitUntil(lambda: slow._running is not None)  # inside its statement
    window.lock()  # stops it: the statement is interrupted
    thread.join(5)
    assert not thread.is_alive()
    assert slow.stopped
    assert slow.done == []
    assert model._warmer is None


def test_the_collector_gets_back_what_was_frozen_when_the_window_locks(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    _unlock(qtbot, window)
    window.lock()

    class Node:
        pass

    node = Node()
    node.me = node  # type: ignore[attr-defined]  # a cycle: only the collector frees it
    gone = weakref.ref(node)
    del node
    window.unlock()  # frozen with the rest while it was garbage...
    worker.collect_garbage()
    gc.collect()
    assert gone() is not None  # ...so kept, as long as it stays frozen
    window.lock()
    assert gone() is None  # the lock let the collector free it


def test_the_window_locks_itself_when_idle(qtbot: QtBot, windows: list[MainWindow],
                                          demo_profile: Profile) -> None:
    settings.set_idle_minutes(1)
    window = _window(qtbot, windows, demo_profile)
    _unlock(qtbot, window)
    assert window.idle.timer.interval() == 60_000
    window.idle.set_minutes(0.002)  # 120 ms
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert window.screens.currentWidget() is window.lock_screen


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.Cancel,
                                    QMessageBox.StandardButton.Discard,
                                    QMessageBox.StandardButton.Save])
def test_quitting_with_an_unsaved_edit_asks_first(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile,
        answer: QMessageBox.StandardButton) -> None:
    window = _window(qtbot, windows, demo_profile)
    store = _unlock(qtbot, window)
    editor, person_id = _editor_with_an_edit(qtbot, window)
    asked: list[bool] = []

    def ask(_parent: QWidget | None) -> QMessageBox.StandardButton:
        asked.append(True)
        return answer

    editor.ask_leave = ask
    assert window.workspace is not None
    window.workspace.show_page("caseload")
    window.close()
    assert asked == [True]
    if answer == QMessageBox.StandardButton.Cancel:
        assert window.isVisible()
        assert window.store is store
        assert editor.is_dirty()
        assert window.workspace.current_key() == "person"  # shown the edit it kept
        assert _stored(store, person_id).funeral_wishes != "Songs by the sea"
        return
    assert not window.isVisible()
    assert window.store is None  # closed on the writer thread
    profile = find_profile(demo_profile.name)
    reopened = Store(profile, vault.unlock(profile.vault_path, PASSPHRASE))
    try:
        saved = _stored(reopened, person_id).funeral_wishes == "Songs by the sea"
    finally:
        reopened.close()
    assert saved is (answer == QMessageBox.StandardButton.Save)


def test_switching_person_with_an_unsaved_edit_is_guarded(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    _unlock(qtbot, window)
    editor, person_id = _editor_with_an_edit(qtbot, window)
    editor.ask_leave = lambda _p: QMessageBox.StandardButton.Cancel
    assert window.workspace is not None
    other = window.workspace.caseload.model.person_id(1)
    assert other is not None
    assert window.open_person(other) is False
    assert editor.person_id == person_id
    assert editor.is_dirty()


def test_shortcuts_are_listed_from_the_menus(qtbot: QtBot, windows: list[MainWindow],
                                             demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = {(dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}
    assert ("Lock", "Ctrl+L") in rows
    assert ("Dashboard", "Ctrl+6") in rows
    assert ("Keyboard shortcuts", "F1") in rows
    assert ("Quit", "Ctrl+Q") in rows


def test_idle_time_is_a_setting(qtbot: QtBot, windows: list[MainWindow],
                                demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    dialog = window.show_settings()
    dialog.idle.setValue(25)
    dialog.accept()
    assert settings.idle_minutes() == 25


def test_window_and_column_state_are_remembered(qtbot: QtBot, windows: list[MainWindow],
                                                demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    _unlock(qtbot, window)
    assert window.workspace is not None
    window.workspace.caseload.table.setColumnWidth(0, 333)
    window.resize(701, 503)  # inside the offscreen screen (800 x 600)
    window.close()
    again = _window(qtbot, windows, demo_profile)
    assert (again.width(), again.height()) == (701, 503)
    _unlock(qtbot, again)
    assert again.workspace is not None
    assert again.workspace.caseload.table.columnWidth(0) == 333


def test_the_store_is_closed_on_the_thread_that_opened_it(demo_profile: Profile,
                                                          qtbot: QtBot) -> None:
    runner = worker.Runner(lambda: stores.open_with_secret(demo_profile, PASSPHRASE,
                                                           use_keyring=False), writes=True)
    with qtbot.waitSignal(runner.finished) as opened:
        runner.start()
    store = opened.args[0]
    stores.close(store)
    # the lock file was let go: the profile opens again at once
    Store(demo_profile, vault.unlock(demo_profile.vault_path, PASSPHRASE)).close()


def test_add_a_person_from_the_caseload_then_see_their_record(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile) -> None:
    window = _window(qtbot, windows, demo_profile)
    store = _unlock(qtbot, window)
    assert window.workspace is not None
    caseload_widget = window.workspace.caseload
    qtbot.mouseClick(caseload_widget.add_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "new_person_dialog" and w.isVisible())
    type_text(qtbot, dialog.form, "full_name", "Gwenllïan Added-Today")  # type: ignore[attr-defined]
    with qtbot.waitSignal(caseload_widget.model.reloaded, timeout=10_000):
        dialog.save()  # type: ignore[attr-defined]
    editor = window.workspace.page("person")
    qtbot.waitUntil(lambda: getattr(editor, "person_id", None) is not None, timeout=5000)
    assert window.workspace.current_key() == "person"
    with store.reading() as s:
        found = caseload.find_people(s, "Gwenllian Added")
    assert [p.full_name for p in found] == ["Gwenllïan Added-Today"]
    assert editor.person_id == found[0].id  # type: ignore[attr-defined]
    model = caseload_widget.model
    assert model.row_of(found[0].id) is not None  # and it is in the list


@pytest.mark.keyring
def test_straight_in_when_the_os_keyring_holds_the_key(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile) -> None:
    """A real Secret Service (tools/test starts one): after one passphrase unlock the key
    is cached, and the next start opens the caseload without asking."""
    from eolcare.store.database import forget_cached_key, unlock_with_passphrase
    from tests.store.test_keyring_real import require_secure_keyring

    require_secure_keyring()
    unlock_with_passphrase(demo_profile, PASSPHRASE, use_keyring=True)
    try:
        window = MainWindow(demo_profile, kdf=vault.KDF_FAST_FOR_TESTS,
                            today=lambda: DEMO_TODAY, use_keyring=True)
        qtbot.addWidget(window)
        windows.append(window)
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.show()
        assert window.store is not None
        assert window.unlock_screen.secret.text() == ""  # nothing was typed
        # the lock screen still asks: the keyring never unlocks a locked window
        window.lock()
        assert window.locked
        assert window.lock_screen is not None
        assert window.lock_screen.secret.isEnabled()
        qtbot.wait(200)
        assert window.locked
    finally:
        forget_cached_key(demo_profile)


def test_review_and_team_dialogs_from_the_menu_show_the_store(
        qtbot: QtBot, windows: list[MainWindow], demo_profile: Profile) -> None:
    """Found under Xvfb: the Team menu's dialogs opened empty (nothing read the store)."""
    window = _window(qtbot, windows, demo_profile)
    store = _unlock(qtbot, window)
    with store.reading() as s:
        expected = len(review.conflicts(s))
    dialog = window.show_review()
    assert dialog is not None
    widget = dialog.findChild(ConflictReviewWidget)
    assert widget is not None
    qtbot.waitUntil(lambda: widget.list.count() == expected and (
        expected > 0 or widget.heading.text() == "Nothing needs review."), timeout=10_000)
    dialog.close()
    team = window.show_team()
    assert team is not None
    worker.wait_for_all()
    team.close()
