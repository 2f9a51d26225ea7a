"""Between entity fields (and their JSON form) and table columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.engine import RowMapping

from eolcare.domain.schema import JSON, Entity, FieldSpec, FieldType, Provenance, from_json

E = TypeVar("E", bound=Entity)


def json_to_columns(spec: FieldSpec, value: JSON) -> dict[str, Any]:
    """The column values that store one field given in its JSON form."""
    name = spec.name
    if spec.type is FieldType.CODED:
        return {f"{name}_code": value["code"] if value else None,
                f"{name}_text": (value.get("text") or None) if value else None}
    if spec.type is FieldType.CODES:
        return {f"{name}_codes": list(value["codes"]) if value else None,
                f"{name}_text": (value.get("text") or None) if value else None}
    return {name: from_json(spec, value)}


def entity_columns(entity: Entity) -> dict[str, Any]:
    """The column values of an entity's fields (what ``json_to_columns`` gives for each
    field of its JSON form, without the round trip through JSON)."""
    columns: dict[str, Any] = {}
    for name, spec in entity.FIELDS.items():
        value = getattr(entity, name)
        if spec.type is FieldType.CODED:
            columns[f"{name}_code"] = value.code if value else None
            columns[f"{name}_text"] = (value.text or None) if value else None
        elif spec.type is FieldType.CODES:
            columns[f"{name}_codes"] = list(value.codes) if value else None
            columns[f"{name}_text"] = (value.text or None) if value else None
        else:
            columns[name] = value
    return columns


def column_value(spec: FieldSpec, row: RowMapping) -> Any:
    """The field's value (domain type) read from a row."""
    name = spec.name
    if spec.type is FieldType.CODED:
        code = row[f"{name}_code"]
        return None if code is None else from_json(spec, {"code": code,
                                                          "text": row[f"{name}_text"] or ""})
    if spec.type is FieldType.CODES:
        listed = row[f"{name}_codes"]
        return None if listed is None else from_json(spec, {"codes": listed,
                                                            "text": row[f"{name}_text"] or ""})
    return row[name]


def row_to_entity(cls: type[E], row: RowMapping,
                  stamps: Mapping[str, str] | None = None) -> E:
    """The entity a row holds; ``stamps`` are its fields' winning stamps (see
    ``writes.field_stamps``), "" for every field not given."""
    values = {name: column_value(spec, row) for name, spec in cls.FIELDS.items()}
    given = stamps or {}
    provenance = Provenance(
        created_at=row["created_at"], created_by=row["created_by"],
        updated_at=row["updated_at"], updated_by=row["updated_by"],
        deleted=row["deleted_stamp"] is not None, needs_review=bool(row["needs_review"]),
        stamps={name: given.get(name, "") for name in cls.FIELDS},
    )
    return cls(id=row["id"], provenance=provenance, **values)
