"""What "saved means saved" costs: one field edit with synchronous NORMAL and FULL.

Builds a demo caseload in a temporary EOLCARE_HOME (on the same disk as the
profiles would be: set TMPDIR to choose), then, in the same run and on the same
file, times the store's save of one field edit and a floor: bare SQLCipher
(sqlcipher3, same key and pragmas) updating one row and committing. Each with
the WAL synced at every commit (FULL, what eolcare uses) and without (NORMAL, what
it used before). Then one automatic backup (copy, integrity check, rotation)
against a bare backup-API copy. Run from the repository root:

    .venv/bin/python bench/durability_bench.py [--people N] [--iterations N]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import sqlcipher3
from sqlalchemy import select

from eolcare import demo
from eolcare.domain.entities import Person
from eolcare.domain.jobs import run
from eolcare.domain.values import Coded
from eolcare.store import engine as engines
from eolcare.store import vault
from eolcare.store.database import Store, create_profile, unlock_with_passphrase
from eolcare.store.profiles import Profile
from eolcare.store.tables import ENTITY_TABLES

PASSPHRASE = "benchmark passphrase, not a secret"
PLACES = ("110481000000108", "108401000000102", "710571000000101", "89761000000106")
TARGET_MS = 10.0


def percentiles(samples: Sequence[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples) * 1000, cuts[18] * 1000


def timed(action: Callable[[], object], iterations: int) -> list[float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def store_saves(profile: Profile, key: bytes, ids: list[str], iterations: int) -> list[float]:
    rng = random.Random(7)
    edits = itertools.count()
    people = itertools.cycle(ids)
    with Store(profile, key) as store:
        def save() -> object:
            with store.writing() as w:
                return w.update(Person, next(people), preferred_place_of_death=Coded(
                    rng.choice(PLACES), f"Changed in the benchmark ({next(edits)})"))
        return timed(save, iterations)


def floor_saves(profile: Profile, key: bytes, ids: list[str], iterations: int,
                synchronous: str) -> list[float]:
    """Bare SQLCipher: one row updated and committed, same key and pragmas as the store."""
    conn = sqlcipher3.connect(str(profile.db_path), isolation_level=None)
    try:
        engines.unlock(conn, key, engines.page_size_of(profile.db_path.resolve().as_uri(), key))
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        conn.execute("PRAGMA cache_size = -65536")
        edits = itertools.count()
        people = itertools.cycle(ids)

        def save() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE person SET preferred_place_of_death_text = ? WHERE id = ?",
                         (f"floor {next(edits)}", next(people)))
            conn.execute("COMMIT")

        return timed(save, iterations)
    finally:
        conn.close()


def backup_times(profile: Profile, key: bytes, tmp: str) -> tuple[float, float, int]:
    """The store's backup (copy, integrity check, rotation) against a bare backup-API copy."""
    with Store(profile, key) as store:
        started = time.perf_counter()
        made = store.backup_now()
        ours = time.perf_counter() - started
    source = sqlcipher3.connect(str(profile.db_path))
    target = sqlcipher3.connect(str(Path(tmp) / "floor.db"))
    try:
        size = engines.page_size_of(profile.db_path.resolve().as_uri(), key)
        for conn in (source, target):
            engines.unlock(conn, key, size)
        started = time.perf_counter()
        source.backup(target)
        floor = time.perf_counter() - started
    finally:
        source.close()
        target.close()
    return ours, floor, made.size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1580)
    args = parser.parse_args(argv)
    rows = [("figure", "synchronous", "p50 ms", "p95 ms", "floor p50", "floor p95",
             "ratio p95", "target")]
    with tempfile.TemporaryDirectory(prefix="eolcare-durability-") as home:
        os.environ["EOLCARE_HOME"] = home
        profile, _ = create_profile("bench", "Benchmark", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
        key = unlock_with_passphrase(profile, PASSPHRASE, use_keyring=False)
        with Store(profile, key) as store:
            run(demo.generate(store, args.people, seed=args.seed))
            with store.reading() as s:
                ids = list(s.scalars(select(ENTITY_TABLES["person"].c.id)))
        random.Random(args.seed).shuffle(ids)
        ok = True
        for level in ("NORMAL", "FULL"):
            engines.SYNCHRONOUS = level
            saves = percentiles(store_saves(profile, key, ids, args.iterations))
            floor = percentiles(floor_saves(profile, key, ids, args.iterations, level))
            rows.append((f"save one field edit ({args.people:,} people)", level,
                         f"{saves[0]:.2f}", f"{saves[1]:.2f}", f"{floor[0]:.2f}",
                         f"{floor[1]:.2f}", f"{saves[1] / floor[1]:.1f}",
                         f"p95 < {TARGET_MS:g} ms"))
            ok = ok and (level != "FULL" or saves[1] < TARGET_MS)
        ours, floor_s, size = backup_times(profile, key, home)
        rows.append((f"backup, checked ({size / 1e6:.0f} MB)", "FULL", f"{ours * 1000:.0f}", "",
                     f"{floor_s * 1000:.0f}", "", f"{ours / floor_s:.1f}", "(on close)"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
