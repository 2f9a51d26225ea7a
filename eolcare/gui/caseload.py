"""The caseload: a lazy table of people, sortable, filtered, searched as you type.

Anki's browser table is the model: :class:`CaseloadModel` holds only the
ordered person ids of the current filter and sort, and reads the rows of a
page of ids (one short query) on a reader thread the first time ``data()``
asks for one of them, with the pages either side of it; until a page is in,
its rows show a placeholder, then fill in (``dataChanged``). The GUI thread
never waits on the database. Sorting and filtering re-query ordered ids from
the core (never a ``QSortFilterProxyModel`` over every row), off the GUI
thread, with the rows the table shows in the same read (the rest of that page
when scrolled to); 20,000 people cost a list of 20,000 strings.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain import codes, display
from eolcare.domain.record import PersonSummary
from eolcare.gui import worker
from eolcare.gui.errors import show_error
from eolcare.gui.tr import QT_TR_NOOP, tr
from eolcare.store import caseload as core
from eolcare.store import warming
from eolcare.store.database import Store

log = logging.getLogger(__name__)

CaseloadFilter = core.CaseloadFilter
PAGE = 100
_PAGES_KEPT = 40  # 4,000 rows of summaries at most in memory
_AHEAD = 2  # pages read ahead of (and behind) the page the view asks for
LOADING = "\u2026"  # what a row whose page is not in yet shows in its first column

#: The GSF needs-based colours (DATASET.md section 2): background, text.
STAGE_COLOURS: dict[str, tuple[str, str]] = {
    "845701000000104": ("#2f6fb5", "#ffffff"),  # A blue
    "845721000000108": ("#2e8b3e", "#ffffff"),  # B green
    "845751000000103": ("#f2b600", "#1a1a1a"),  # C yellow / amber
    "845771000000107": ("#c62828", "#ffffff"),  # D red
}
STAGE_SHORT: dict[str, str] = {
    "845701000000104": QT_TR_NOOP("A blue"),
    "845721000000108": QT_TR_NOOP("B green"),
    "845751000000103": QT_TR_NOOP("C amber"),
    "845771000000107": QT_TR_NOOP("D red"),
}


@dataclass(frozen=True)
class Column:
    key: str  # the sort key the core understands
    title: str
    text: Callable[[PersonSummary, date], str]


def _age(born: date | None, today: date) -> str:
    years = display.age(born, today)
    return "" if years is None else str(years)


def _name(s: PersonSummary, _today: date) -> str:
    name = str(s.full_name)
    if s.preferred_name and s.preferred_name != s.full_name:
        name = f"{name} ({s.preferred_name})"
    # a flag a coordinator must act on, in words as well as a mark
    return f"\u26a0 {name}" if s.needs_review else name


def _stage(s: PersonSummary, _today: date) -> str:
    return tr(STAGE_SHORT[s.gsf_stage], "caseload") \
        if s.gsf_stage in STAGE_SHORT else ""


def _cpr(s: PersonSummary, _today: date) -> str:
    if s.cpr_decision is None:
        return tr("Not recorded", "caseload")
    if s.cpr_decision.code == codes.NOT_FOR_CPR:
        return tr("Not for CPR", "caseload")
    return tr("For CPR", "caseload")


def _place(s: PersonSummary, _today: date) -> str:
    place = s.preferred_place_of_death
    return "" if place is None else place.display(codes.PLACE)


def _review(s: PersonSummary, today: date) -> str:
    due = s.next_review
    if due is None:
        return ""
    text = due.strftime("%d %b %Y")
    return tr("%1 \u2013 overdue", "caseload").replace("%1", text) if due < today else text


def _overdue_colour() -> QColor:
    """Red that reads on the palette in use: NHS red on a light base, a lighter red on a
    dark one (#c62828 on the dark base was 2.6:1; #ff8a80 is over 7:1)."""
    dark = QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#ff8a80" if dark else "#c62828")


def _status(s: PersonSummary, _today: date) -> str:
    return codes.STATUS.display(s.status) if s.status else ""


COLUMNS: tuple[Column, ...] = (
    Column("name", QT_TR_NOOP("Name"), _name),
    Column("age", QT_TR_NOOP("Age"), lambda s, t: _age(s.date_of_birth, t)),
    Column("gsf_stage", QT_TR_NOOP("GSF stage"), _stage),
    Column("preferred_place", QT_TR_NOOP("Preferred place of death"), _place),
    Column("cpr_decision", QT_TR_NOOP("CPR"), _cpr),
    Column("next_review", QT_TR_NOOP("Next review"), _review),
    Column("key_worker", QT_TR_NOOP("Key worker"), lambda s, _t: s.key_worker or ""),
    Column("status", QT_TR_NOOP("Status"), _status),
)
STAGE_COLUMN = 2
REVIEW_COLUMN = 5
_ROLES = frozenset(int(r.value) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.UserRole, Qt.ItemDataRole.AccessibleTextRole))
_TEXT_ROLES = frozenset(int(r.value) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole))
_STAGE_QCOLOURS = {code: (QColor(back), QColor(fore))
                   for code, (back, fore) in STAGE_COLOURS.items()}

