"""The database schema: entity tables built from the domain's field specs, and
the typed ORM tables of the operation log.

Entity tables are SQLAlchemy Core tables generated from ``Entity.FIELDS`` so a
field is declared once (in the domain). A coded field becomes two columns,
``<name>_code`` and ``<name>_text``; a list of codes ``<name>_codes`` (JSON)
and ``<name>_text``. Every entity table also carries provenance (created and
last updated: when, by whom, HLC stamp), a tombstone and a "needs review"
flag. The operation log, field history and outbox are typed ORM classes.

Migrations (``store/migrations``) are written by hand from this module and
never generated at run time: a test checks that the head revision and this
module describe the same schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from eolcare.domain.entities import ENTITY_TYPES
from eolcare.domain.schema import Entity, FieldSpec, FieldType

ID = String(36)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC ISO text (SQLite has no time-zone type)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class Base(DeclarativeBase):
    pass


metadata = Base.metadata


def columns_of(spec: FieldSpec) -> list[Column[Any]]:
    """The column(s) that hold one field."""
    name = spec.name
    match spec.type:
        case FieldType.CODED:
            return [Column(f"{name}_code", String(40)), Column(f"{name}_text", Text)]
        case FieldType.CODES:
            return [Column(f"{name}_codes", JSON), Column(f"{name}_text", Text)]
        case FieldType.REF:
            return [Column(name, ID, index=True)]
        case FieldType.DATE:
            return [Column(name, Date)]
        case FieldType.DATETIME:
            return [Column(name, UTCDateTime)]
        case FieldType.BOOL:
            return [Column(name, Boolean)]
        case FieldType.INT:
            return [Column(name, Integer)]
        case FieldType.TEXT:
            return [Column(name, Text)]
    raise AssertionError(spec.type)


def _provenance() -> list[Column[Any]]:
    return [
        Column("created_at", UTCDateTime, nullable=False),
        Column("created_by", Text, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        Column("updated_by", Text, nullable=False),
        Column("updated_stamp", String(64), nullable=False),
        Column("deleted_stamp", String(64)),
        Column("needs_review", Boolean, nullable=False, default=False),
    ]


def _entity_table(cls: type[Entity]) -> Table:
    cols: list[Column[Any]] = [Column("id", ID, primary_key=True)]
    for spec in cls.FIELDS.values():
        cols.extend(columns_of(spec))
    return Table(cls.KIND, metadata, *cols, *_provenance())


ENTITY_TABLES: dict[str, Table] = {cls.KIND: _entity_table(cls) for cls in ENTITY_TYPES}

#: The caseload table's filters and sorts read only this index, never the wide person
#: rows (whose provenance columns sit on overflow pages): ordered ids of 20,000
#: people in milliseconds rather than a scan decrypting the whole table.
CASELOAD_COLUMNS = ("full_name", "id", "deleted_stamp", "status_code", "gsf_stage_code",
                    "preferred_place_of_death_code", "cpr_decision_code", "cpr_review_date",
                    "preferences_review_date", "date_of_birth")
Index("ix_person_caseload", *(ENTITY_TABLES["person"].c[n] for n in CASELOAD_COLUMNS))
#: A person's open tasks and their due dates (next review, reviews overdue).
Index("ix_task_open", *(ENTITY_TABLES["task"].c[n]
                        for n in ("person_id", "deleted_stamp", "done_on", "due")))
#: A person's current key worker (the caseload's key worker column).
Index("ix_involvement_key_worker", *(ENTITY_TABLES["involvement"].c[n] for n in (
    "person_id", "deleted_stamp", "since", "until", "role", "professional", "id")))


def last_key(session: Session, column: Column[int] | InstrumentedAttribute[int]) -> int:
    """The largest value of an integer key column (0 for an empty table), after flushing
    what the session holds: one plain statement. A large pull asks thousands of times;
    through the ORM's statement cache each took about 0.3 ms."""
    col = column.expression if isinstance(column, InstrumentedAttribute) else column
    assert isinstance(col, Column)
    assert isinstance(col.table, Table)
    session.flush()
    found = session.connection().exec_driver_sql(  # names from the schema, not from input
        f'SELECT max("{col.name}") FROM "{col.table.name}"').scalar()  # noqa: S608
    return int(found or 0)


class OperationRow(Base):
    """Every operation applied to this store, local or received: the log."""

    __tablename__ = "operation"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(ID, unique=True)
    stamp: Mapped[str] = mapped_column(String(64), index=True)
    device: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(ID, index=True)
    record_id: Mapped[str | None] = mapped_column(ID, index=True)
    action: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    base: Mapped[dict[str, str] | None] = mapped_column(JSON)
    local: Mapped[bool] = mapped_column(Boolean)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """Local operations not yet acknowledged by the sync server."""

    __tablename__ = "outbox"

    op_seq: Mapped[int] = mapped_column(ForeignKey("operation.seq"), primary_key=True)


class FieldChangeRow(Base):
    """One field's change by one operation: answers "who changed X, from what, when".

    ``won`` is false for a value that arrived later than a newer one (a
    concurrent edit on another device): it is kept, never lost, and shown in
    the history.
    """

    __tablename__ = "field_change"
    __table_args__ = (
        Index("ix_field_change_entity_field", "entity_id", "field", "stamp"),
        Index("ix_field_change_record", "record_id", "stamp"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_seq: Mapped[int] = mapped_column(ForeignKey("operation.seq"))
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(ID)
    record_id: Mapped[str | None] = mapped_column(ID)
    field: Mapped[str] = mapped_column(String(64))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    stamp: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(Text)
    device: Mapped[str] = mapped_column(String(64))
    won: Mapped[bool] = mapped_column(Boolean)


class MetaRow(Base):
    """Small facts about this store: its profile id, device id, last HLC stamp."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SearchDocRow(Base):
    """Maps an entity to its row of the FTS5 ``search_index`` (same rowid)."""

    __tablename__ = "search_doc"

    rowid: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ID, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[str | None] = mapped_column(ID, index=True)


class SyncCursorRow(Base):
    """How far this store has pulled one sync feed (a team's operations).

    ``seq`` is the server's sequence number of the last operation applied; it is
    written in the same transaction as the operations of the page, so a crash
    between the two can never skip or half-apply a page. ``digest`` is the
    sync client's own summary of the feed (for its digest check), opaque here.
    """

    __tablename__ = "sync_cursor"

    feed: Mapped[str] = mapped_column(Text, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    digest: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


from eolcare.store import accounts as _accounts  # noqa: E402,F401  (registers the sync tables)
