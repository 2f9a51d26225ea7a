"""Team sync in the window: the status bar, background syncs, the review and team screens.

One :class:`~eolcare.gui.sync.controller.SyncController` per open profile syncs
at start, on a timer while online and on demand, always on the worker (the
window never waits on the network). Its status feeds the status bar; a failed
sync is said once in the status bar, never in a dialog that interrupts work
(an offline laptop is the normal case), except when the coordinator asked for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from eolcare.gui.errors import show_error
from eolcare.gui.tr import tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from eolcare.gui.sync.controller import SyncController
    from eolcare.gui.sync.status import SyncStatusWidget
    from eolcare.store.database import Store

CONTEXT = "TeamSync"


class TeamSync:
    """The sync pieces of one open profile, wired into a main window."""

    def __init__(self, window: QMainWindow, store: Store,
                 add_status_widget: object,
                 records_changed: Callable[[], object] = lambda: None) -> None:
        from eolcare.gui.sync.controller import SyncController
        from eolcare.gui.sync.status import SyncStatusWidget

        self.window = window
        self.store = store
        self.status: SyncStatusWidget = SyncStatusWidget()
        self.status.setObjectName("syncStatus")
        add_status_widget(self.status)  # type: ignore[operator]
        self.controller: SyncController = SyncController(store, parent=window)
        self.controller.status_changed.connect(self.status.show_status)
        self.controller.online_changed.connect(self.status.show_online)
        self.controller.failed.connect(self._failed_in_background)
        self.records_changed = records_changed
        # Once, when a sync that brought records ends (or fails after committing some):
        # reading while it runs would stall the window (docs/sync.md).
        self.controller.records_changed.connect(self.records_changed)
        self.controller.progress.connect(self.status.show_progress)
        self.controller.busy_changed.connect(self.status.show_busy)
        self._asked = False
        self.controller.start()

    def sync_now(self) -> None:
        """The coordinator asked: a failure is shown to them, not only in the status bar."""
        self._asked = True
        if not self.controller.sync_now():
            self.window.statusBar().showMessage(tr("A sync is already running.", CONTEXT), 5000)


    def _failed_in_background(self, exc: BaseException) -> None:
        if self._asked:
            self._asked = False
            show_error(self.window, exc)
        else:
            self.window.statusBar().showMessage(str(exc), 15000)

    def review(self) -> QDialog:
        """Every conflict on the profile, with both values; choosing settles it (and syncs)."""
        from eolcare.gui.sync.review import ConflictReviewWidget

        widget = ConflictReviewWidget(self.store)
        widget.settled.connect(self.controller.refresh_status)
        widget.reload()  # off the GUI thread; the list fills when it is read
        return _dialog(self.window, tr("Records needing review", CONTEXT), widget)

    def team(self) -> QDialog:
        """Members, invitations with the fingerprint check, and removal."""
        from eolcare.gui.sync.team import TeamWidget

        widget = TeamWidget(self.store)
        widget.changed.connect(self.controller.refresh_status)
        widget.reload()
        return _dialog(self.window, tr("Team", CONTEXT), widget)

    def account(self) -> QDialog:
        """Sign in to a team server or create an account, start a team, sign out."""
        from eolcare.gui.sync.account import AccountWidget

        widget = AccountWidget(self.store)
        widget.changed.connect(self._account_changed)
        widget.reload()
        return _dialog(self.window, tr("Team account", CONTEXT), widget, (640, 520))

    def _account_changed(self) -> None:
        self.controller.refresh_status(then_sync=True)
        self.records_changed()  # signing out removes the team's records from here

    def stop(self) -> None:
        self.controller.stop()


def _dialog(parent: QWidget, title: str, body: QWidget,
            size: tuple[int, int] = (900, 600)) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setObjectName(body.objectName() + "Dialog" if body.objectName() else "syncDialog")
    layout = QVBoxLayout(dialog)
    layout.addWidget(body)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(*size)
    dialog.open()
    return dialog