#: A few letters of each writing system a caseload's names are likely to be in (the
#: languages of England's largest communities, and the demo's): Latin with accents,
#: Greek, Cyrillic, Arabic and Urdu, Hebrew, Devanagari, Bengali, Gurmukhi, Gujarati,
#: Tamil, Chinese, Japanese, Korean, Thai.
SCRIPT_SAMPLES = ("Ŵŷńść ẞ ệ", "Ωλέ", "Жюё", "محمّد ے", "שלום", "प्रिया", "রহমান",
                  "ਸਿੰਘ", "પટેલ", "தமிழ்", "王秀英", "カナかな", "김민준", "สมชาย")


def warm_fonts(font: QFont, samples: tuple[str, ...] = SCRIPT_SAMPLES) -> None:
    """Draw a few letters of each writing system once, off screen, one per turn of the
    event loop: the first name in a new script costs Qt a font lookup and load (15-20 ms
    on the GUI thread). Scrolling the 20,000-person caseload, the frame showing the first
    Devanagari names was one of the slowest in every run (docs/gui.md, "Scrolling: what
    the slowest frames were").
    Called as the window opens, before anyone has typed."""
    if not samples:
        return
    image = QImage(400, 40, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(4, 30, samples[0])
    painter.end()
    QTimer.singleShot(0, lambda: warm_fonts(font, samples[1:]))


class CaseloadModel(QAbstractTableModel):
    """Person ids in order; rows fetched a page at a time when first shown."""

    #: ids replaced after a filter, search or sort: the new count
    reloaded = Signal(int)
    #: no reload is running any more
    settled = Signal()

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = today
        self.filter = CaseloadFilter()
        self.sort_key = "name"
        self.descending = False
        self._ids: list[str] = []
        self._row_of: dict[str, int] | None = {}  # made when first asked (not per keystroke)
        self._pages: OrderedDict[int, list[PersonSummary | None]] = OrderedDict()
        #: pages dropped by :meth:`forget_rows`, shown until their fresh rows are in
        self._stale: dict[int, list[PersonSummary | None]] = {}
        #: each shown row's column texts, with the summary they were made from
        self._texts: dict[int, tuple[PersonSummary, tuple[str, ...]]] = {}
        self._fetching: set[int] = set()
        #: pages holding only their first rows (read with the ids, as many as the table
        #: shows): the rest is read when first asked for
        self._partial: set[int] = set()
        #: how many rows the table shows: a reload reads that many with the ids
        self.rows_shown: Callable[[], int] = lambda: PAGE
        #: bumped whenever the ids change: pages read for older ids are dropped
        self._generation = 0
        #: set when the ids change, so page reads still queued for the old ones skip
        self._outdated = threading.Event()
        self._pending: worker.Runner | None = None
        self._preparing: worker.Runner | None = None
        self._warmer: tuple[warming.PageWarmer, threading.Thread] | None = None
        #: what the last warming left: the share of the database then in the file cache
        self._warm_memory: dict[str, float] = {}
        #: set while a reload (a search) runs: the warming waits (a plain Event: the
        #: warming's thread never holds this model)
        self._busy = threading.Event()
        self._shown_once = False
        self.loading = False

    # -- Qt's model interface ---------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS)
                and role == Qt.ItemDataRole.DisplayRole):
            return tr(COLUMNS[section].title, "caseload")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # a paint asks a dozen roles of every cell: the ones not answered leave first
        if role not in _ROLES or not index.isValid():
            return None
        number = index.row()
        if not 0 <= number < len(self._ids):
            return None
        row = self._shown(number)
        column = index.column()
        if row is None:  # its page is on its way
            if column == 0 and role in _TEXT_ROLES:
                return LOADING
            return None
        if role in _TEXT_ROLES:
            texts = self._texts.get(number)
            if texts is None or texts[0] is not row:
                today = self.today()
                texts = (row, tuple(c.text(row, today) for c in COLUMNS))
                if len(self._texts) > PAGE * _PAGES_KEPT:
                    self._texts.clear()
                self._texts[number] = texts
            return texts[1][column]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if column == STAGE_COLUMN and row.gsf_stage in STAGE_COLOURS:
            back, fore = _STAGE_QCOLOURS[row.gsf_stage]
            if role == Qt.ItemDataRole.BackgroundRole:
                return back
            if role == Qt.ItemDataRole.ForegroundRole:
                return fore
            if role == Qt.ItemDataRole.ToolTipRole:
                return codes.GSF_STAGE.display(row.gsf_stage)
        if column == 0 and role == Qt.ItemDataRole.ToolTipRole and row.needs_review:
            return tr("Needs review: two values of a field were recorded at the same time; "
                      "open the record to choose.", "caseload")
        if column == REVIEW_COLUMN and role == Qt.ItemDataRole.ForegroundRole:
            due = row.next_review
            if due is not None and due < self.today():
                return _overdue_colour()
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column].key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # -- ids and pages -------------------------------------------------------------

    def person_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, person_id: str) -> int | None:
        if self._row_of is None:
            self._row_of = {pid: i for i, pid in enumerate(self._ids)}
        return self._row_of.get(person_id)

    def summary(self, row: int) -> PersonSummary | None:
        """The row's summary, read here and now if its page is not in (for tests and
        callers off the paint path; the view's ``data()`` never waits)."""
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is None or (page in self._partial and row - page * PAGE >= len(rows)):
            with self.store.reading() as s:
                rows = _read_page(s, self._page_ids(page), self.today())
            self._keep(page, rows)
        offset = row - page * PAGE
        return rows[offset] if offset < len(rows) else None

    def _shown(self, row: int) -> PersonSummary | None:
        """The row's summary if its page is in; otherwise None, and the page (with the
        pages around it) is asked for on a reader thread."""
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is not None and page in self._partial and row - page * PAGE >= len(rows):
            # past the rows read with the ids: the whole page is read now, those shown
            self._partial.discard(page)
            self._stale[page] = self._pages.pop(page)
            rows = None
        if rows is None:
            self._fetch(range(page - _AHEAD, page + _AHEAD + 1))
            rows = self._stale.get(page)
            if rows is None:
                return None
        else:
            self._pages.move_to_end(page)
            # keep ahead of scrolling; not from the first page, which a search shows (its
            # next keystroke's query should find the reader threads free)
            if page and (page + _AHEAD not in self._pages or page - _AHEAD not in self._pages):
                self._fetch((page - _AHEAD, page + _AHEAD))
        offset = row - page * PAGE
        return rows[offset] if offset < len(rows) else None

    def _page_ids(self, page: int) -> list[str]:
        return self._ids[page * PAGE:(page + 1) * PAGE]

    def _keep(self, page: int, rows: list[PersonSummary | None]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        self._stale.pop(page, None)
        self._partial.discard(page)
        if len(rows) < len(self._page_ids(page)):
            self._partial.add(page)
        while len(self._pages) > _PAGES_KEPT:
            self._partial.discard(self._pages.popitem(last=False)[0])

    def _fetch(self, pages: Iterable[int]) -> None:
        """Read the pages not in (nor on their way) in one task on a reader thread."""
        last = (len(self._ids) - 1) // PAGE
        wanted = [p for p in pages if 0 <= p <= last and p not in self._pages
                  and p not in self._fetching]
        if not wanted:
            return
        self._fetching.update(wanted)
        chunks = {p: self._page_ids(p) for p in wanted}
        store, today, generation = self.store, self.today(), self._generation
        outdated = self._outdated

        def read() -> tuple[int, dict[int, list[PersonSummary | None]]]:
            if outdated.is_set():  # the ids changed while this waited for a thread
                return generation, {}
            with store.reading() as s:
                return generation, {p: _read_page(s, ids, today) for p, ids in chunks.items()}

        runner = worker.Runner(read, what="caseload rows")
        runner.finished.connect(self._pages_in)
        runner.failed.connect(self._pages_failed)
        runner.start()

    def _new_generation(self) -> None:
        self._generation += 1
        self._outdated.set()
        self._outdated = threading.Event()

    def _pages_in(self, result: tuple[int, dict[int, list[PersonSummary | None]]]) -> None:
        generation, pages = result
        if generation != self._generation:
            return  # read for ids since replaced
        for page, rows in pages.items():
            self._fetching.discard(page)
            self._keep(page, rows)
            first = page * PAGE
            self.dataChanged.emit(self.index(first, 0),
                                  self.index(first + len(rows) - 1, len(COLUMNS) - 1))

    def _pages_failed(self, exc: BaseException) -> None:
        log.warning("caseload rows could not be read: %s", type(exc).__name__)
        self._fetching.clear()  # asked for again when next shown

    def set_filter(self, flt: core.CaseloadFilter) -> worker.Runner:
        self.filter = flt
        return self.reload()

    def reload(self, *, wait: bool = False) -> worker.Runner:
        """Query the ordered ids for the filter and sort off the GUI thread, then swap
        them in. A newer reload cancels an older one still running."""
        if self._pending is not None:
            self._pending.cancel()
        flt, key, descending, today = self.filter, self.sort_key, self.descending, self.today()
        store = self.store
        # only the rows the table shows come with the ids (a search's first paint: 100
        # rows took twice as long to read as the 30-40 shown); the rest when scrolled to
        first_rows = min(PAGE, max(1, self.rows_shown()))
        # the first load (at unlock) is usable when a search is too: a keystroke straight
        # after would otherwise wait for the search to be prepared (0.25 s at 20,000)
        prepare = not self._shown_once and not flt.text

        def query() -> tuple[list[str], dict[int, list[PersonSummary | None]]]:
            with store.reading() as s:  # the ids and the first page in one read
                ids = core.person_ids(s, flt, key, descending, today)
                first = {0: _read_page(s, ids[:first_rows], today)} if ids else {}
                if prepare:
                    core.prepare_search(s)
                return ids, first

        # before any page read ahead still queued: a search waits on nothing
        runner = worker.Runner(query, what="caseload ids", priority=1)
        runner.finished.connect(self._swap_in)
        runner.failed.connect(lambda exc: show_error(None, exc))
        runner.ended.connect(self._done_loading)
        self._pending = runner
        self.loading = True
        self._busy.set()
        runner.start()
        return runner

    def _done_loading(self) -> None:
        if self._pending is not None and not self._pending.running:
            self._pending = None
            self.loading = False
            self._busy.clear()
            self.settled.emit()

    def _swap_in(self, result: tuple[list[str], dict[int, list[PersonSummary | None]]]
                 ) -> None:
        ids, first = result
        self._shown_once = True
        self.beginResetModel()
        self._new_generation()
        self._ids = ids
        self._row_of = None
        self._pages.clear()
        self._stale.clear()
        self._fetching.clear()
        self._partial.clear()
        for page, rows in first.items():
            self._keep(page, rows)
        self.endResetModel()
        self.reloaded.emit(len(ids))
        if not self.filter.text:
            self._prepare_search()

    def _prepare_search(self) -> None:
        """Read what a search needs on a reader, after the rows: the first keystroke
        after opening (or after an edit) then waits on nothing (0.1-0.5 s otherwise)."""
        if self._preparing is not None and self._preparing.running:
            return
        store = self.store

        def prepare() -> None:
            with store.reading() as s:
                core.prepare_search(s)

        self._preparing = worker.Runner(prepare, what="search ready", priority=-1)
        self._preparing.failed.connect(lambda exc: log.warning(
            "the search could not be prepared: %s", type(exc).__name__))  # it reads on use
        self._preparing.start()

    def warm_pages(self) -> threading.Thread | None:
        """Read the pages a search needs into the system's file cache, on a thread of its
        own (after unlocking: a cold profile's first searches waited on the disk). Not on
        the reader pool: its two threads are the search's and the scrolling's, and a
        first search queued 0.6 s behind it. The thread holds no Qt object. Stopped by
        :meth:`stop_warming` (locking, closing)."""
        if self._warmer is not None and self._warmer[1].is_alive():
            return None  # already warming
        # after a warming, skip while about as much of the file is cached as it left
        memory = self._warm_memory  # a plain dict: the thread never holds this model
        after = memory.get("cached_after")
        enough = warming.CACHED_ENOUGH if after is None else min(warming.CACHED_ENOUGH, after * 0.9)
        warmer = warming.PageWarmer(self.store.reading, self.store.profile.db_path,
                                 cached_enough=enough, busy=self._busy.is_set)

        def run() -> None:
            _lower_priority()
            try:
                warmer.run()
                if warmer.cached_after is not None:
                    memory["cached_after"] = warmer.cached_after
            except Exception as exc:  # a hint only: the searches read anyway
                log.warning("the caseload's pages could not be warmed: %s",
                            type(exc).__name__)

        thread = threading.Thread(target=run, name="eolcare-warm-pages", daemon=True)
        self._warmer = (warmer, thread)
        thread.start()
        return thread

    def stop_warming(self, wait: float = 0.0) -> None:
        """Stop warming now (its running statement is interrupted); ``wait``: seconds to
        wait for its thread to end (before the store closes)."""
        if self._warmer is not None:
            warmer, thread = self._warmer
            warmer.stop()
            if wait:
                thread.join(wait)
            self._warmer = None

    def forget_rows(self, person_ids: list[str] | None = None) -> None:
        """Drop cached rows (after an edit) so they are read again: the view keeps
        showing the old rows until the fresh ones are in."""
        self._stale.update(self._pages)
        self._pages.clear()
        self._fetching.clear()
        self._partial.clear()
        self._new_generation()  # pages on their way hold the old rows
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))


