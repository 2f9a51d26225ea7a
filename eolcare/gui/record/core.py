"""The core functions the record editor calls, gathered in one module.

The widgets call the store and the display layer only through the names
below, so what the window asks of the core is visible in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from eolcare.domain.display import (
    age,
    display_name,
    format_day,
    format_moment,
    provenance_line,
    section_titles,
    show_json_value,
    show_value,
)
from eolcare.domain.schema import Entity, FieldSpec
from eolcare.store.writes import Writer

E = TypeVar("E", bound=Entity)


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
    "age",
    "display_name",
    "format_day",
    "format_moment",
    "provenance_line",
    "section_titles",
    "show_json_value",
    "show_value",
    "stamps",
    "update_as_seen",
]
