"""How fast team sync is on loopback: a large team's first sync, and small syncs.

Starts a real `eolcare-server` (embedded SQLite) on loopback in a temporary
folder, fills laptop A with a synthetic caseload (20,000 people by default,
about 300,000 operations) and pushes it; laptop B joins the team (set-up,
timed but not a target). Then:

- **initial sync**: B syncs everything through ``engine.sync`` (network,
  decrypting, the store's receive path), against the floor measured in the
  same run: the same changes (already in memory, no network) decrypted,
  parsed by the same JSON parser and bulk-inserted (their JSON written by the
  store's encoder, with no cycle collection, as in a large pull) - operation log, entity
  rows, search index - into a fresh SQLCipher profile with one
  ``executemany`` per table and page, with the same page cache as the
  sync's, and none of the receive logic (no clock, no
  merge, no lookups, no ORM);
- **incremental sync**: A edits 10 fields and syncs (push), B syncs (pull),
  many times; p50 / p95 of each, and the HTTP requests one sync makes.

``--cache DIR`` keeps the set-up (the server's data and both laptops'
profiles, just before B's first sync) in DIR and starts from a copy of it
next time with the same ``--people`` and ``--seed``: generating and pushing
20,000 people takes minutes and is not what is measured. The initial sync
measured is always a real one, from an untouched copy.

Run from the repository root (the machine's load matters; note `uptime`):

    .venv/bin/python bench/sync_bench.py [--people N] [--rounds N] [--seed N]
        [--cache DIR] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pydantic_core
from sqlalchemy import func, select

from eolcare import demo
from eolcare.domain.entities import KINDS, Person
from eolcare.domain.jobs import run
from eolcare.domain.schema import FieldType
from eolcare.store import accounts, search, vault
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.engine import json_text
from eolcare.store.tables import OperationRow
from eolcare.sync import account, crypto, engine, protocol, teams

PASSPHRASE = "benchmark passphrase, not a secret"
POLICY = account.FAST_KDF_FOR_TESTS  # the KDF is not what is measured


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_CLI = [sys.executable, "-m", "eolcare.server.cli"]


@contextmanager
def server(folder: Path) -> Iterator[str]:
    """The server on the port it was first given (the laptops keep its address)."""
    data = folder / "server"
    if not data.exists():
        subprocess.run([*_CLI, "init", "--data", str(data)], check=True, capture_output=True)
        (folder / "port").write_text(str(_free_port()))
    port = int((folder / "port").read_text())
    proc = subprocess.Popen([*_CLI, "serve", "--data", str(data), "--host", "127.0.0.1",
                             "--port", str(port),  # the database where the folder is now:
                             "--database-url", f"sqlite:///{data / 'server.db'}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


def laptop(name: str, author: str) -> Store:
    create_profile(name, author, PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    return reopen(name)


def reopen(name: str) -> Store:
    return open_profile(name, lambda: PASSPHRASE, use_keyring=False)


class Counting(httpx.HTTPTransport):
    """Counts the requests a sync makes (the real transport underneath)."""

    requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        Counting.requests += 1
        return super().handle_request(request)


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples) * 1000, cuts[18] * 1000


def set_up(folder: Path, people: int, seed: int) -> dict[str, Any]:
    """Laptop A with ``people`` people, pushed; laptop B in the team, not yet synced."""
    os.environ["EOLCARE_HOME"] = str(folder / "home")
    with server(folder) as url:
        a, b = laptop("a", "Ann Abbott"), laptop("b", "Ben Bello")
        t0 = time.perf_counter()
        run(demo.generate(a, people, seed=seed))
        generated = time.perf_counter() - t0
        with a.reading() as s:
            ops = s.scalar(select(func.count(OperationRow.seq))) or 0
        print(f"generated {people:,} people, {ops:,} operations in {generated:.1f} s",
              file=sys.stderr)
        account.register(a, url, "ann", PASSPHRASE, policy=POLICY)
        account.register(b, url, "ben", PASSPHRASE, policy=POLICY)
        teams.create(a, "Bench team")
        t0 = time.perf_counter()
        pushed = run(engine.sync(a)).pushed
        push_s = time.perf_counter() - t0
        invitee = teams.prepare_invite(a, "ben")
        teams.invite(a, invitee)
        (offer,) = teams.invitations(b)
        teams.accept(b, offer)
        a.close()
        b.close()
    return {"generated_s": generated, "pushed": pushed, "push_s": push_s}


def _prepared(folder: Path, people: int, seed: int, cache: Path | None) -> dict[str, Any]:
    """Set up in ``folder``, or copy a cached set-up made with the same arguments."""
    if cache is None:
        return set_up(folder, people, seed)
    cache = cache.resolve()
    kept = cache / f"sync-{people}-{seed}"
    if not (kept / "done.json").exists():
        shutil.rmtree(kept, ignore_errors=True)
        made = kept.with_name(kept.name + ".making")
        shutil.rmtree(made, ignore_errors=True)
        (made / "done.json").write_text(json.dumps(set_up(made, people, seed)))
        made.rename(kept)
    else:
        print(f"set-up copied from {kept}", file=sys.stderr)
    shutil.copytree(kept, folder, dirs_exist_ok=True)
    os.environ["EOLCARE_HOME"] = str(folder / "home")
    facts: dict[str, Any] = json.loads((kept / "done.json").read_text())
    return facts


# --- the floor: decrypt and bulk-insert the same rows, nothing else -----------------------


def _entity_values(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    """An entity's columns straight from a creation's JSON (no validation, no merge)."""
    values: dict[str, Any] = {}
    for name, spec in KINDS[kind].FIELDS.items():
        raw = changes.get(name)
        if spec.type is FieldType.CODED:
            values[f"{name}_code"] = raw["code"] if raw else None
            values[f"{name}_text"] = (raw.get("text") or None) if raw else None
        elif spec.type is FieldType.CODES:
            values[f"{name}_codes"] = json_text(raw["codes"]) if raw else None
            values[f"{name}_text"] = (raw.get("text") or None) if raw else None
        else:
            values[name] = raw
    return values


def floor(store: Store, team_id: str, keys: dict[int, bytes],
          changes: Sequence[protocol.Change], page: int) -> float:
    """Seconds to decrypt ``changes`` and insert their rows in bulk, ``page`` a transaction
    (as many as the sync commits at once: how much a kill may undo is not what is measured),
    with the same JSON encoder as the store's and, as in a large pull, no cycle collection."""
    gc.disable()
    try:
        return _floor(store, team_id, keys, changes, page)
    finally:
        gc.enable()