#: How far below the window's threads the warming runs (``nice``): on two cores its half
#: second of decrypting slowed the first keystrokes it ran beside. Not Linux's
#: SCHED_IDLE: starved while holding Python's lock for a moment between two statements,
#: it held the GUI thread up for tens of milliseconds (tried).
_WARMING_NICE = 10


def _lower_priority() -> None:
    """This thread only: below the window's own (where the system lets a thread have its
    own priority, as Linux does; elsewhere it runs as it is)."""
    with suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _WARMING_NICE)


def _read_page(session: Any, ids: list[str], today: date) -> list[PersonSummary | None]:
    """A page's summaries in the order of ``ids``; None where someone was deleted since
    the ids were read."""
    found = {r.id: r for r in core.summaries(session, ids, today)}
    return [found.get(i) for i in ids]


_STATUS_CHOICES: tuple[tuple[str, CaseloadFilter], ...] = (
    (QT_TR_NOOP("On the caseload"), CaseloadFilter()),
    (QT_TR_NOOP("Active"), CaseloadFilter(statuses=frozenset({"active"}))),
    (QT_TR_NOOP("Died"), CaseloadFilter(statuses=frozenset({"died"}))),
    (QT_TR_NOOP("Discharged"), CaseloadFilter(statuses=frozenset({"discharged"}))),
    (QT_TR_NOOP("Everyone"), CaseloadFilter(include_ended=True)),
)


