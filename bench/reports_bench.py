"""Benchmark of the printouts and handover packs (issue 10).

    .venv/bin/python bench/reports_bench.py [--people 200] [--small 50] [--runs 15]

Figures, each with a floor measured in the same run:
  family summary        median of RUNS; floor: a bare ReportLab document (Helvetica,
                        no embedding, no tables) of the same pages and text
  professional summary  median of RUNS; same kind of floor
  handover pack         PEOPLE people, and SMALL people: time and peak memory (each in a
                        fresh process; peak RSS must not grow with the number of people)
  import                the PEOPLE pack into an empty profile; floor: bulk.add_many of
                        the same entities (no ZIP, no FHIR)
All data is the synthetic demo caseload.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

PASS = "bench passphrase"
PACK_PASS = "bench pack passphrase"
TODAY = date(2026, 3, 2)


def _store(home: Path, name: str, people: int = 0) -> Any:
    os.environ["EOLCARE_HOME"] = str(home)
    from eolcare import demo
    from eolcare.domain.jobs import run
    from eolcare.store import vault
    from eolcare.store.database import Store, create_profile
    from eolcare.store.profiles import find_profile

    try:
        profile = find_profile(name)
    except Exception:
        profile, _ = create_profile(name, "Bench Coordinator", PASS, vault.KDF_FAST_FOR_TESTS)
        if people:
            with Store(profile, vault.unlock(profile.vault_path, PASS)) as store:
                run(demo.generate(store, people, seed=11, today=TODAY))
    return Store(profile, vault.unlock(profile.vault_path, PASS))


def _ids(store: Any, count: int) -> list[str]:
    from eolcare.store import caseload

    with store.reading() as s:
        return [p.id for p in caseload.list_people(s, include_ended=True)][:count]


def _median_ms(fn: Any, runs: int) -> float:
    fn()  # warm: fonts registered, caches filled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _bare(pages: list[str]) -> bytes:
    """The same pages and text as a bare ReportLab document: Helvetica, paragraphs only."""
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["BodyText"]
    story: list[Any] = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        story += [Paragraph(escape(line), style) for line in page.splitlines() if line.strip()]
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build(story)
    return buf.getvalue()


def bench_summaries(store: Any, person_id: str, runs: int) -> list[tuple[str, float, float,
                                                                            str]]:
    import pypdf

    from eolcare.reports import family, professional, summaries

    rec, changes = summaries.read(store, person_id)
    printed = datetime.now().astimezone()
    rows = []
    for name, writer, target in (("family summary", family.write, 150),
                                 ("professional summary", professional.write, 300)):
        def make(writer: Any = writer) -> bytes:
            buf = io.BytesIO()
            writer(rec, changes, buf, today=TODAY, printed=printed)
            return buf.getvalue()

        pdf = make()
        pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
        ours = _median_ms(make, runs)
        floor = _median_ms(lambda pages=pages: _bare(pages), runs)
        rows.append((f"{name} ({len(pages)} pages), median ms", ours, floor, f"< {target}"))
    return rows


def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def child_pack(home: Path, people: int, out: Path) -> None:
    from eolcare.domain.jobs import run
    from eolcare.reports import pack

    store = _store(home, "source")
    ids = _ids(store, people)
    start = time.perf_counter()
    summary = run(pack.write_pack(store, ids, out, PACK_PASS, today=TODAY))
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "people": summary.people,
                      "bytes": summary.bytes}))


def child_import(home: Path, pack_path: Path) -> None:
    from eolcare.domain.jobs import run
    from eolcare.reports import fhir, importer
    from eolcare.store import bulk

    store = _store(home, "receiver")
    start = time.perf_counter()
    result = run(importer.import_pack(store, pack_path, PACK_PASS, today=TODAY))
    seconds = time.perf_counter() - start
    # floor: the same entities added with bulk.add_many into another empty profile
    import pyzipper

    with pyzipper.AESZipFile(pack_path) as zf:
        zf.setpassword(PACK_PASS.encode())
        entities: list[Any] = []
        seen: set[str] = set()
        for name in zf.namelist():
            if name.endswith("record.fhir.json"):
                got = fhir.read_bundle(json.loads(zf.read(name)))
                for e in got.entities():
                    if e.id not in seen:
                        seen.add(e.id)
                        entities.append(e)
    floor_store = _store(home, "floor")
    start = time.perf_counter()
    with floor_store.writing(TODAY) as w:
        bulk.add_many(w, entities)
    floor = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "floor": floor, "people": result.added_people}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, home, *rest = args.child
        if kind == "pack":
            child_pack(Path(home), int(rest[0]), Path(rest[1]))
        else:
            child_import(Path(home), Path(rest[0]))
        return

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        store = _store(home, "source", people=args.people)
        ids = _ids(store, args.people)
        # the summaries: the person with the longest history (the slowest printout)
        from eolcare.store import caseload

        with store.reading() as s:
            person = max(ids[:40], key=lambda i: len(caseload.history(s, i)))
        rows = bench_summaries(store, person, args.runs)
        store.close()
        small = _child(["--child", "pack", str(home), str(args.small), str(home / "s.zip")])
        large = _child(["--child", "pack", str(home), str(args.people), str(home / "l.zip")])
        imported = _child(["--child", "import", str(home), str(home / "l.zip")])

    def line(name: str, ours: float, floor: float | None = None, target: str = "") -> None:
        ratio = f"{ours / floor:7.2f}" if floor else " " * 7
        shown = f"{floor:10.1f}" if floor is not None else " " * 10
        print(f"{name:58} {ours:10.1f} {shown} {ratio} {target:>10}")

    print(f"{'figure':58} {'eolcare':>10} {'floor':>10} {'ratio':>7} {'target':>10}")
    for name, ours, floor, target in rows:
        line(name, ours, floor, target)
    n_large, n_small = large["people"], small["people"]
    line(f"handover pack, {n_large} people, s", large["seconds"], target="< 20")
    line("  per person, ms", 1000 * large["seconds"] / n_large)
    line("import of that pack, s (floor: bulk.add_many alone)", imported["seconds"],
         imported["floor"], "< 20")
    line(f"peak memory, pack of {n_small} people, MB", small["peak_mb"])
    line(f"peak memory, pack of {n_large} people, MB (ratio to {n_small})", large["peak_mb"],
         small["peak_mb"], "flat")
    print(f"pack size: {large['bytes'] / 1e6:.1f} MB for {n_large} people")

if __name__ == "__main__":
    main()
