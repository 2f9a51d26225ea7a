"""The sync engine: push the outbox, pull the team's log, apply, compare digests.

One sync is a job (:mod:`eolcare.domain.jobs`): a generator that yields
progress and returns a :class:`SyncSummary`. Every step leaves the laptop
consistent, so a sync stopped anywhere (cancelled, offline, killed) simply
continues next time:

- **Push**: pending operations are sealed once and the ciphertext is kept
  (``sync_sealed``) before it is sent, so a retry after a lost response sends
  the very same bytes and the server, idempotent by op id, adds nothing.
  What the server accepted leaves the outbox in one transaction.
- **Pull**: pages after the cursor; each change is opened with its epoch's
  key (authenticated data: team, record, op id, epoch); the page's
  operations, the new cursor and the digest of the log so far are written in
  one transaction through the core's receive path (which merges, flags
  conflicts and writes creations in bulk). A change that does not open is
  kept and reported by id, and the rest of the sync goes on. A large pull
  opens its pages, and builds their creations' rows, in a process of its own.
- **Digest**: the client's rolling digest at its cursor is compared with the
  server's; on a mismatch the whole log is pulled again, which only adds
  (known operations are skipped; nothing is overwritten).
- Afterwards people sharing an NHS number are flagged as possible duplicates.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import queue
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial

import httpx

from eolcare.domain.entities import KINDS
from eolcare.domain.jobs import Job, Progress
from eolcare.domain.operations import Operation
from eolcare.store import accounts, bulk, inbox
from eolcare.store.database import Store
from eolcare.store.writes import Writer
from eolcare.sync import crypto, errors, payload, protocol
from eolcare.sync.account import connect
from eolcare.sync.connection import Connection
from eolcare.sync.teams import my_team, refresh_keys

log = logging.getLogger(__name__)

#: Ops per push: the server takes 500 and 1 MiB; a batch also stops at BATCH_BYTES.
PUSH_BATCH = protocol.MAX_OPS_PER_PUSH
BATCH_BYTES = 700 * 1024
PULL_PAGE = protocol.MAX_PULL_LIMIT
#: What a step of a sync that committed received changes says (views may read again).
RECEIVING = "receiving changes"
#: Pages fetched and opened ahead of the one being applied.
AHEAD_PAGES = 4
#: Most operations written in one transaction (whole pages; at least one page). A first
#: sync of 300,000 operations commits 7 times: in 5,000-operation transactions the same
#: rows took 1.7 times as long to write (bench/sync_bench.py's floor; in one transaction,
#: no faster), as every commit rewrites most of the random-keyed index pages.
TRANSACTION_OPS = 50_000
#: While the fetching thread works beside the writing one, Python hands the GIL over within
#: this many seconds instead of its usual 5 ms. The writer lets go of the GIL at every row's
#: SQLite step; with the fetcher busy parsing, it waited up to 5 ms each time to have it
#: back. A 20,000-person first sync: 44 s at 5 ms, 39-40.5 s at 0.5 or 0.1 ms.
HANDOFF_S = 0.0005
#: A pull of at least this many operations keeps what the store holds in memory
#: (:class:`~eolcare.store.inbox.Known`) instead of looking each id up: reading every id
#: once costs about 0.3 s for a store of 300,000 operations.
KNOWN_FROM = 20_000
#: Pages a large pull has asked for and handed to the opening process, not yet opened.
PAGES_IN_FLIGHT = 2
#: A pull of at least this many operations opens its pages, and builds the rows of their
#: creations, in a process of its own (docs/sync.md, "How a large pull stays fast").
OPEN_IN_PROCESS_FROM = 20_000


@dataclass(frozen=True)
class SyncSummary:
    pushed: int
    pulled: int
    applied: int
    conflicts: int
    duplicates: int
    unreadable: list[str] = field(default_factory=list)  #: op ids that did not open
    repulled: bool = False
    duration: float = 0.0
    head: int = 0

    def to_json(self) -> dict[str, object]:
        return {"pushed": self.pushed, "pulled": self.pulled, "applied": self.applied,
                "conflicts": self.conflicts, "duplicates": self.duplicates,
                "unreadable": list(self.unreadable), "repulled": self.repulled,
                "duration": round(self.duration, 3), "head": self.head}


def sync(store: Store, *, transport: httpx.BaseTransport | None = None,
         connection: Connection | None = None, page: int = PULL_PAGE,
         batch: int = PUSH_BATCH) -> Job[SyncSummary]:
    """Sync this profile with its team once (a job: iterate it, or run it with jobs.run)."""
    started = time.monotonic()
    conn = connection or connect(store, transport)
    try:
        t = my_team(store)
        info = yield from _step(refresh_keys(store, conn, t), "checking the team's keys")
        with store.reading() as s:
            waiting = inbox.pending_count(s)
            cursor = inbox.cursor(s, t.team_id)
        progress = _Progress(waiting + max(0, info.head - cursor))
        pushed = 0
        for _attempt in range(3):
            try:
                pushed += yield from _push(store, conn, t.team_id, info.epoch, batch=batch,
                                         progress=progress)
                break
            except _EpochMovedError:
                info = refresh_keys(store, conn, t)
        else:
            raise errors.SyncError("The team's key kept changing while syncing. Nothing was "
                                   "lost; sync again in a minute.")
        pulled = _Pulled()
        yield from _pull(store, conn, t.team_id, page=page, progress=progress, pulled=pulled,
                         expected=info.head - cursor)
        yield from _retry_failures(store, t.team_id, pulled)
        repulled = False
        if not _digest_matches(store, conn, t.team_id):
            log.warning("digest mismatch after pull; pulling the whole log again")
            repulled = True
            yield from _pull(store, conn, t.team_id, page=page, progress=progress,
                             pulled=pulled, expected=info.head, again=True)
            if not _digest_matches(store, conn, t.team_id):
                raise errors.DigestMismatchError()
        with store.writing() as w:
            accounts.update_team(w.session, t.team_id, synced=True)
            unreadable = [f.op_id for f in accounts.failures(w.session, t.team_id)]
            head = inbox.cursor(w.session, t.team_id)
        return SyncSummary(pushed, pulled.count, pulled.applied, pulled.conflicts,
                           pulled.duplicates, unreadable, repulled,
                           time.monotonic() - started, head)
    finally:
        if connection is None:
            conn.close()


def _step(value: protocol.Team, what: str) -> Job[protocol.Team]:
    yield Progress(0, 0, what)
    return value


class _Progress:
    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def step(self, n: int, what: str) -> Progress:
        self.done += n
        self.total = max(self.total, self.done)
        return Progress(self.done, self.total, what)


@dataclass
class _Pulled:
    count: int = 0
    applied: int = 0
    conflicts: int = 0
    duplicates: int = 0
    #: People whose NHS number arrived in the open transaction, not yet compared.
    people: set[str] = field(default_factory=set)

    def apply(self, writer: Writer, team_id: str, ops: list[Operation], cursor: int, *,
              known: inbox.Known | None = None,
              prepared: Mapping[str, bulk.Prepared] | None = None) -> inbox.Received:
        """Receive a page; count the records it newly flagged. People whose NHS number
        it brought are compared with everyone by :meth:`compare_people`, once a transaction
        (a comparison reads the whole person table)."""
        for op in ops:
            if op.kind == "person" and "nhs_number" in op.changes:
                self.people.add(op.entity_id)
        received = inbox.receive(writer, team_id, ops, cursor, known=known, prepared=prepared)
        self.conflicts += len(received.flagged)
        self.applied += received.applied
        return received

    def compare_people(self, writer: Writer) -> None:
        """Flag possible duplicates among the people received (in the same transaction)."""
        if self.people:
            self.duplicates += accounts.flag_duplicates(writer.session, self.people)
            self.people = set()


# --- push ----------------------------------------------------------------------------


def _push(store: Store, conn: Connection, team_id: str, epoch: int, *, batch: int,
          progress: _Progress) -> Job[int]:
    pushed = 0
    while True:
        ops = _seal_batch(store, team_id, epoch, batch)
        if not ops:
            return pushed
        try:
            conn.call(partial(conn.api.push, team_id, [op for _, op in ops]))
            accepted = [seq for seq, _ in ops]
        except errors.RefusedError as exc:
            if not _key_changed(exc):
                raise _push_refused(exc) from None
            accepted = _push_singly(store, conn, team_id, ops)
        with store.writing() as w:
            inbox.acknowledge(w.session, accepted)
            accounts.drop_sealed(w.session, accepted)
        pushed += len(accepted)
        yield progress.step(len(accepted), "sending changes")
        if len(accepted) < len(ops):
            raise _EpochMovedError()


class _EpochMovedError(Exception):
    """The team's key epoch moved on during the push; refresh the keys and push again."""