def _floor(store: Store, team_id: str, keys: dict[int, bytes],
           changes: Sequence[protocol.Change], page: int) -> float:
    t0 = time.perf_counter()
    seq = doc = 0
    for i in range(0, len(changes), page):
        opened = []
        for ch in changes[i:i + page]:
            aad = crypto.op_aad(team_id, ch.record_id, ch.op_id, ch.epoch)
            plain = crypto.decrypt_op(keys[ch.epoch], ch.blob, aad)
            opened.append(pydantic_core.from_json(zlib.decompress(plain[1:])))
        now = datetime.now(UTC).isoformat()
        log_rows = []
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for op in opened:
            seq += 1
            stamp = op["stamp"]
            log_rows.append((seq, op["op_id"], stamp, stamp.rsplit("-", 1)[-1], op["author"],
                             op["kind"], op["entity_id"], op.get("record_id"), op["action"],
                             json_text(op["changes"]), json_text(op.get("base") or None),
                             0, now))
            row = {"id": op["entity_id"], "created_at": now, "created_by": op["author"],
                   "updated_at": now, "updated_by": op["author"], "updated_stamp": stamp,
                   "needs_review": 0, "deleted_stamp": None}
            by_kind.setdefault(op["kind"], []).append(
                row | _entity_values(op["kind"], op["changes"]))
        with store.writing() as w:
            conn = w.session.connection()
            conn.exec_driver_sql(
                "INSERT INTO operation (seq, op_id, stamp, device, author, kind, entity_id, "
                "record_id, action, changes, base, local, applied_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", log_rows)
            for kind, rows in by_kind.items():
                names = list(rows[0])
                conn.exec_driver_sql(  # names from the schema, not from input
                    f"INSERT INTO {kind} ({', '.join(names)}) "  # noqa: S608
                    f"VALUES ({', '.join('?' * len(names))})",
                    [tuple(r[n] for n in names) for r in rows])
                fields = search.SEARCHABLE.get(kind)
                if fields:
                    docs = [(doc + j + 1, r["id"], kind, search.person_of(kind, r))
                            for j, r in enumerate(rows)]
                    conn.exec_driver_sql("INSERT INTO search_doc (rowid, entity_id, kind, "
                                         "person_id) VALUES (?, ?, ?, ?)", docs)
                    conn.exec_driver_sql(
                        "INSERT INTO search_index (rowid, names, body) VALUES (?, ?, ?)",
                        [(doc + j + 1, *search.document(r, fields))
                         for j, r in enumerate(rows)])
                    doc += len(rows)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=40, help="incremental syncs measured")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cache", type=Path, help="keep / reuse the set-up in this folder")
    parser.add_argument("--profile", type=Path, help="cProfile the initial sync into FILE")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        facts = _prepared(folder, args.people, args.seed, args.cache)
        with server(folder):
            rows += measure(args)
    print(f"\nset-up: {args.people:,} people generated in {facts['generated_s']:.1f} s, "
          f"{facts['pushed']:,} ops pushed from laptop A in {facts['push_s']:.1f} s\n")
    widths = [max(len(r[i]) for r in [*rows, ("figure", "measured", "floor", "ratio",
                                                "target")]) for i in range(5)]
    for r in [("figure", "measured", "floor", "ratio", "target"), *rows]:
        print(" | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
    print("\nuptime:", subprocess.run(["uptime"], capture_output=True, text=True,
                                    check=False).stdout.strip())


def measure(args: argparse.Namespace) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    b = reopen("b")
    # --- initial sync of B, then the floor with the same changes --------------------
    profiler = cProfile.Profile() if args.profile else None
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    first = run(engine.sync(b))
    initial = time.perf_counter() - t0
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    team = teams.my_team(b)
    with b.reading() as s:
        keys = accounts.team_keys(s, team.team_id)
    with account.connect(b) as conn:
        changes = conn.call(lambda: conn.api.pull_all(team.team_id))
    c = laptop("c", "Cat Chen")
    with c.large_cache():  # the page cache the sync writes with: a floor as roomy
        floor_s = floor(c, team.team_id, keys, changes, engine.TRANSACTION_OPS)
    c.close()
    rows.append((f"initial sync, {first.pulled:,} ops ({args.people:,} people)",
                 f"{initial:.1f} s", f"{floor_s:.1f} s", f"{initial / floor_s:.2f}", "< 30 s"))
    print(rows[-1], file=sys.stderr)
    # the pull's opening process is the one child ended so far (Linux: KiB)
    opener_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows.append(("the opening process's peak memory", f"{opener_mb:.0f} MB", "", "", ""))

    # --- incremental syncs of 10 changes ---------------------------------------------
    a = reopen("a")
    with a.reading() as s:
        ids = list(s.scalars(select(OperationRow.entity_id).where(
            OperationRow.kind == "person", OperationRow.action == "create").limit(500)))
    rng = random.Random(args.seed)
    push_t: list[float] = []
    pull_t: list[float] = []
    requests: list[int] = []
    counting_a, counting_b = Counting(), Counting()
    for n in range(args.rounds):
        with a.writing() as w:
            for pid in rng.sample(ids, 10):
                w.update(Person, pid, address=f"{n} Bench Street")  # always a change
        t0 = time.perf_counter()
        run(engine.sync(a, transport=counting_a))
        push_t.append(time.perf_counter() - t0)
        Counting.requests = 0
        t0 = time.perf_counter()
        got = run(engine.sync(b, transport=counting_b))
        pull_t.append(time.perf_counter() - t0)
        requests.append(Counting.requests)
        assert got.applied == 10, got
    for what, samples in (("incremental sync, push 10 changes", push_t),
                          ("incremental sync, pull 10 changes", pull_t)):
        p50, p95 = percentiles(samples)
        rows.append((what, f"p50 {p50:.0f} ms, p95 {p95:.0f} ms", "", "", "< 300 ms p95"))
    rows.append(("HTTP requests per sync that pulls 10", f"{statistics.median(requests):.0f}",
                 "", "", "team, pull, digest"))
    a.close()
    b.close()
    return rows


if __name__ == "__main__":
    main()