#: Below this many characters the box does not search (one Latin letter matches most of
#: a caseload and costs the most); one Chinese, Japanese or Korean character is a name.
MIN_SEARCH = 2


def search_text(typed: str) -> str:
    """What the search box searches for: nothing until it is worth a query."""
    text = typed.strip()
    if len(text) >= MIN_SEARCH or any(ord(c) >= 0x2E80 for c in text):
        return text
    return ""


def _stages(key: str) -> frozenset[str]:
    """The filter's stages for the stage box's choice ("": any stage)."""
    return frozenset({key}) if key else frozenset()


class CaseloadWidget(QWidget):
    """Search box, filters, the table, and "add a person"."""

    #: the coordinator opened a person (double click, Enter)
    open_person = Signal(str)
    add_person = Signal()

    #: No delay: a keystroke searches at once when no search is running, and while one
    #: runs only the newest text waits for it (one query behind at most).

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseload")
        self.model = CaseloadModel(store, today, self)

        self.search = QLineEdit()
        self.search.setObjectName("caseloadSearch")
        self.search.setPlaceholderText(tr("Name, NHS number, address, circle or notes",
                                          "caseload"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Search the caseload", "caseload"))
        search_label = QLabel(tr("&Search:", "caseload"))
        search_label.setBuddy(self.search)

        self.stage = QComboBox()
        self.stage.setObjectName("stageFilter")
        self.stage.setAccessibleName(tr("GSF stage", "caseload"))
        self.stage.addItem(tr("Any stage", "caseload"), "")
        for code in codes.GSF_STAGE:
            self.stage.addItem(tr(STAGE_SHORT[code.code], "caseload"), code.code)
        stage_label = QLabel(tr("S&tage:", "caseload"))
        stage_label.setBuddy(self.stage)

        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.setAccessibleName(tr("Status", "caseload"))
        for title, _flt in _STATUS_CHOICES:
            self.status.addItem(tr(title, "caseload"))
        status_label = QLabel(tr("Stat&us:", "caseload"))
        status_label.setBuddy(self.status)

        self.overdue = QCheckBox(tr("Reviews &overdue", "caseload"))
        self.overdue.setObjectName("overdueFilter")
        self.no_place = QCheckBox(tr("No &preferred place", "caseload"))
        self.no_place.setObjectName("noPlaceFilter")
        self.no_cpr = QCheckBox(tr("No &CPR decision", "caseload"))
        self.no_cpr.setObjectName("noCprFilter")
        for box in (self.overdue, self.no_place, self.no_cpr):
            box.setAccessibleName(box.text().replace("&", ""))

        self.add_button = QPushButton(tr("&Add a person\u2026", "caseload"))
        self.add_button.setObjectName("addPerson")
        self.add_button.clicked.connect(self.add_person)

        self.count = QLabel()
        self.count.setObjectName("caseloadCount")
        self.count.setAccessibleName(tr("People shown", "caseload"))

        self.table = QTableView()
        self.table.setObjectName("caseloadTable")
        self.table.setAccessibleName(tr("Caseload", "caseload"))
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setVisible(False)
        # fixed row heights: the view never asks every row for its size
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((220, 44, 84, 200, 100, 150, 140, 80)):
            self.table.setColumnWidth(column, width)
        # after a reset, lay the rows out (the scroll bar's new range) at once: left to the
        # first paint, the range changed during it and the whole table was painted twice
        # (~9 ms each at 20,000 people; the second one in the next keystroke's time)
        self.model.modelReset.connect(self.table.doItemsLayout)
        self.model.rows_shown = self._rows_shown
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        table_label = QLabel(tr("&People:", "caseload"))
        table_label.setBuddy(self.table)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 3)
        top.addWidget(stage_label)
        top.addWidget(self.stage)
        top.addWidget(status_label)
        top.addWidget(self.status)
        top.addWidget(self.add_button)
        checks = QHBoxLayout()
        checks.addWidget(self.overdue)
        checks.addWidget(self.no_place)
        checks.addWidget(self.no_cpr)
        checks.addStretch(1)
        checks.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(checks)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)

        for first, second in ((self.search, self.stage), (self.stage, self.status),
                              (self.status, self.add_button), (self.add_button, self.overdue),
                              (self.overdue, self.no_place), (self.no_place, self.no_cpr),
                              (self.no_cpr, self.table)):
            QWidget.setTabOrder(first, second)

        # the query starts in the keystroke itself: on a reader thread while the box repaints
        self.search.textChanged.connect(self._search_typed)
        self._typed_while_loading = False
        self.model.settled.connect(self._search_waiting)
        self.search.returnPressed.connect(self._search_now)
        for combo in (self.stage, self.status):
            combo.currentIndexChanged.connect(self.apply_filter)
        for box in (self.overdue, self.no_place, self.no_cpr):
            box.toggled.connect(self.apply_filter)
        self.model.reloaded.connect(self._show_count)

        focus = QAction(tr("Find", "caseload"), self)
        focus.setShortcut(QKeySequence.StandardKey.Find)
        focus.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus.triggered.connect(self.focus_search)
        self.addAction(focus)

    def current_filter(self) -> core.CaseloadFilter:
        base = _STATUS_CHOICES[max(0, self.status.currentIndex())][1]
        return replace(base, text=search_text(self.search.text()),
                       gsf_stages=_stages(self.stage.currentData()),
                       reviews_overdue=self.overdue.isChecked(),
                       no_preferred_place=self.no_place.isChecked(),
                       no_cpr_decision=self.no_cpr.isChecked())

    def apply_filter(self) -> worker.Runner:
        self._typed_while_loading = False
        return self.model.set_filter(self.current_filter())

    def show_filter(self, flt: core.CaseloadFilter) -> None:
        """Set the controls to ``flt`` (the dashboard opens the list behind a chart)."""
        widgets = (self.search, self.stage, self.status, self.overdue, self.no_place,
                   self.no_cpr)
        for w in widgets:
            w.blockSignals(True)
        try:
            self.search.setText(flt.text)
            key = next(iter(flt.gsf_stages)) if len(flt.gsf_stages) == 1 else ""
            self.stage.setCurrentIndex(max(0, self.stage.findData(key)))
            base = replace(flt, text="", gsf_stages=frozenset(), reviews_overdue=False,
                           no_preferred_place=False, no_cpr_decision=False)
            bases = [f for _t, f in _STATUS_CHOICES]
            self.status.setCurrentIndex(bases.index(base) if base in bases else 0)
            self.overdue.setChecked(flt.reviews_overdue)
            self.no_place.setChecked(flt.no_preferred_place)
            self.no_cpr.setChecked(flt.no_cpr_decision)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.apply_filter()

    def _search_now(self) -> None:
        self.apply_filter()

    def _search_typed(self, _text: str = "") -> None:
        """Search for what is typed, unless a search is running: then the newest text
        goes when it ends (a fast typist's keystrokes never queue up queries)."""
        if self.model.loading:
            self._typed_while_loading = True
            return
        self._typed_while_loading = False
        if self.current_filter() != self.model.filter:
            self.apply_filter()

    def _search_waiting(self) -> None:
        if self._typed_while_loading:
            self._search_typed()

    def _rows_shown(self) -> int:
        """How many rows a reload reads with the ids: the table's height in rows and a
        few more, at least 40 (before the first layout the height is not known yet)."""
        height = self.table.viewport().height() if self.table.isVisible() else 0
        rows = height // max(1, self.table.verticalHeader().defaultSectionSize())
        return max(40, rows + 5)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _show_count(self, count: int) -> None:
        self.count.setText(tr("1 person", "caseload") if count == 1
                           else tr("{count} people", "caseload").format(count=f"{count:,}"))

    def _open_index(self, index: QModelIndex) -> None:
        person_id = self.model.person_id(index.row())
        if person_id is not None:
            self.open_person.emit(person_id)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [pid for r in rows if (pid := self.model.person_id(r)) is not None]

    def select_person(self, person_id: str) -> bool:
        row = self.model.row_of(person_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True
