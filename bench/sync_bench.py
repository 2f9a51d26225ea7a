"""How fast team sync is on loopback: a large team's first sync, and small syncs.

Starts a real `eolcare-server` (embedded SQLite) on loopback in a temporary
folder, fills laptop A with a synthetic caseload (20,000 people by default,
about 300,000 operations) and pushes it (set-up, timed but not a target).
Then:

- **initial sync**: laptop B joins the team and syncs everything, against the
  floor measured in the same run: the same changes (already in memory)
  decrypted and received into a fresh SQLCipher profile through the same
  receive path, with no network and no server;
- **incremental sync**: A edits 10 fields and syncs (push), B syncs (pull),
  many times; p50 / p95 of each, and the HTTP requests one sync makes.

Run from the repository root (the machine's load matters; note `uptime`):

    .venv/bin/python bench/sync_bench.py [--people N] [--rounds N] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import func, select

from eolcare.domain.entities import Person
from eolcare.domain.jobs import run
from eolcare.domain.values import Coded
from eolcare.store import accounts, demo, inbox, vault
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.tables import OperationRow
from eolcare.sync import account, engine, payload, protocol, teams

PASSPHRASE = "benchmark passphrase, not a secret"
PLACES = ("110481000000108", "108401000000102", "710571000000101", "89761000000106")
POLICY = account.FAST_KDF_FOR_TESTS  # the KDF is not what is measured


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(folder: Path) -> Iterator[str]:
    data = folder / "server"
    cli = [sys.executable, "-m", "eolcare.server.cli"]
    subprocess.run([*cli, "init", "--data", str(data)], check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([*cli, "serve", "--data", str(data), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=40, help="incremental syncs measured")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, server(Path(tmp)) as url:
        os.environ["EOLCARE_HOME"] = str(Path(tmp) / "home")
        a, b = laptop("a", "Ann Abbott"), laptop("b", "Ben Bello")
        t0 = time.perf_counter()
        demo.generate(a, args.people, seed=args.seed)
        generated = time.perf_counter() - t0
        with a.reading() as s:
            ops = s.scalar(select(func.count(OperationRow.seq))) or 0
        print(f"generated {args.people:,} people, {ops:,} operations in {generated:.1f} s",
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

        # --- initial sync of B, then the floor with the same changes --------------------
        t0 = time.perf_counter()
        first = run(engine.sync(b))
        initial = time.perf_counter() - t0
        team = teams.my_team(b)
        with b.reading() as s:
            keys = accounts.team_keys(s, team.team_id)
        with account.connect(b) as conn:
            changes = conn.call(lambda: conn.api.pull_all(team.team_id))
        c = laptop("c", "Cat Chen")
        t0 = time.perf_counter()
        for i in range(0, len(changes), protocol.MAX_PULL_LIMIT):
            page = changes[i:i + protocol.MAX_PULL_LIMIT]
            opened = [payload.open_change(team.team_id, keys[ch.epoch], ch) for ch in page]
            with c.writing() as w:
                inbox.receive(w, team.team_id, opened, page[-1].seq)
        floor = time.perf_counter() - t0
        c.close()
        rows.append((f"initial sync, {first.pulled:,} ops ({args.people:,} people)",
                     f"{initial:.1f} s", f"{floor:.1f} s", f"{initial / floor:.2f}", "< 30 s"))

        # --- incremental syncs of 10 changes ---------------------------------------------
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
                    w.update(Person, pid, preferred_place_of_death=Coded(PLACES[n % 4]))
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
    print(f"\nset-up: push of {pushed:,} ops from laptop A in {push_s:.1f} s\n")
    widths = [max(len(r[i]) for r in [*rows, ("figure", "measured", "floor", "ratio",
                                                "target")]) for i in range(5)]
    for r in [("figure", "measured", "floor", "ratio", "target"), *rows]:
        print(" | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
    print("\nuptime:", subprocess.run(["uptime"], capture_output=True, text=True,
                                    check=False).stdout.strip())


if __name__ == "__main__":
    main()
