"""The core functions the record editor calls, gathered in one module.

The widgets call the store and the display layer only through the names
below, so what the window asks of the core is visible in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from eolcare.domain.schema import Entity, FieldSpec
from eolcare.store.writes import Writer

E = TypeVar("E", bound=Entity)

try:  # the shared display layer (lead)
    from eolcare.domain.display import (  # type: ignore[import-not-found,unused-ignore]
        format_day,
        format_moment,
        provenance_line,
        show_json_value,
        show_value,
    )
except ImportError:  # pragma: no cover - until display.py lands in main
    from eolcare.cli.render import show_json_value, show_value

    def format_day(d: date | None) -> str:
        return d.strftime("%d %b %Y") if d else ""

    def format_moment(at: datetime | None) -> str:
        return at.astimezone().strftime("%d %b %Y %H:%M") if at else ""

    def provenance_line(entity: Entity) -> str:
        p = entity.provenance
        if p is None:
            return ""
        return f"Last updated by {p.updated_by} on {format_moment(p.updated_at)}"


def stamps(entity: Entity) -> Mapping[str, str] | None:
    """The winning stamp of each field as loaded (what an edit is saved against)."""
    return getattr(entity.provenance, "stamps", None)


def update_as_seen(writer: Writer, entity: E, changes: Mapping[str, Any]) -> E:
    """Save ``changes`` to ``entity`` against the stamps it was loaded with."""
    cls = type(entity)
    seen = stamps(entity)
    if seen is None:  # pragma: no cover - until Writer.update(seen=...) lands
        return writer.update(cls, entity.id, **changes)
    return writer.update(cls, entity.id, seen=seen, **changes)  # type: ignore[call-arg,unused-ignore]


__all__ = [
    "FieldSpec",
    "format_day",
    "format_moment",
    "provenance_line",
    "show_json_value",
    "show_value",
    "stamps",
    "update_as_seen",
]
