"""How fast the local store is with a large caseload: search, load, save, generate.

Builds a synthetic demo caseload (20,000 people by default) in a temporary
EOLCARE_HOME, then times the everyday actions many times over and prints a
table of p50 / p95 against the targets. Run from the repository root:

    .venv/bin/python bench/store_bench.py [--people N] [--iterations N] [--seed N]
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
from dataclasses import dataclass

from sqlalchemy import func, select

from eolcare import demo
from eolcare.domain.entities import Person
from eolcare.domain.jobs import Progress, run
from eolcare.domain.values import Coded
from eolcare.store import caseload, vault
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.tables import ENTITY_TABLES, FieldChangeRow, OperationRow

PASSPHRASE = "benchmark passphrase, not a secret"
PLACES = ("110481000000108", "108401000000102", "710571000000101", "89761000000106")


@dataclass(frozen=True)
class Figure:
    name: str
    measured: str
    target: str
    ok: bool
    floor: str = "-"  #: the same work done with the bare library, where there is one
    ratio: str = "-"


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


def latency(name: str, samples: Sequence[float], target_ms: float) -> Figure:
    p50, p95 = percentiles(samples)
    return Figure(name, f"p50 {p50:.2f} ms, p95 {p95:.2f} ms", f"p95 < {target_ms:g} ms",
                  p95 < target_ms)


def floored(name: str, samples: Sequence[float], floor: Sequence[float],
            target_ms: float) -> Figure:
    """A latency figure beside the same query run as plain SQL on the raw SQLCipher
    connection (the floor), timed in the same run."""
    figure = latency(name, samples, target_ms)
    p50, floor_p50 = statistics.median(samples), statistics.median(floor)
    return Figure(figure.name, figure.measured, figure.target, figure.ok,
                  f"p50 {floor_p50 * 1000:.2f} ms", f"{p50 / floor_p50:.1f}x")


def sample_people(store: Store, count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(id, full name, NHS number) of people picked at random from the caseload."""
    people = ENTITY_TABLES["person"]
    with store.reading() as s:
        rows = s.execute(select(people.c.id, people.c.full_name, people.c.nhs_number)
                         .where(people.c.nhs_number.is_not(None))).all()
    return [tuple(r) for r in rng.sample(rows, min(count, len(rows)))]  # type: ignore[misc]


def name_queries(people: Sequence[tuple[str, str, str]], rng: random.Random) -> list[str]:
    """What a coordinator types: a surname, or the first letters of one or two names."""
    queries = []
    for _, name, _ in people:
        words = name.split()
        surname = words[-1]
        choice = rng.random()
        if choice < 0.4:
            queries.append(surname)
        elif choice < 0.7:
            queries.append(surname[: rng.randint(2, max(2, len(surname)))])
        else:
            queries.append(f"{words[0][:3]} {surname[:3]}")
    return queries


