"""Load benchmark of the sync server, with the load generator in a separate process.

    .venv/bin/python bench/server_load.py --db postgres     # needs EOLCARE_TEST_PG_URL
    .venv/bin/python bench/server_load.py --db sqlite

Phases (each bounded in time):
  sustained   N clients, each an incremental sync (push 5 ops, pull) once a second
  saturation  the same clients with no pause: sync cycles per second held
  push        raw push throughput (batches of 500) into one team, one server process
  pull        a new device pulls the whole team log (limit 1000 a page)

The server runs as `eolcare-server serve` (uvicorn) on loopback; this script
sets up accounts and teams over HTTP exactly as clients would, then starts
`server_load.py --generate` as its own process, which prints JSON results.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from eolcare.server.config import Settings, write_config
from eolcare.server.scratch import free_port, scratch_database
from eolcare.sync import crypto
from eolcare.sync.client_api import AccountKeys, SyncApi

TEAM_SIZE = 10
OPS_PER_SYNC = 5
BLOB_BYTES = 256  # a typical encrypted field change
PUSH_BATCH = 500
BENCH_LIMITS = {"login_per_account": 10**6, "login_per_address": 10**6,
                "lookups_per_account": 10**6, "lookups_per_address": 10**6,
                "anonymous_per_address": 10**6}


@dataclass(frozen=True)
class Client:
    token: str
    team_id: str


# --- the load generator (separate process) --------------------------------


def _ops(n: int) -> dict[str, Any]:
    return {"ops": [{"op_id": str(uuid.uuid4()), "record_id": str(uuid.uuid4()), "epoch": 1,
                     "blob": base64.b64encode(os.urandom(BLOB_BYTES)).decode()}
                    for _ in range(n)]}


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.finished: list[float] = []  # when each cycle ended, to find slow seconds
        self.errors = 0
        self.error_kinds: dict[str, int] = {}

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


class Connection:
    """A minimal keep-alive HTTP/1.1 client: the generator must cost far less CPU than
    the server it measures (httpx's async client alone saturated a core here)."""

    def __init__(self, url: str) -> None:
        parsed = httpx.URL(url)
        self.host, self.port = parsed.host, parsed.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, token: str,
                      body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        try:
            self.writer.write(head.encode() + body)
            status = int((await self.reader.readline()).split()[1])
            length, close = 0, False
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    close = True
            data = await self.reader.readexactly(length)
        except (OSError, IndexError, ValueError, asyncio.IncompleteReadError):
            self.close()
            raise
        if close:
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _sync_once(conn: Connection, c: Client, cursor: int, tally: Tally,
                     start: float) -> int:
    """One incremental sync: push 5 ops, then pull everything after the cursor.

    Latency counts from `start`, the time the cycle was due, so a client that
    falls behind its schedule counts the wait too (no coordinated omission).
    """
    base = f"/v1/teams/{c.team_id}/changes"
    try:
        status, _ = await conn.request("POST", base, c.token,
                                       json.dumps(_ops(OPS_PER_SYNC)).encode())
        if status != 200:
            tally.error(f"push {status}")
            return cursor
        more = True
        while more:
            status, data = await conn.request("GET", f"{base}?after={cursor}&limit=1000",
                                              c.token)
            if status != 200:
                tally.error(f"pull {status}")
                return cursor
            page = json.loads(data)
            if page["changes"]:
                cursor = page["changes"][-1]["seq"]
            more = page["more"]
    except (OSError, IndexError, ValueError, asyncio.IncompleteReadError) as exc:
        tally.error(type(exc).__name__)
        return cursor
    end = time.perf_counter()
    tally.latencies.append(end - start)
    tally.finished.append(end)
    return cursor


async def _clients_loop(url: str, clients: list[Client], seconds: float,
                        period: float) -> dict[str, Any]:
    tally = Tally()
    conns = [Connection(url) for _ in clients]
    # each client starts from the current head, as an up-to-date laptop would
    cursors = [await _head(conn, c) for conn, c in zip(conns, clients, strict=True)]
    # warm-up, not measured: one sync per client, so the server's statement caches, its
    # prepared statements and PostgreSQL's catalog caches are filled, as on a server
    # that has been running; then a second's pause
    warm_up = Tally()
    cursors = list(await asyncio.gather(*(
        _sync_once(conn, c, cursor, warm_up, time.perf_counter())
        for conn, c, cursor in zip(conns, clients, cursors, strict=True))))
    if warm_up.errors:
        raise SystemExit(f"warm-up failed: {warm_up.error_kinds}")
    await asyncio.sleep(1.0)
    start = time.perf_counter()
    end = start + seconds

    async def run(i: int, c: Client) -> None:
        cursor = cursors[i]
        if not period:  # saturation: the next cycle as soon as the last one ends
            while time.perf_counter() < end:
                cursor = await _sync_once(conns[i], c, cursor, tally, time.perf_counter())
            return
        # sustained: cycle k is due at a fixed time (starts spread over the first period);
        # a late cycle starts at once and its latency includes the time it was late
        due = start + period * i / len(clients)
        while due < end:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            cursor = await _sync_once(conns[i], c, cursor, tally, due)
            due += period

    cpu = time.process_time()
    await asyncio.gather(*(run(i, c) for i, c in enumerate(clients)))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    for conn in conns:
        conn.close()
    lat = sorted(tally.latencies)
    # seconds of the run in which some cycle took over 250 ms (stalls vs steady queueing)
    slow = {int(t - start) for t, d in zip(tally.finished, tally.latencies, strict=True)
            if d > 0.25}
    return {
        "seconds_with_a_cycle_over_250ms": len(slow),
        "slow_seconds": sorted(slow), "started_at": round(time.time() - elapsed, 1),
        "cycles": len(lat), "errors": tally.errors, "error_kinds": tally.error_kinds,
        "generator_cpu_ms_per_cycle": round(1000 * cpu / max(len(lat), 1), 2),
        "seconds": round(elapsed, 1), "cycles_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(1000 * lat[len(lat) // 2], 1) if lat else None,
        "p99_ms": round(1000 * lat[int(len(lat) * 0.99)], 1) if lat else None,
        "mean_ms": round(1000 * statistics.fmean(lat), 1) if lat else None,
    }


async def _head(conn: Connection, c: Client) -> int:
    status, data = await conn.request("GET", f"/v1/teams/{c.team_id}/digest", c.token)
    assert status == 200, data
    head: int = json.loads(data)["seq"]
    return head


async def _push_flood(url: str, pushers: list[Client], total: int) -> dict[str, Any]:
    """Push `total` ops in batches of 500 from concurrent clients into one team."""
    queue = [json.dumps(_ops(PUSH_BATCH)).encode() for _ in range(total // PUSH_BATCH)]
    batches, errors = len(queue), 0
    start = time.perf_counter()

    async def run(c: Client) -> None:
        nonlocal errors
        conn = Connection(url)
        while queue:
            status, _ = await conn.request("POST", f"/v1/teams/{c.team_id}/changes", c.token,
                                           queue.pop())
            errors += status != 200
        conn.close()

    await asyncio.gather(*(run(c) for c in pushers))
    elapsed = time.perf_counter() - start
    ops = batches * PUSH_BATCH
    return {"ops": ops, "errors": errors, "seconds": round(elapsed, 1),
            "ops_per_s": round(ops / elapsed)}


async def _full_pull(url: str, reader: Client) -> dict[str, Any]:
    conn = Connection(url)
    cursor, count, errors = 0, 0, 0
    start = time.perf_counter()
    while True:
        status, data = await conn.request(
            "GET", f"/v1/teams/{reader.team_id}/changes?after={cursor}&limit=1000", reader.token)
        if status != 200:
            errors += 1
            break
        page = json.loads(data)
        count += len(page["changes"])
        if page["changes"]:
            cursor = page["changes"][-1]["seq"]
        if not page["more"]:
            break
    elapsed = time.perf_counter() - start
    conn.close()
    return {"ops": count, "errors": errors, "seconds": round(elapsed, 1),
            "ops_per_s": round(count / elapsed)}


def generate(spec_path: Path) -> None:
    spec = json.loads(spec_path.read_text())
    url = spec["url"]
    clients = [Client(**c) for c in spec["clients"]]
    mode = spec["mode"]
    if mode == "sustained":
        result = _clients_loop(url, clients, spec["seconds"], period=1.0)
    elif mode == "saturation":
        result = _clients_loop(url, clients, spec["seconds"], period=0.0)
    elif mode == "push":
        result = _push_flood(url, clients, spec["total"])
    else:
        result = _full_pull(url, clients[0])
    print(json.dumps(asyncio.run(result)))


# --- set-up and orchestration (this process) ------------------------------


@contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    base = os.environ.get("EOLCARE_TEST_PG_URL")
    if not base:
        sys.exit("set EOLCARE_TEST_PG_URL (tools/test prints how) for --db postgres")
    with scratch_database(base, "eolcare_bench") as url:
        yield url


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


@contextmanager
def server(settings: Settings, workdir: Path, workers: int) -> Iterator[tuple[str, int]]:
    data = workdir / f"server-{workers}w"
    data.mkdir()
    write_config(data, settings)
    port = free_port()
    with (data / "server.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "eolcare.server.cli", "serve", "--data", str(data),
             "--port", str(port), "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=log,
            # the config file never holds the database password: it comes from here
            env=os.environ | {"EOLCARE_DATABASE_URL": settings.database_url})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            proc.terminate()
            tail = (data / "server.log").read_text(errors="replace")[-12000:]
            sys.exit(f"server did not start:\n{tail}")
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def make_clients(url: str, n: int) -> list[Client]:
    """n signed-in devices in teams of TEAM_SIZE, keys sealed as a real app would."""
    clients: list[Client] = []
    with httpx.Client(base_url=url, timeout=30) as http:
        for t in range(0, n, TEAM_SIZE):
            size = min(TEAM_SIZE, n - t)
            apis, keys = [], []
            for i in range(size):
                api = SyncApi(http)
                k = AccountKeys.create(f"bench-{t + i}-{uuid.uuid4().hex[:6]}", "pw",
                                       crypto.KdfParams.new(1, 8192))
                api.register(k)
                api.login(k.username, k.login_key)
                apis.append(api)
                keys.append(k)
            team, team_key = apis[0].create_team(f"team {t}", keys[0].identity_public_key)
            for api, k in zip(apis[1:], keys[1:], strict=True):
                inv = apis[0].invite(team.team_id, apis[0].lookup(k.username), "member",
                                     {1: team_key})
                api.accept(inv.invitation_id)
            for api in apis:
                assert api.tokens is not None
                clients.append(Client(api.tokens.access_token, team.team_id))
    return clients


def run_generator(workdir: Path, spec: dict[str, Any], server_pid: int) -> dict[str, Any]:
    path = workdir / f"spec-{spec['mode']}.json"
    path.write_text(json.dumps(spec))
    cpu = cpu_seconds(server_pid)
    out = subprocess.run([sys.executable, __file__, "--generate", str(path)],
                         capture_output=True, text=True, check=True)
    cpu = cpu_seconds(server_pid) - cpu
    result: dict[str, Any] = json.loads(out.stdout)
    if result.get("cycles"):
        result["server_cpu_ms_per_cycle"] = round(1000 * cpu / result["cycles"], 2)
    result["load_average"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60, help="sustained phase length")
    parser.add_argument("--saturation-seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers for load phases")
    parser.add_argument("--pool-size", type=int, default=Settings.pool_size,
                        help="database connections (and requests at once) per process")
    parser.add_argument("--pull-ops", type=int, default=300_000)
    parser.add_argument("--phases", default="sustained,saturation,push,pull")
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return
    phases = args.phases.split(",")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, database(args.db, Path(tmp)) as url:
        workdir = Path(tmp)
        settings = replace(Settings(database_url=url, pool_size=args.pool_size), **BENCH_LIMITS)
        if {"sustained", "saturation"} & set(phases):
            with server(settings, workdir, args.workers) as (base, pid):
                clients = make_clients(base, args.clients)
                for mode, seconds in (("sustained", args.seconds),
                                      ("saturation", args.saturation_seconds)):
                    if mode in phases:
                        results[mode] = run_generator(workdir, {
                            "url": base, "mode": mode, "seconds": seconds,
                            "clients": [asdict(c) for c in clients]}, pid)
        if {"push", "pull"} & set(phases):
            with server(settings, workdir, 1) as (base, pid):
                team = make_clients(base, 4)
                results["push"] = run_generator(workdir, {
                    "url": base, "mode": "push", "total": args.pull_ops,
                    "clients": [asdict(c) for c in team]}, pid)
                if "pull" in phases:  # from seq 0, as a newly signed-in device does
                    results["pull"] = run_generator(workdir, {
                        "url": base, "mode": "pull", "clients": [asdict(team[-1])]}, pid)
    report(args, results)


def report(args: argparse.Namespace, results: dict[str, Any]) -> None:
    print(f"\nSync server on {args.db}, {os.cpu_count()} cores, "
          f"{args.workers} workers for sync load, 1 for push/pull")
    rows: list[tuple[str, str, str]] = []
    if s := results.get("sustained"):
        rows += [
            (f"sustained {args.clients} clients, 1 sync/s: p50", f"{s['p50_ms']} ms", ""),
            ("sustained: p99", f"{s['p99_ms']} ms", "< 250 ms"),
            ("sustained: syncs / errors", f"{s['cycles']} / {s['errors']}", "0 errors"),
            ("sustained: CPU ms/cycle server / generator",
             f"{s.get('server_cpu_ms_per_cycle')} / {s['generator_cpu_ms_per_cycle']}", ""),
        ]
    if s := results.get("saturation"):
        rows += [("saturation: sync cycles/s", f"{s['cycles_per_s']}", ""),
                 ("saturation: p50 / p99", f"{s['p50_ms']} / {s['p99_ms']} ms", ""),
                 ("saturation: errors", f"{s['errors']}", "0")]
    if s := results.get("push"):
        rows += [("raw push (1 process)", f"{s['ops_per_s']} ops/s", "> 5000 ops/s"),
                 ("raw push: errors", f"{s['errors']}", "0")]
    if s := results.get("pull"):
        rows += [(f"full pull of {s['ops']} ops", f"{s['ops_per_s']} ops/s "
                  f"({s['seconds']} s)", "")]
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"  {name:<{width}}  {value:>22}  {target}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
