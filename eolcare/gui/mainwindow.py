"""The coordinator's window: start screens, the workspace, menus, lock, and quitting safely.

One ``QStackedWidget`` holds the screens: first run (welcome), unlock, the
workspace, and the lock screen. Locking switches to the lock screen without
destroying the workspace, so the record editor keeps its unsaved edits and
unlocking returns to where the coordinator was. The workspace's pages
(caseload, person, reviews, rota, services, dashboard) are made the first time
they are shown, so opening the window costs only the caseload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from eolcare import __version__
from eolcare.gui import palette, printouts, settings, stores, worker
from eolcare.gui.caseload import CaseloadFilter, CaseloadWidget, warm_fonts
from eolcare.gui.errors import show_error
from eolcare.gui.idle import IdleWatcher
from eolcare.gui.shortcuts import ShortcutsDialog
from eolcare.gui.team_sync import TeamSync
from eolcare.gui.tr import QT_TR_NOOP, tr
from eolcare.gui.unlock import UnlockWidget
from eolcare.gui.welcome import WelcomeWidget
from eolcare.store import vault
from eolcare.store.database import Store
from eolcare.store.profiles import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    shortcut: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("caseload", QT_TR_NOOP("Caseload"), "Ctrl+1"),
    PageSpec("person", QT_TR_NOOP("Person"), "Ctrl+2"),
    PageSpec("reviews", QT_TR_NOOP("Reviews"), "Ctrl+3"),
    PageSpec("rota", QT_TR_NOOP("Rota"), "Ctrl+4"),
    PageSpec("services", QT_TR_NOOP("Services"), "Ctrl+5"),
    PageSpec("dashboard", QT_TR_NOOP("Dashboard"), "Ctrl+6"),
)


class Workspace(QWidget):
    """Navigation on the left, the pages on the right; pages made on first use."""

    page_changed = Signal(str)
    #: a page asked to open a person's record / the caseload list behind a figure
    open_person = Signal(str)
    open_list = Signal(object)
    record_saved = Signal(str)

    def __init__(self, store: Store, today: Callable[[], date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.store = store
        self.today = today
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(tr("Sections of the window", "window"))
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.pages: dict[str, QWidget] = {}
        for spec in PAGES:
            item = QListWidgetItem(tr(spec.title, "window"))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 4))
            self.nav.addItem(item)
        width = max(self.fontMetrics().horizontalAdvance(tr(s.title, "window"))
                    for s in PAGES)
        self.nav.setFixedWidth(width + self.fontMetrics().height() * 3)
        self.nav.currentRowChanged.connect(lambda row: self.show_page(PAGES[row].key))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

        self.caseload = CaseloadWidget(store, today)
        self._add("caseload", self.caseload)
        self.show_page("caseload")

    def _add(self, key: str, widget: QWidget) -> None:
        self.pages[key] = widget
        self.stack.addWidget(widget)

    def page(self, key: str) -> QWidget:
        """The page for ``key``, made now if it was never shown."""
        if key not in self.pages:
            self._add(key, self._make(key))
        return self.pages[key]

    def _make(self, key: str) -> QWidget:
        from eolcare.gui import record
        from eolcare.gui.dashboard import DashboardWidget

        store = self.store
        if key == "person":
            editor = record.PersonEditorWidget(store)
            editor.openPerson.connect(self.open_person)
            editor.saved.connect(self.record_saved)
            return editor
        if key == "reviews":
            reviews = record.ReviewsWidget(store, today=self.today())
            reviews.openPerson.connect(self.open_person)
            return reviews
        if key == "rota":
            rota = record.RotaWeekWidget(store)
            rota.openPerson.connect(self.open_person)
            return rota
        if key == "services":
            return record.ServiceDirectoryWidget(store)
        if key == "dashboard":
            dashboard = DashboardWidget(store, self.today)
            dashboard.open_list.connect(self.open_list)
            return dashboard
        raise KeyError(key)

    def current_key(self) -> str:
        for key, widget in self.pages.items():
            if widget is self.stack.currentWidget():
                return key
        return "caseload"

    def show_page(self, key: str) -> QWidget:
        fresh = key not in self.pages
        widget = self.page(key)
        refresh = getattr(widget, "refresh", None)
        if not fresh and key in ("reviews", "rota", "services", "dashboard") \
                and callable(refresh):
            refresh()  # made pages read when made; shown again, they read again
        self.stack.setCurrentWidget(widget)
        row = [p.key for p in PAGES].index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        self.page_changed.emit(key)
        return widget

    @property
    def editor(self) -> QWidget | None:
        return self.pages.get("person")

    def has_unsaved_changes(self) -> bool:
        editor = self.editor
        return bool(editor is not None and editor.is_dirty())  # type: ignore[attr-defined]


class SettingsDialog(QDialog):
    """The few settings of the window (idle lock time)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr("Settings", "window"))
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(0, 240)
        self.idle.setSuffix(tr(" minutes", "window"))
        self.idle.setSpecialValueText(tr("Never", "window"))
        self.idle.setValue(settings.idle_minutes())
        self.idle.setAccessibleName(tr("Lock after this long without use", "window"))
        label = QLabel(tr("&Lock the window after:", "window"))
        label.setBuddy(self.idle)
        form = QFormLayout()
        form.addRow(label, self.idle)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class MainWindow(QMainWindow):
    """The window. ``profile`` None: first run (or no profile chosen yet)."""

    #: the workspace is shown and the caseload usable (for the benchmark and tests)
    ready = Signal()
    #: sync in the background while a profile is open (off in tests that measure other things)
    sync_enabled = True

    def __init__(self, profile: Profile | None = None, *,
                 kdf: vault.KdfParams = vault.KDF_DEFAULT,
                 today: Callable[[], date] = date.today, use_keyring: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("eolcare")
        self.profile = profile
        self.kdf = kdf
        self.today = today
        self.use_keyring = use_keyring
        self.store: Store | None = None
        self.team_sync: TeamSync | None = None
        self.workspace: Workspace | None = None
        self.lock_screen: UnlockWidget | None = None
        self.locked = False
        self._hidden_dialogs: list[QWidget] = []
        self._closing_confirmed = False

        self.screens = QStackedWidget()
        self.screens.setObjectName("screens")
        self.setCentralWidget(self.screens)
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()
        self.idle = IdleWatcher(settings.idle_minutes(), self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.idle.pause()
        self._set_workspace_actions(False)
        self.resize(1200, 760)
        geometry = settings.settings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

        if profile is None:
            self.welcome = WelcomeWidget(kdf=kdf, today=today)
            self.welcome.opened.connect(self.open_store)
            self.screens.addWidget(self.welcome)
        else:
            self.unlock_screen = UnlockWidget(profile, use_keyring=use_keyring)
            self.unlock_screen.opened.connect(self.open_store)
            self.screens.addWidget(self.unlock_screen)
            QTimer.singleShot(0, self.unlock_screen.start)
        # the writing systems of the caseload's names, loaded before it is shown
        font = self.font()
        QTimer.singleShot(0, lambda: warm_fonts(font))

    # -- actions, menus, toolbar, status bar ---------------------------------------

    def _action(self, text: str,
                shortcut: str | QKeySequence | QKeySequence.StandardKey | None,
                slot: Callable[[], object], name: str, tip: str = "") -> QAction:
        action = QAction(text, self)  # callers translate: lupdate reads literal tr() calls
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.lock_action = a(tr("&Lock", "window"), "Ctrl+L", self.lock, "lockAction",
                             tr("Hide personal data until the passphrase is typed", "window"))
        self.settings_action = a(tr("&Settings\u2026", "window"), None, self.show_settings,
                                 "settingsAction")
        self.passphrase_action = a(
            tr("Change &passphrase\u2026", "window"), None, self.change_passphrase,
            "passphraseAction",
            tr("Change the passphrase of this profile and its team account", "window"))
        # some platforms give Quit no standard key: Ctrl+Q then, as everywhere else
        quit_key = QKeySequence(QKeySequence.StandardKey.Quit)
        self.quit_action = a(tr("&Quit", "window"), "Ctrl+Q" if quit_key.isEmpty() else quit_key,
                             self.close, "quitAction")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.add_action = a(tr("&Add a person\u2026", "window"), QKeySequence.StandardKey.New,
                            self.add_person, "addPersonAction")
        self.find_action = a(tr("&Find in the caseload", "window"), QKeySequence.StandardKey.Find,
                             self.find_in_caseload, "findAction")
        self.save_action = a(tr("&Save the record", "window"), QKeySequence.StandardKey.Save,
                             self.save_record, "saveAction")
        self.page_actions: dict[str, QAction] = {}
        for spec in PAGES:
            self.page_actions[spec.key] = a(
                "&" + tr(spec.title, "window"), spec.shortcut,
                partial(self.go, spec.key), f"go_{spec.key}")
        self.dark_action = a(tr("&Dark colours", "window"), "Ctrl+Shift+D", self.toggle_dark,
                             "darkAction")
        self.dark_action.setCheckable(True)
        app = QApplication.instance()
        self.dark_action.setChecked(isinstance(app, QApplication) and palette.is_dark(app))
        self.shortcuts_action = a(tr("&Keyboard shortcuts", "window"), "F1", self.show_shortcuts,
                                  "shortcutsAction")
        self.about_action = a(tr("&About eolcare", "window"), None, self.show_about, "aboutAction")
        self.summary_actions = {
            kind: a(text, key, partial(self.print_summary, kind), f"print_{kind}")
            for kind, text, key in (
                ("family", tr("&Family summary\u2026", "window"), QKeySequence.StandardKey.Print),
                ("large", tr("Family summary, &large print\u2026", "window"), None),
                ("professional", tr("P&rofessional summary\u2026", "window"), "Ctrl+Shift+P"))
        }
        self.handover_action = a(tr("&Handover pack\u2026", "window"), "Ctrl+Shift+H",
                                 self.handover, "handoverAction",
                                 tr("An encrypted pack for the service taking over care", "window"))
        self.sync_action = a(tr("&Sync now", "window"), "Ctrl+Shift+S", self.sync_now, "syncAction",
                             tr("Send and fetch the team's changes", "window"))
        self.review_action = a(tr("&Records needing review\u2026", "window"), "Ctrl+Shift+R",
                               self.show_review, "reviewAction")
        self.team_action = a(tr("&Team\u2026", "window"), None, self.show_team, "teamAction")
        self.account_action = a(tr("Team &account\u2026", "window"), None, self.show_account,
                                "accountAction",
                                tr("Sign in to a team server, create a team, or sign out",
                                   "window"))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File", "window"))
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.passphrase_action)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        people = bar.addMenu(tr("&People", "window"))
        people.addAction(self.add_action)
        people.addAction(self.find_action)
        people.addAction(self.save_action)
        people.addSeparator()
        for action in self.summary_actions.values():
            people.addAction(action)
        people.addAction(self.handover_action)
        team = bar.addMenu(tr("&Team", "window"))
        for action in (self.sync_action, self.review_action, self.team_action):
            team.addAction(action)
        team.addSeparator()
        team.addAction(self.account_action)
        view = bar.addMenu(tr("&View", "window"))
        for spec in PAGES:
            view.addAction(self.page_actions[spec.key])
        view.addSeparator()
        view.addAction(self.dark_action)
        help_menu = bar.addMenu(tr("&Help", "window"))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _make_toolbar(self) -> None:
        bar = QToolBar(tr("Main toolbar", "window"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.page_actions["caseload"], self.page_actions["dashboard"],
                       self.add_action, self.save_action, self.lock_action):
            bar.addAction(action)
        self.addToolBar(bar)
        self.toolbar = bar

    def _make_status_bar(self) -> None:
        status = self.statusBar()
        status.setObjectName("statusBar")
        #: the sync engineer's status widget goes here (add_status_widget)
        self.sync_slot = QWidget()
        self.sync_slot.setObjectName("syncStatusSlot")
        slot_layout = QHBoxLayout(self.sync_slot)
        slot_layout.setContentsMargins(0, 0, 0, 0)
        self.profile_label = QLabel()
        self.profile_label.setObjectName("profileLabel")
        status.addPermanentWidget(self.sync_slot)
        status.addPermanentWidget(self.profile_label)

    def add_status_widget(self, widget: QWidget) -> None:
        """For other parts of the window (sync status): a permanent place in the status bar."""
        layout = self.sync_slot.layout()
        assert layout is not None
        layout.addWidget(widget)

    def _set_workspace_actions(self, on: bool) -> None:
        for action in (self.lock_action, self.add_action, self.find_action, self.save_action,
                       *self.page_actions.values(), *self.summary_actions.values(),
                       self.handover_action, self.sync_action, self.review_action,
                       self.team_action, self.account_action, self.passphrase_action):
            action.setEnabled(on)

    # -- opening ------------------------------------------------------------------

    def open_store(self, store: Store) -> None:
        """The store is open: show the workspace on the caseload."""
        self.store = store
        self.profile = store.profile
        settings.set_last_profile(store.profile.name)
        self.workspace = Workspace(store, self.today)
        self.workspace.caseload.open_person.connect(self.open_person)
        self.workspace.caseload.add_person.connect(self.add_person)
        self.workspace.open_person.connect(self.open_person)
        self.workspace.open_list.connect(self.show_list)
        self.workspace.record_saved.connect(self._record_saved)
        self.screens.addWidget(self.workspace)
        self.screens.setCurrentWidget(self.workspace)
        self.lock_screen = UnlockWidget(store.profile, locking=True)
        self.lock_screen.unlocked.connect(self.unlock)
        self.screens.addWidget(self.lock_screen)
        self.setWindowTitle(f"eolcare \u2013 {store.profile.name}")
        self.profile_label.setText(tr("Profile: {name}", "window").format(
            name=store.profile.name))
        header = settings.settings().value("caseload/header")
        table_header = self.workspace.caseload.table.horizontalHeader()
        if isinstance(header, QByteArray):
            table_header.restoreState(header)
        self._set_workspace_actions(True)
        self.idle.set_minutes(settings.idle_minutes())
        runner = self.workspace.caseload.apply_filter()
        runner.finished.connect(self._workspace_ready)
        if self.sync_enabled:
            self.team_sync = TeamSync(self, store, self.add_status_widget,
                                      records_changed=self._records_changed)
        self.workspace.caseload.table.setFocus()

    def _workspace_ready(self, _ids: object = None) -> None:
        worker.freeze_long_lived()
        self._warm_soon()
        self.ready.emit()

    #: How long after the caseload is shown (or the window unlocked) the pages a search
    #: reads are warmed: started at once, the warming's connection and CPU delayed the
    #: first paint of the caseload by about 150 ms on two cores.
    WARM_AFTER_MS = 200

    def _warm_soon(self) -> None:
        QTimer.singleShot(self.WARM_AFTER_MS, self, self._warm_pages)

    def _warm_pages(self) -> None:
        """Read the pages a search needs into the system's file cache (on a profile the
        system has not read yet, the first searches waited on the disk); stopped when the
        window locks or closes."""
        if self.workspace is not None and self.store is not None and not self.locked:
            self.workspace.caseload.model.warm_pages()

    # -- navigation -----------------------------------------------------------------

    def go(self, key: str) -> QWidget | None:
        if self.workspace is None or self.locked:
            return None
        return self.workspace.show_page(key)

    def open_person(self, person_id: str) -> bool:
        """Show a person's record; unsaved edits of another person are guarded first."""
        if self.workspace is None or self.locked:
            return False
        editor = self.workspace.page("person")
        if getattr(editor, "person_id", None) != person_id \
                and not editor.confirm_leave(self):  # type: ignore[attr-defined]
            return False
        if getattr(editor, "person_id", None) != person_id:
            try:
                editor.load(person_id)  # type: ignore[attr-defined]
            except Exception as exc:
                show_error(self, exc)
                return False
        self.workspace.show_page("person")
        return True

    def _record_saved(self, person_id: str) -> None:
        if self.workspace is not None:
            self.workspace.caseload.model.forget_rows([person_id])

    def show_list(self, flt: CaseloadFilter) -> None:
        """The dashboard asked for the list behind a chart."""
        if self.workspace is None:
            return
        self.workspace.show_page("caseload")
        self.workspace.caseload.show_filter(flt)

    def add_person(self) -> QDialog | None:
        if self.workspace is None or self.store is None or self.locked:
            return None
        from eolcare.gui.record import NewPersonDialog

        dialog = NewPersonDialog(self.store, self)
        dialog.saved.connect(self._person_added)
        dialog.open()
        return dialog

    def _person_added(self, person: object) -> None:
        if self.workspace is None:
            return
        person_id = getattr(person, "id", None)
        runner = self.workspace.caseload.apply_filter()
        if person_id is not None:
            runner.finished.connect(lambda _ids: self.open_person(person_id))

    def find_in_caseload(self) -> None:
        if self.workspace is not None and not self.locked:
            self.workspace.show_page("caseload")
            self.workspace.caseload.focus_search()

    def save_record(self) -> None:
        editor = self.workspace.editor if self.workspace else None
        if editor is not None and not self.locked:
            editor.save()  # type: ignore[attr-defined]

    # -- printouts and team sync ------------------------------------------------------

    def chosen_people(self) -> list[str]:
        """The person whose record is open, else the people selected in the caseload."""
        if self.workspace is None or self.locked:
            return []
        editor = self.workspace.editor
        if self.workspace.current_key() == "person" and editor is not None \
                and editor.person_id:  # type: ignore[attr-defined]
            return [editor.person_id]  # type: ignore[attr-defined]
        return self.workspace.caseload.selected_ids()

    def print_summary(self, kind: str) -> None:
        chosen = self.chosen_people()
        if self.store is None or not chosen:
            QMessageBox.information(self, tr("Printouts", "window"), tr(
                "Open a person's record, or select a person in the caseload, first.",
                "window"))
            return
        printouts.preview_summary(self, self.store, chosen, kind)

    def handover(self) -> None:
        if self.store is not None:
            printouts.handover(self, self.store, self.chosen_people())

    def sync_now(self) -> None:
        if self.team_sync is not None and not self.locked:
            self.team_sync.sync_now()

    def show_review(self) -> QWidget | None:
        if self.team_sync is None or self.locked:
            return None
        return self.team_sync.review()

    def show_account(self) -> QWidget | None:
        if self.team_sync is None or self.locked:
            return None
        return self.team_sync.account()

    def _records_changed(self) -> None:
        """A sync brought records, or signing out took them away: read the caseload again."""
        if self.workspace is not None and not self.locked:
            self.workspace.caseload.apply_filter()

    def change_passphrase(self) -> QWidget | None:
        """The one passphrase: this profile's, and its team account's when signed in."""
        if self.store is None or self.locked:
            return None
        from eolcare.gui.passphrase import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.store, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(
            tr("Passphrase changed for this profile and your team account.", "window")
            if dialog.account_changed else
            tr("Passphrase changed for this profile.", "window"), 10000))
        dialog.open()
        return dialog

    def show_team(self) -> QWidget | None:
        if self.team_sync is None or self.locked:
            return None
        return self.team_sync.team()

    # -- lock -----------------------------------------------------------------------

    def lock(self) -> None:
        """Hide every personal detail behind the lock screen; keep everything else as is."""
        if self.workspace is None or self.lock_screen is None or self.locked:
            return
        self.locked = True
        self.idle.pause()
        self._hidden_dialogs = [w for w in QApplication.topLevelWidgets()
                                if w is not self and w.isVisible()]
        for w in self._hidden_dialogs:
            w.hide()
        self._set_workspace_actions(False)
        self.workspace.caseload.model.stop_warming()
        self.screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.start()
        # the lock screen on screen first: the full collection below takes ~0.1 s at
        # 20,000 people (139,000 objects frozen; the same number after each lock)
        self.repaint()
        worker.thaw_long_lived()  # frozen again at the unlock
        log.info("window locked")

    def unlock(self) -> None:
        if not self.locked or self.workspace is None:
            return
        self.locked = False
        self.screens.setCurrentWidget(self.workspace)
        for w in self._hidden_dialogs:
            w.show()
        self._hidden_dialogs = []
        self._set_workspace_actions(True)
        self.idle.resume()
        # what a search reads may have left the file cache while the window was locked
        self._warm_soon()
        worker.freeze_long_lived()  # as at the first unlock: the first keystrokes walk less
        log.info("window unlocked")

    # -- dialogs ------------------------------------------------------------------

    def show_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self)
        dialog.accepted.connect(lambda: self._apply_settings(dialog))
        dialog.open()
        return dialog

    def _apply_settings(self, dialog: SettingsDialog) -> None:
        settings.set_idle_minutes(dialog.idle.value())
        if self.store is not None and not self.locked:
            self.idle.set_minutes(dialog.idle.value())

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.menuBar(), self)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self, tr("About eolcare", "window"), tr(
            "eolcare {version}: the end-of-life care coordinator's record, encrypted on "
            "this computer.", "window").format(version=__version__))

    def toggle_dark(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            palette.apply(app, self.dark_action.isChecked())
            settings.settings().setValue("view/dark", self.dark_action.isChecked())

    # -- quitting -------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.workspace is not None and self.workspace.has_unsaved_changes():
            if self.locked:
                QMessageBox.information(self, tr("eolcare", "window"), tr(
                    "There are unsaved changes. Unlock the window first, then save or "
                    "discard them.", "window"))
                event.ignore()
                return
            editor = self.workspace.editor
            self.workspace.show_page("person")
            if not editor.confirm_leave(self):  # type: ignore[union-attr]
                event.ignore()
                return
        self._save_window_state()
        self.idle.pause()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        if self.team_sync is not None:
            self.team_sync.stop()
        if self.workspace is not None:
            self.workspace.caseload.model.stop_warming(wait=5.0)
        if self.store is not None:
            # closing makes the profile's backup when one is due (a large profile takes
            # a while): nothing personal stays on screen meanwhile
            self.hide()
            worker.wait_for_all()
            stores.close(self.store, timeout=None)
            self.store = None
            worker.thaw_long_lived()  # the closed workspace's objects can be freed
        event.accept()

    def _save_window_state(self) -> None:
        s = settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        if self.workspace is not None:
            s.setValue("caseload/header",
                       self.workspace.caseload.table.horizontalHeader().saveState())