def _key_changed(exc: errors.RefusedError) -> bool:
    return exc.status == 409 and "team key changed" in exc.detail


def _push_singly(store: Store, conn: Connection, team_id: str,
                 ops: list[tuple[int, protocol.Op]]) -> list[int]:
    """After "the team key changed": send one by one; an op the server has (a lost
    response) is accepted whatever its epoch; one it refuses was never stored, so its
    seal is dropped and it is sealed again under the new epoch next time."""
    accepted, stale = [], []
    for seq, op in ops:
        try:
            conn.call(partial(conn.api.push, team_id, [op]))
            accepted.append(seq)
        except errors.RefusedError as exc:
            if not _key_changed(exc):
                raise _push_refused(exc) from None
            stale.append(seq)
    with store.writing() as w:
        accounts.drop_sealed(w.session, stale)
    return accepted


def _push_refused(exc: errors.RefusedError) -> errors.SyncError:
    if exc.status == 403:
        return errors.TeamError(
            "Your role in this team does not allow changes, so your changes were not sent. "
            "They are kept on this laptop; ask a team admin to make you a member.")
    if exc.status == 409 and "no key" in exc.detail:
        return errors.KeyNotSharedError()
    return exc


def _seal_batch(store: Store, team_id: str, epoch: int, batch: int
                ) -> list[tuple[int, protocol.Op]]:
    """The next batch of the outbox, sealed; new seals are stored before anything is sent."""
    with store.reading() as s:
        if not inbox.pending_count(s):
            return []
    with store.writing() as w:
        keys = accounts.team_keys(w.session, team_id)
        outgoing = inbox.pending(w.session, limit=batch)
        known = accounts.sealed(w.session, [o.seq for o in outgoing])
        ops: list[tuple[int, protocol.Op]] = []
        fresh: list[tuple[int, int, str, bytes]] = []
        size = 0
        for o in outgoing:
            if o.seq in known:
                e, record, blob = known[o.seq]
                op = protocol.Op(op_id=o.operation.op_id, record_id=record, epoch=e, blob=blob)
            else:
                if epoch not in keys:
                    raise errors.KeyNotSharedError()
                op = payload.seal(team_id, keys[epoch], epoch, o.operation)
            size += len(op.blob) * 4 // 3 + 200
            if ops and size > BATCH_BYTES:
                break
            ops.append((o.seq, op))
            if o.seq not in known:
                fresh.append((o.seq, epoch, op.record_id, op.blob))
        accounts.save_sealed(w.session, fresh)
    return ops


