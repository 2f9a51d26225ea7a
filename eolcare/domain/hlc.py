"""Hybrid logical clock: timestamps that order edits across devices.

A stamp is (wall milliseconds, counter, device). It never goes backwards on a
device even when the wall clock does, it moves past every stamp the device has
seen from others, and it sorts the same way as text, so the store can index
and compare stamps as strings. Ties between devices break on the device id,
which makes "last writer wins" deterministic everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from eolcare.domain.errors import ClockError

#: A stamp from another device further ahead of our clock than this is refused.
MAX_DRIFT_MS = 5 * 60 * 1000
_COUNTER_DIGITS = 6


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:015d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        try:
            wall, counter, device = text.split("-", 2)
            return cls(int(wall), int(counter), device)
        except ValueError:
            raise ClockError("A change carries a clock stamp that cannot be read.") from None


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """The HLC of one device. Not thread-safe: the store uses one per writer."""

    def __init__(self, device: str, last: Stamp | None = None,
                 wall: Callable[[], int] = _wall_ms) -> None:
        if "-" in device or not device:
            raise ValueError("a device id is a non-empty text without '-'")
        self.device = device
        self._wall = wall
        self._last = last or Stamp(0, 0, device)

    @property
    def last(self) -> Stamp:
        return self._last

    def now(self) -> Stamp:
        """A new stamp, later than every stamp this clock has issued or seen."""
        wall = self._wall()
        if wall > self._last.wall_ms:
            stamp = Stamp(wall, 0, self.device)
        elif self._last.counter + 1 < 10**_COUNTER_DIGITS:
            stamp = Stamp(self._last.wall_ms, self._last.counter + 1, self.device)
        else:  # the counter is full: step the logical millisecond on, so text still sorts
            stamp = Stamp(self._last.wall_ms + 1, 0, self.device)
        self._last = stamp
        return stamp

    def observe(self, remote: Stamp) -> None:
        """Move past a stamp received from another device (on sync).

        Raises ClockError when the stamp is more than ``MAX_DRIFT_MS`` ahead of
        this device's clock: one device with a wrong clock must not drag every
        later edit of the team into the future.
        """
        wall = self._wall()
        if remote.wall_ms > wall + MAX_DRIFT_MS:
            minutes = (remote.wall_ms - wall) // 60_000
            raise ClockError(
                f"A change from another device is stamped {minutes} minutes ahead of this "
                "computer's clock. Check the date and time on both devices, then sync again."
            )
        if remote.wall_ms > self._last.wall_ms or (
            remote.wall_ms == self._last.wall_ms and remote.counter > self._last.counter
        ):
            self._last = Stamp(remote.wall_ms, remote.counter, self.device)
