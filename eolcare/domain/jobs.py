"""Long jobs as plain generators: progress out, cancel between steps.

A long job (a demo caseload, an import, a handover pack, a first sync) is a
generator that yields :class:`Progress` after each step and *returns* its
result. The command line drives it with a progress bar; the window runs it on
a worker thread and turns each yield into a signal. Nothing here knows Qt.

Cancelling is closing the generator between steps (``job.close()``): Python
raises ``GeneratorExit`` at the ``yield`` the job is paused on, so every
``with store.writing()`` still open inside it rolls back. A job therefore
yields only where stopping leaves nothing half-written, and cleans up after
itself in ``finally`` (napari's generator workers and Anki's ``CollectionOp``
are the models).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

from eolcare.domain.errors import EolcareError

R = TypeVar("R")


@dataclass(frozen=True)
class Progress:
    """How far a job has got: ``done`` of ``total`` steps (``total`` 0: unknown)."""

    done: int
    total: int
    what: str = ""

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total > 0 else None


#: A job: yields progress, returns its result.
Job = Generator[Progress, None, R]


class CancelledError(EolcareError):
    """A long job was stopped before it finished; nothing half-done was kept."""

    exit_code = 130


def run(job: Job[R], on_progress: Callable[[Progress], object] | None = None,
        should_stop: Callable[[], bool] | None = None) -> R:
    """Drive ``job`` to the end and return its result.

    ``on_progress`` sees every step; when ``should_stop()`` turns true the job
    is closed at its current step and :class:`CancelledError` is raised.
    An exception inside ``on_progress`` (Ctrl-C in a terminal) closes the job too.
    """
    try:
        while True:
            try:
                step = next(job)
            except StopIteration as done:
                return done.value
            if on_progress is not None:
                on_progress(step)
            if should_stop is not None and should_stop():
                raise CancelledError("Stopped before the end; nothing half-done was kept.")
    finally:
        job.close()