# --- pull ----------------------------------------------------------------------------


#: A change decrypted: (seq, op_id, record_id, epoch, blob, the operation's JSON). Plain tuples of
#: strings and bytes, which the garbage collector soon stops following, rather than
#: operations: pages waiting in the queue then cost a full collection next to nothing.
_Opened = tuple[int, str, str, int, bytes, bytes]


@dataclass
class _Page:
    """A pulled page, opened and read on the fetching thread: what one ``receive`` applies."""

    ops: list[Operation]
    failed: list[accounts.Failure]  #: changes that did not open or read
    count: int  #: changes in the page (opened or not)
    after: int  #: the seq of its last change: the cursor once it is applied
    digest: bytes  #: the rolling digest of the log up to ``after``
    more: bool = False  #: the server has changes after this page
    #: The rows of its creations, when built ahead (by the opening process of a large pull).
    prepared: Mapping[str, bulk.Prepared] = field(default_factory=dict)


def _pull(store: Store, conn: Connection, team_id: str, *, page: int, progress: _Progress,
          pulled: _Pulled, expected: int, again: bool = False) -> Job[None]:
    """Pull pages after the cursor (from the start when ``again``) and apply them.

    A thread fetches and decrypts the next pages while this one applies the
    pages already there (SQLite, the network and the cipher all let go of
    the GIL while they work). One transaction takes whole pages, with their
    cursor and digest, up to :data:`TRANSACTION_OPS` operations: each commit of
    a large store rewrites much of its indexes, so few commits is most of the
    speed of a first sync, and a sync stopped anywhere still resumes cleanly.
    Progress is said after each page (inside the transaction: closing the job
    there rolls the transaction back). When fetching fails (offline), what was
    applied is committed before the failure is raised.

    A pull of ``expected`` >= :data:`KNOWN_FROM` operations keeps the ids the
    store holds in memory for the receive path. It lives as long as this call:
    anything that rolls a transaction back ends the pull too, so it never
    outlives a write it was told of.
    """
    with store.reading() as s:
        cursor = inbox.cursor(s, team_id)
        digest = inbox.digest(s, team_id) or protocol.DIGEST_ZERO
        keys = accounts.team_keys(s, team_id)
    after = 0 if again else cursor
    if again:
        digest = protocol.DIGEST_ZERO
    large = expected >= OPEN_IN_PROCESS_FROM
    with store.large_cache(), _quick_handoff(), _collector_held(large) as collect, \
            _opener(large, team_id, keys, digest) as opener, \
            _Fetcher(conn, team_id, keys, after=after, digest=digest, page=page,
                     opener=opener) as fetcher:
        ended = False
        known: inbox.Known | None = None
        while not ended:
            stopped: BaseException | None = None
            with store.writing() as w:
                if expected >= KNOWN_FROM:
                    if known is None:
                        known = inbox.Known(w.session)
                    else:
                        known.catch_up(w.session)  # what the window wrote in between
                size = 0
                while size < TRANSACTION_OPS:
                    try:
                        p = fetcher.next_page()
                    except BaseException as exc:  # offline, refused...: keep what arrived
                        stopped = exc
                        break
                    if p is None:
                        ended = True
                        break
                    _apply_page(w, team_id, p, pulled, known)
                    size += p.count
                    # Closing the job here (a cancel) rolls this transaction back.
                    yield progress.step(0 if again else p.count, RECEIVING)
                pulled.compare_people(w)
            collect()
            if stopped is not None:
                raise stopped


