"""How fast ``eolcare`` starts: ``--help``, and each command up to the passphrase prompt.

The start of a command is everything before the key derivation (Argon2id,
about half a second on purpose): parsing, importing what the command needs,
choosing the profile. It is measured by running the installed program with
no terminal and no passphrase file, so it stops exactly where it would ask
for the passphrase. Beside it, the floor measured in the same run: a bare
``python -c pass`` and ``python -c "import argparse"``. Target: well under
half a second (0.5 s) for each.

Run: .venv/bin/python bench/cli_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
EOLCARE = str(Path(PYTHON).with_name("eolcare"))
TARGET = 0.5

COMMANDS: list[tuple[str, list[str]]] = [
    ("eolcare --help", ["--help"]),
    ("eolcare add --help", ["add", "--help"]),
    ("list (to the prompt)", ["list"]),
    ("search (to the prompt)", ["search", "Evans"]),
    ("show (to the prompt)", ["show", "Evans"]),
    ("reviews (to the prompt)", ["reviews"]),
    ("add person (to the prompt)", ["add", "person", "full_name=Siân Evans"]),
    ("note (to the prompt)", ["note", "Evans", "Phoned"]),
    ("profiles (whole command)", ["profiles"]),
]
def _run(argv: list[str], env: dict[str, str]) -> None:
    subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)


def _timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of ``runs`` runs (one unmeasured run first: warm file caches)."""
    _run(argv, env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        _run(argv, env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _heaviest_imports(env: dict[str, str]) -> list[tuple[int, str]]:
    """The modules ``eolcare --help`` spends most importing (cumulative microseconds)."""
    done = subprocess.run([PYTHON, "-X", "importtime", "-c", "import eolcare.cli.main"],
                          env=env, capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:6]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "EOLCARE_HOME": home}
        secret = Path(home) / "pass.txt"
        secret.write_text("a long bench passphrase\n", "utf-8")
        subprocess.run([EOLCARE, "init", "--profile", "bench", "--name", "Bench",
                        "--passphrase-file", str(secret), "--no-keyring",
                        "--fast-kdf-for-tests"], env=env, capture_output=True, check=True)
        bare = _timed([PYTHON, "-c", "pass"], env, runs)
        argparse_floor = _timed([PYTHON, "-c", "import argparse"], env, runs)
        print(f"eolcare start-up, median of {runs} runs; floor measured in the same run: "
              f"python -c pass {bare * 1000:.0f} ms, python -c 'import argparse' "
              f"{argparse_floor * 1000:.0f} ms; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
        print(f"{'figure':<30} {'time':>8} {'floor':>8} {'ratio':>6} {'above floor':>12} "
              f"{'target':>8}")
        for label, args in COMMANDS:
            took = _timed([EOLCARE, *args, "--no-keyring"] if "--help" not in args
                          else [EOLCARE, *args], env, runs)
            print(f"{label:<30} {took * 1000:>6.0f}ms {argparse_floor * 1000:>6.0f}ms "
                  f"{took / argparse_floor:>5.1f}x {(took - argparse_floor) * 1000:>10.0f}ms "
                  f"{TARGET * 1000:>6.0f}ms"
                  f"{'' if took < TARGET else '  OVER'}")
        print("\nheaviest imports of the parser path (python -X importtime, cumulative):")
        for micros, name in _heaviest_imports(env):
            print(f"  {micros / 1000:>7.1f} ms  {name.strip()}")


if __name__ == "__main__":
    main()
