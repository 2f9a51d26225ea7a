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


def update_as_seen(writer: Writer, entity: E, changes: Mapping[str, Any]) -> E:
    """Save ``changes`` to ``entity`` against the stamps it was loaded with, so a
    significant field changed underneath is flagged for review, not overwritten."""
    assert entity.provenance is not None, "only a stored entity is edited"
    return writer.update(type(entity), entity.id, seen=entity.provenance.stamps, **changes)


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
    "update_as_seen",
]