@contextmanager
def _opener(large: bool, team_id: str, keys: dict[int, bytes], digest: bytes
            ) -> Iterator[Executor | None]:
    """For a large pull, a process of its own that opens the pages and builds their
    creations' rows (None otherwise: the fetching thread opens them). That is half of a
    first sync's Python; beside the writer, on a thread, it only took turns with it for
    the GIL. Started with *spawn*: nothing of the window's threads or Qt is copied."""
    if not large:
        yield None
        return
    # one worker: it opens the pages in the order they are handed over, with the digest
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_opening, initargs=(team_id, keys, digest))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _collector_held(large: bool) -> Iterator[Callable[[], object]]:
    """During a large pull, Python's cycle collector runs only when told (the function
    given: at each transaction's end, the young generations), then as before. Pages of
    operations arriving by the hundred thousand set off full collections that walked every
    object of the process, 5 s of a 20,000-person first sync. Where the collector is
    already held (the window runs it on its own thread), nothing changes."""
    if not large or not gc.isenabled():
        yield lambda: None
        return
    gc.disable()
    try:
        yield partial(gc.collect, 1)
    finally:
        gc.enable()


@contextmanager
def _quick_handoff() -> Iterator[None]:
    """Python's thread switch interval at most :data:`HANDOFF_S` inside, as it was after."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, HANDOFF_S))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _apply_page(w: Writer, team_id: str, p: _Page, pulled: _Pulled,
                known: inbox.Known | None = None) -> None:
    received = pulled.apply(w, team_id, p.ops, p.after, known=known, prepared=p.prepared)
    if received.cursor == p.after:
        inbox.set_digest(w.session, team_id, p.digest)
    failed = p.failed
    for f in failed:
        accounts.record_failure(w.session, team_id, f)
    pulled.count += p.count
    if failed:
        log.warning("%d change(s) did not open: %s", len(failed),
                    ", ".join(f.op_id for f in failed))


class _Fetcher:
    """Pulls and opens pages on a thread of its own, a few pages ahead of the applier.

    Failures (offline, refused) are handed over in order, after the pages
    fetched before them, so what arrived is applied before the sync stops.
    """

    _END = object()

    def __init__(self, conn: Connection, team_id: str, keys: dict[int, bytes], *,
                 after: int, digest: bytes, page: int, opener: Executor | None = None) -> None:
        self.conn, self.team_id, self.keys, self.opener = conn, team_id, keys, opener
        self.after, self.digest, self.page = after, digest, page
        self.ready: queue.Queue[object] = queue.Queue(maxsize=AHEAD_PAGES)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="sync-pull", daemon=True)

    def __enter__(self) -> _Fetcher:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        while self.thread.is_alive():  # make room, so a waiting put sees the stop
            with suppress(queue.Empty):
                self.ready.get(timeout=0.05)
        self.thread.join()

    def _put(self, item: object) -> bool:
        while not self.stop.is_set():
            with suppress(queue.Full):
                self.ready.put(item, timeout=0.1)
                return True
        return False

    def _run(self) -> None:
        try:
            if self.opener is None:
                self._fetch_and_open()
            else:
                try:
                    self._fetch_ahead(self.opener)
                except BrokenExecutor:  # the process ended (killed, out of memory)
                    raise errors.OpenerStoppedError() from None
        except BaseException as exc:  # handed to the applier, raised there
            self._put(exc)
            return
        self._put(self._END)

    def _fetch(self, after: int) -> bytes:
        return self.conn.call(partial(self.conn.api.pull_content, self.team_id, after,
                                      self.page))

    def _fetch_and_open(self) -> None:
        """One page after another, each opened here."""
        pages = PageOpener(self.team_id, self.keys, self.digest)
        after = self.after
        while not self.stop.is_set():
            p = pages.open(self._fetch(after))
            if p is None or not self._put(p) or not p.more:
                return
            after = p.after

    def _fetch_ahead(self, opener: Executor) -> None:
        """Pages handed to the opening process, the next asked for while it opens the
        last (the page's last seq read from its text, checked when the page is read): the
        writer waited 6.6 s of a 30 s first sync for pages fetched one after another."""
        in_flight: deque[tuple[Future[_Page | None], int | None]] = deque()
        after: int | None = self.after
        while not self.stop.is_set():
            while after is not None and len(in_flight) < PAGES_IN_FLIGHT:
                content = self._fetch(after)
                after = last_seq(content)  # None: ask again once this page is read
                in_flight.append((opener.submit(open_next, content), after))
            if not in_flight:
                return
            future, said = in_flight.popleft()
            p = future.result()
            if p is None:
                return
            if said is not None and p.after != said:
                raise errors.SyncError("The team server sent a page of changes that does not "
                                       "read as it should. Nothing was lost; sync again.")
            if not self._put(p) or not p.more:
                return
            after = p.after if after is None else after

    def next_page(self) -> _Page | None:
        """The next page (waiting for it), None at the end; raises what stopped the fetching."""
        item = self.ready.get()
        if item is self._END or isinstance(item, BaseException):
            self._put(item)  # the same answer to a later call
        if item is self._END:
            return None
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, _Page)
        return item


class PageOpener:
    """Opens a pull's pages in order: each page's operations, the changes that did not
    open, and the rolling digest after it. With ``prepare``, the rows of its creations
    are built too (in the opening process of a large pull)."""

    def __init__(self, team_id: str, keys: dict[int, bytes], digest: bytes, *,
                 prepare: bool = False) -> None:
        self.team_id, self.keys, self.digest, self.prepare = team_id, keys, digest, prepare

    def open(self, content: bytes) -> _Page | None:
        """A page as the server sent it, opened; None when it has no change."""
        reply = protocol.PullResponse.model_validate_json(content)
        if not reply.changes:
            return None
        ops, failed = _open_page(self.team_id, self.keys, reply.changes)
        for change in reply.changes:
            self.digest = protocol.chain_digest(self.digest, change.seq, change.op_id,
                                                change.blob)
        return _Page(ops, failed, len(reply.changes), reply.changes[-1].seq, self.digest,
                     reply.more, bulk.prepare_received(ops) if self.prepare else {})


_SEQ = re.compile(rb'"seq"\s*:\s*(\d+)')


def last_seq(content: bytes) -> int | None:
    """The seq of the last change in a page's text, or None (no change, or not found)."""
    at = content.rfind(b'"seq"')
    found = _SEQ.match(content, at) if at >= 0 else None
    return int(found.group(1)) if found else None


#: The opening process's one opener (one pull, its pages in the order they are sent).
_opening: PageOpener | None = None


def _start_opening(team_id: str, keys: dict[int, bytes], digest: bytes) -> None:
    global _opening  # noqa: PLW0603 - the state of the opening process, one pull long
    _opening = PageOpener(team_id, keys, digest, prepare=True)


def open_next(content: bytes) -> _Page | None:
    """In the opening process: the next page of the pull."""
    assert _opening is not None
    return _opening.open(content)


def _open_page(team_id: str, keys: dict[int, bytes], changes: Sequence[protocol.Change]
               ) -> tuple[list[Operation], list[accounts.Failure]]:
    opened, failed = _decrypt_page(team_id, keys, changes)
    ops, unread = _read_page(opened)
    return ops, failed + unread


def _decrypt_page(team_id: str, keys: dict[int, bytes], changes: Sequence[protocol.Change]
                  ) -> tuple[list[_Opened], list[accounts.Failure]]:
    opened: list[_Opened] = []
    failed: list[accounts.Failure] = []
    for change in changes:
        key = keys.get(change.epoch)
        if key is None:
            reason = "no key for this epoch on this laptop"
        else:
            try:
                plain = payload.decrypt(team_id, key, change)
            except crypto.CryptoError:
                reason = "does not decrypt: damaged, moved, or sealed with another key"
            except payload.PayloadError as exc:
                reason = str(exc)
            else:
                opened.append((change.seq, change.op_id, change.record_id, change.epoch,
                               change.blob, plain))
                continue
        failed.append(accounts.Failure(change.seq, change.op_id, change.record_id,
                                       change.epoch, change.blob, reason))
    return opened, failed


def _read_page(opened: Sequence[_Opened]) -> tuple[list[Operation], list[accounts.Failure]]:
    """The operations in decrypted changes, and the changes that are not one we know."""
    ops: list[Operation] = []
    failed: list[accounts.Failure] = []
    for seq, op_id, record, epoch, blob, plain in opened:
        try:
            op = payload.read(plain, op_id, record)
        except payload.PayloadError as exc:
            reason = str(exc)
        else:
            if op.kind in KINDS:
                ops.append(op)
                continue
            reason = "a kind of record this version does not know"
        failed.append(accounts.Failure(seq, op_id, record, epoch, blob, reason))
    return ops, failed


def _retry_failures(store: Store, team_id: str, pulled: _Pulled) -> Job[None]:
    """Changes that did not open before: try again (a key may have arrived since)."""
    with store.reading() as s:
        failures = accounts.failures(s, team_id)
        keys = accounts.team_keys(s, team_id)
        cursor = inbox.cursor(s, team_id)
    if not failures:
        return
    changes = [protocol.Change(seq=f.seq, op_id=f.op_id, record_id=f.record_id, device_id="",
                               author_id="", epoch=f.epoch, blob=f.blob) for f in failures]
    ops, _still = _open_page(team_id, keys, changes)
    if not ops:
        return
    opened = {op.op_id for op in ops}
    with store.writing() as w:
        pulled.apply(w, team_id, ops, cursor)
        pulled.compare_people(w)
        accounts.clear_failures(w.session, team_id,
                                [f.seq for f in failures if f.op_id in opened])
    yield Progress(0, 0, "opening changes that arrived before their key")


def _digest_matches(store: Store, conn: Connection, team_id: str) -> bool:
    with store.reading() as s:
        cursor = inbox.cursor(s, team_id)
        mine = inbox.digest(s, team_id) or protocol.DIGEST_ZERO
    if cursor == 0:
        return True
    theirs = conn.call(lambda: conn.api.digest(team_id, cursor))
    return theirs.seq == cursor and theirs.digest == mine
