"""The help rota: when repeating slots fall, and the gaps in the coming days."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from eolcare.domain.entities import RotaSlot

_STEP = {"daily": timedelta(days=1), "weekly": timedelta(weeks=1),
         "fortnightly": timedelta(weeks=2)}


@dataclass(frozen=True)
class Occurrence:
    slot: RotaSlot
    starts_at: datetime
    ends_at: datetime

    @property
    def is_gap(self) -> bool:
        """Nobody has signed up for this slot."""
        return self.slot.helper_id is None


def occurrences(slot: RotaSlot, start: datetime, end: datetime) -> Iterator[Occurrence]:
    """The times ``slot`` falls between ``start`` (inclusive) and ``end`` (exclusive)."""
    if slot.starts_at is None or slot.ends_at is None:
        return
    length = slot.ends_at - slot.starts_at
    step = _STEP.get(slot.repeat.code if slot.repeat else "once")
    at = slot.starts_at
    if step is not None and at < start:
        at += step * ((start - at) // step)
    while at < end:
        last_day = slot.repeat_until
        if last_day is not None and at.date() > last_day:
            return
        if at + length > start:
            yield Occurrence(slot, at, at + length)
        if step is None:
            return
        at += step


def week_ahead(slots: Iterable[RotaSlot], start: datetime, days: int = 7) -> list[Occurrence]:
    """Every slot occurrence in the coming ``days``, in time order."""
    end = start + timedelta(days=days)
    found = [o for s in slots for o in occurrences(s, start, end)]
    return sorted(found, key=lambda o: o.starts_at)
