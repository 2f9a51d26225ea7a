"""The Qt binding installed is one the window can live with for a whole working day."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_emitting_a_signal_many_times_keeps_reference_counts_whole() -> None:
    """PySide6 6.12.0's ``emit()`` returned a bool it did not own: each emit took one
    reference from True or False, and on Python 3.11 a few thousand emits crashed the
    process (pyproject.toml excludes that release)."""
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(2000):
        emitter.fired.emit(7)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(received) == 2000
    # a leak or a theft of one reference per emit would move these by 2,000
    assert all(abs(a - b) < 100 for a, b in zip(after, before, strict=True))
