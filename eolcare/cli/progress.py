"""Long jobs on the command line: a progress bar on a terminal, silence in a pipe."""

from __future__ import annotations

import sys
from typing import TypeVar

from eolcare.domain import jobs

R = TypeVar("R")


def run_with_progress(job: jobs.Job[R], description: str) -> R:
    """Run a long job to its end, drawing a progress bar on standard error when it is a
    terminal. Ctrl-C closes the job at its current step (nothing half-done is kept)."""
    if not sys.stderr.isatty():
        return jobs.run(job)
    from rich.console import Console  # only a terminal pays for importing rich
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        return jobs.run(job, lambda p: bar.update(task, completed=p.done, total=p.total or None))
