"""The sync part of the status bar: online or offline, last synced, what waits,
and how many records need review."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from eolcare.gui.tr import QT_TR_NOOP, tr
from eolcare.sync import teams

CONTEXT = "SyncStatus"


class SyncStatusWidget(QWidget):
    """Four short labels; ``show_status`` and ``show_online`` update them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.online_label = QLabel(self)
        self.last_label = QLabel(self)
        self.waiting_label = QLabel(self)
        self.review_label = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, name in ((self.online_label, QT_TR_NOOP("Connection")),
                            (self.last_label, QT_TR_NOOP("Last synced")),
                            (self.waiting_label, QT_TR_NOOP("Changes waiting")),
                            (self.review_label, QT_TR_NOOP("Records needing review"))):
            label.setAccessibleName(tr(name, CONTEXT))
            layout.addWidget(label)
        self.online: bool | None = None
        self.status: teams.Status | None = None
        self._render()

    def show_online(self, online: bool | None) -> None:
        self.online = online
        self._render()

    def show_status(self, status: teams.Status) -> None:
        self.status = status
        self._render()

    def show_progress(self, done: int, total: int, _what: str) -> None:
        """While a sync runs: how many changes it has sent and received so far."""
        if total > 0:
            self.waiting_label.setText(tr("Syncing: %1 of %2 changes", CONTEXT)
                                       .replace("%1", f"{done:,}").replace("%2", f"{total:,}"))

    def show_busy(self, busy: bool) -> None:
        """A sync ended: back to what waits (the status read after it says the rest)."""
        if not busy:
            self._render()

    def _render(self) -> None:
        st = self.status
        if st is None or st.team is None:
            self.online_label.setText(tr("Not in a team", CONTEXT))
            for label in (self.last_label, self.waiting_label, self.review_label):
                label.setText("")
            return
        if st.removed is not None:
            self.online_label.setText(tr("Removed from the team on %1", CONTEXT)
                                      .replace("%1", f"{st.removed:%d %b %Y}"))
        else:
            self.online_label.setText({True: tr("Online", CONTEXT),
                                       False: tr("Offline", CONTEXT),
                                       None: tr("Not synced yet", CONTEXT)}[self.online])
        when = f"{st.last_synced.astimezone():%d %b %H:%M}" if st.last_synced else ""
        self.last_label.setText(tr("Last synced %1", CONTEXT).replace("%1", when)
                                if when else tr("Never synced", CONTEXT))
        self.waiting_label.setText(tr("%n change(s) waiting", "SyncStatus", n=st.waiting))
        self.review_label.setText(tr("%n record(s) need review", "SyncStatus", n=st.needing_review))