def measure(store: Store, iterations: int, seed: int) -> list[Figure]:
    rng = random.Random(seed)
    people = sample_people(store, iterations, rng)
    names = iter(name_queries(people, rng) * 2)
    numbers = iter([nhs for _, _, nhs in people] * 2)
    ids = iter([pid for pid, _, _ in people] * 2)

    def search(queries: object) -> Callable[[], object]:
        def run() -> object:
            with store.reading() as s:
                return caseload.find_people(s, next(queries))  # type: ignore[call-overload]
        return run

    def load() -> object:
        with store.reading() as s:
            return caseload.load_record(s, next(ids))

    edits = itertools.count()

    def save() -> object:  # every call a real change (the text differs), never a no-op
        with store.writing() as w:
            return w.update(Person, next(ids), preferred_place_of_death=Coded(
                rng.choice(PLACES), f"Changed in the benchmark ({next(edits)})"))

    return [
        latency("search by name", timed(search(names), iterations), 20),
        latency("search by NHS number", timed(search(numbers), iterations), 20),
        latency("load one person's record", timed(load, iterations), 30),
        latency("save one field edit", timed(save, iterations), 10),
        *measure_caseload(store, max(20, iterations // 10), rng),
    ]


#: What person_ids(CaseloadFilter(), "name") runs, written by hand: the floor.
_BARE_IDS = ("SELECT id FROM person WHERE deleted_stamp IS NULL AND (status_code IS NULL "
             "OR status_code NOT IN ('died', 'discharged')) ORDER BY full_name, id")
_BARE_COUNT = _BARE_IDS.replace("SELECT id", "SELECT count(*)").replace(
    " ORDER BY full_name, id", "")


def measure_caseload(store: Store, iterations: int, rng: random.Random) -> list[Figure]:
    """The window's caseload table: the ordered ids of a filter, its count, a page of rows."""
    everyone = caseload.CaseloadFilter()
    overdue = caseload.CaseloadFilter(reviews_overdue=True, include_ended=True)
    with store.reading() as s:
        ids = caseload.person_ids(s, everyone)

    def ids_by(flt: caseload.CaseloadFilter, sort: str) -> Callable[[], object]:
        def run() -> object:
            with store.reading() as s:
                return caseload.person_ids(s, flt, sort)
        return run

    def count() -> object:
        with store.reading() as s:
            return caseload.count_people(s, everyone)

    def page() -> object:
        start = rng.randrange(0, max(1, len(ids) - 50))
        with store.reading() as s:
            return caseload.summaries(s, ids[start:start + 50])

    def bare(sql: str) -> Callable[[], object]:
        def run() -> object:
            with store.engine.connect() as conn:
                return conn.exec_driver_sql(sql).fetchall()
        return run

    return [
        floored(f"caseload ids by name ({len(ids):,})", timed(ids_by(everyone, "name"), iterations),
                timed(bare(_BARE_IDS), iterations), 50),
        latency("caseload ids by next review", timed(ids_by(everyone, "next_review"),
                                                     iterations), 150),
        latency("caseload ids, reviews overdue", timed(ids_by(overdue, "name"), iterations), 100),
        floored("caseload count", timed(count, iterations), timed(bare(_BARE_COUNT), iterations),
                50),
        latency("summaries of a 50-row page", timed(page, iterations * 5), 20),
    ]


def totals(store: Store) -> str:
    with store.reading() as s:
        entities = sum(s.scalar(select(func.count()).select_from(t)) or 0
                       for t in ENTITY_TABLES.values())
        operations = s.scalar(select(func.count()).select_from(OperationRow))
        history = s.scalar(select(func.count()).select_from(FieldChangeRow))
    return f"{entities:,} entities, {operations:,} operations, {history:,} field-history rows"


def print_table(figures: Sequence[Figure]) -> None:
    rows = [("figure", "measured", "floor", "ratio", "target", "ok")]
    rows += [(f.name, f.measured, f.floor, f.ratio, f.target, "yes" if f.ok else "NO")
             for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1580)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eolcare-bench-") as home:
        os.environ["EOLCARE_HOME"] = home
        create_profile("bench", "Benchmark", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
        with open_profile("bench", lambda: PASSPHRASE, use_keyring=False) as store:
            summary = run(demo.generate(store, args.people, seed=args.seed), _progress)
            print(file=sys.stderr)
            generated = Figure(f"generate {args.people:,} people",
                               f"{summary.seconds:.1f} s", "< 90 s", summary.seconds < 90)
            figures = [generated, *measure(store, args.iterations, args.seed)]
            print(f"caseload: {totals(store)}")
    print_table(figures)
    return 0 if all(f.ok for f in figures) else 1


def _progress(step: Progress) -> None:
    print(f"\rgenerating: {step.done:,} / {step.total:,} people", end="", file=sys.stderr,
          flush=True)


if __name__ == "__main__":
    sys.exit(main())
