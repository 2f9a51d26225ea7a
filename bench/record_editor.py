"""Opening a person in the record editor and saving an edit from its form.

Builds a demo caseload in a temporary EOLCARE_HOME, then, in the same run and
on the same profile, times (offscreen Qt):

- opening a person: ``PersonEditorWidget.load(id)`` (the record, its history
  for "last changed by", conflicts, every form and list filled); floor: the
  same store reads with no widgets (``caseload.load_record`` + ``history``);
- saving an edit from the form: a coded field chosen in the preferences form,
  then ``save()`` (written against the stamps loaded, then the record shown
  again); floor: the same edit through ``Writer.update(seen=...)`` alone.

Run from the repository root:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/record_editor.py [--people N]
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from eolcare import demo
from eolcare.domain.entities import PREFERENCES, Person
from eolcare.domain.jobs import run
from eolcare.domain.values import Coded
from eolcare.store import caseload, vault
from eolcare.store.database import Store, create_profile
from eolcare.store.writes import load

PASSPHRASE = "benchmark passphrase, not a secret"
PLACES = ("110481000000108", "108401000000102", "710571000000101", "89761000000106")


def p95(samples: Sequence[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18] * 1000


def timed(action: Callable[[], object], iterations: int) -> list[float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ["EOLCARE_HOME"] = tempfile.mkdtemp(prefix="eolcare-bench-")
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from eolcare.gui.record import PersonEditorWidget

    profile, _ = create_profile("bench", "Bench Coordinator", PASSPHRASE,
                                vault.KDF_FAST_FOR_TESTS)
    with Store(profile, vault.unlock(profile.vault_path, PASSPHRASE)) as store:
        started = time.perf_counter()
        run(demo.generate(store, args.people, seed=3))
        print(f"demo caseload of {args.people:,} made in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
        with store.reading() as s:
            ids = caseload.person_ids(s)[:2000]
        rng = random.Random(5)
        editor = PersonEditorWidget(store)
        editor.resize(1280, 860)
        editor.show()
        app.processEvents()

        picks = itertools.cycle(rng.sample(ids, min(len(ids), args.iterations)))

        def floor_open() -> None:
            pid = next(picks)
            with store.reading() as s:
                caseload.load_record(s, pid)
                caseload.history(s, pid)

        def open_person() -> None:
            editor.load(next(picks))

        open_floor = timed(floor_open, args.iterations)
        open_samples = timed(open_person, args.iterations)

        places = itertools.cycle(PLACES)
        combo = editor.forms[PREFERENCES].editors["preferred_place_of_death"]

        def save_form() -> None:
            combo.set_value(Coded(next(places), "bench"))  # type: ignore[attr-defined]
            if not editor.save():
                raise RuntimeError("the form did not save")

        def floor_save() -> None:
            pid = editor.person_id
            assert pid is not None
            with store.writing() as w:
                person = load(w.session, Person, pid)
                assert person.provenance is not None
                w.update(Person, pid, seen=person.provenance.stamps,
                         preferred_place_of_death=Coded(next(places), "floor"))

        save_floor = timed(floor_save, args.iterations)
        editor.load(editor.person_id or ids[0])
        save_samples = timed(save_form, args.iterations)
        editor.close()
        editor.deleteLater()
        app.processEvents()

    rows = [
        ("opening a person (p95)", p95(open_samples), p95(open_floor), 100.0),
        ("saving an edit from the form (p95)", p95(save_samples), p95(save_floor), 50.0),
    ]
    print(f"record editor on a demo caseload of {args.people:,} people, "
          f"{args.iterations} samples each")
    print(f"{'figure':<38}{'ms':>8}{'floor ms':>10}{'ratio':>8}{'target':>10}")
    for name, value, floor, target in rows:
        mark = "ok" if value < target else "OVER"
        print(f"{name:<38}{value:>8.1f}{floor:>10.1f}{value / floor:>8.1f}"
              f"{f'< {target:.0f}':>8} {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
