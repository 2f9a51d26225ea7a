"""How entity fields are described once and used everywhere.

Each entity is a dataclass whose fields are declared with the helpers below
(``text``, ``coded``, ``day`` ...). The declaration carries the label a person
sees, the section of DATASET.md it belongs to, the value set of a coded field,
whether it is clinically significant (concurrent edits are flagged for review)
and how to normalise it. The store builds its tables from these specs, the
CLI and reports read labels from them, and sync serialises values with them:
a field is described in exactly one place.
"""

from __future__ import annotations

import dataclasses
import enum
import secrets
import time
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from eolcare.domain.codes import ValueSet
from eolcare.domain.values import Coded, CodedList

JSON = Any  # a value of the JSON data model


class FieldType(enum.Enum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    INT = "int"
    CODED = "coded"
    CODES = "codes"
    REF = "ref"


_TYPES: dict[Any, FieldType] = {
    str: FieldType.TEXT,
    date: FieldType.DATE,
    datetime: FieldType.DATETIME,
    bool: FieldType.BOOL,
    int: FieldType.INT,
    Coded: FieldType.CODED,
    CodedList: FieldType.CODES,
}


@dataclass(frozen=True)
class FieldSpec:
    """Everything eolcare knows about one field of one entity."""

    name: str
    label: str
    section: str
    type: FieldType = FieldType.TEXT
    valueset: ValueSet | None = None
    significant: bool = False
    required: bool = False
    searchable: bool = False
    ref: str | None = None
    normalise: Callable[[str], str] | None = None
    minimum: int | None = None
    maximum: int | None = None


def _spec(label: str, section: str, **kw: Any) -> Any:
    return dataclasses.field(default=None, metadata={"eolcare": (label, section, kw)})


def text(label: str, section: str, *, significant: bool = False, required: bool = False,
         searchable: bool = False, normalise: Callable[[str], str] | None = None) -> Any:
    return _spec(label, section, significant=significant, required=required,
                 searchable=searchable, normalise=normalise)


def coded(label: str, section: str, valueset: ValueSet, *, significant: bool = False,
          required: bool = False) -> Any:
    return _spec(label, section, valueset=valueset, significant=significant, required=required)


def flag(label: str, section: str, *, significant: bool = False) -> Any:
    return _spec(label, section, significant=significant)


def day(label: str, section: str, *, significant: bool = False, required: bool = False) -> Any:
    return _spec(label, section, significant=significant, required=required)


def moment(label: str, section: str, *, required: bool = False) -> Any:
    return _spec(label, section, required=required)


def number(label: str, section: str, *, minimum: int, maximum: int) -> Any:
    return _spec(label, section, minimum=minimum, maximum=maximum)


def ref(label: str, section: str, kind: str, *, required: bool = False) -> Any:
    return _spec(label, section, ref=kind, required=required)


def new_id() -> str:
    """A new record or operation id: unique across devices without a server.

    A UUIDv7 (RFC 9562): the time in milliseconds, then 74 random bits. Ids
    made one after another sort together, so the store's indexes grow at one
    edge instead of at random pages: a 20,000-person first sync wrote them
    about 1.4 times as fast as with random (v4) ids, and looked up far fewer
    pages (docs/architecture.md, "Time-ordered ids").
    """
    return uuid7(time.time_ns() // 1_000_000, secrets.randbits(74))


def uuid7(ms: int, random_bits: int) -> str:
    """The UUIDv7 text of a Unix time in milliseconds and 74 random bits."""
    value = ((ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (random_bits >> 62 & 0xFFF) << 64
             | 0b10 << 62 | random_bits & 0x3FFF_FFFF_FFFF_FFFF)
    return str(uuid.UUID(int=value))


@dataclass(frozen=True)
class Provenance:
    """Who created and last changed an entity, and when: shown on screen and on paper."""

    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    deleted: bool = False
    needs_review: bool = False
    #: Each field's winning HLC stamp when the entity was read ("" for a value it was
    #: created with, or never set). An edit passes these back as what its editor saw
    #: (``Writer.update(..., seen=entity.provenance.stamps)``), so a change that
    #: arrived in between is judged as the concurrent edit it is.
    stamps: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(kw_only=True)
class Entity:
    """Base of every record kind: an id and the field specs of its subclass."""

    KIND: ClassVar[str]
    #: The field linking an entity to the person whose record it belongs to.
    OWNER: ClassVar[str | None] = None
    #: Entities that may only be added, never edited (notes).
    IMMUTABLE: ClassVar[bool] = False
    FIELDS: ClassVar[dict[str, FieldSpec]]

    id: str = dataclasses.field(default_factory=new_id)
    #: Filled in by the store when an entity is loaded; not a field of the record.
    provenance: Provenance | None = dataclasses.field(default=None, compare=False, repr=False)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.FIELDS = {}  # filled by describe() once the dataclass decorator has run

    @property
    def owner_id(self) -> str | None:
        """The id of the person this entity belongs to (None for directory entries)."""
        if self.OWNER is None:
            return self.id if self.KIND == "person" else None
        value = getattr(self, self.OWNER)
        return value if isinstance(value, str) else None

    def values(self) -> dict[str, Any]:
        """The field values by name (not the id)."""
        return {name: getattr(self, name) for name in self.FIELDS}


def _field_type(annotation: Any) -> FieldType:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    base = args[0] if isinstance(annotation, types.UnionType) and len(args) == 1 else annotation
    try:
        return _TYPES[base]
    except KeyError:
        raise TypeError(f"unsupported field type {annotation!r}") from None


E = typing.TypeVar("E", bound=type[Entity])


def describe(cls: E) -> E:
    """Class decorator (after @dataclass): read the field declarations into ``FIELDS``."""
    hints = typing.get_type_hints(cls)
    specs: dict[str, FieldSpec] = {}
    for f in dataclasses.fields(cls):
        meta = f.metadata.get("eolcare")
        if meta is None:
            continue
        label, section, kw = meta
        ftype = FieldType.REF if kw.get("ref") else _field_type(hints[f.name])
        specs[f.name] = FieldSpec(name=f.name, label=label, section=section, type=ftype, **kw)
    cls.FIELDS = specs
    return cls


# -- JSON form of values: what operations carry ------------------------------------


def to_json(spec: FieldSpec, value: Any) -> JSON:
    """A field value as JSON (the form operations, history and sync carry)."""
    if value is None:
        return None
    if spec.type is FieldType.CODED:
        return {"code": value.code, "text": value.text}
    if spec.type is FieldType.CODES:
        return {"codes": list(value.codes), "text": value.text}
    if spec.type in (FieldType.DATE, FieldType.DATETIME):
        return value.isoformat()
    return value


def from_json(spec: FieldSpec, raw: JSON) -> Any:
    """The inverse of :func:`to_json`."""
    if raw is None:
        return None
    if spec.type is FieldType.CODED:
        return Coded(raw["code"], raw.get("text", ""))
    if spec.type is FieldType.CODES:
        return CodedList(tuple(raw["codes"]), raw.get("text", ""))
    if spec.type is FieldType.DATE:
        return date.fromisoformat(raw)
    if spec.type is FieldType.DATETIME:
        return datetime.fromisoformat(raw)
    return raw
