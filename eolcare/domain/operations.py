"""Operations: every change to the record is one of these.

An operation sets some fields of one entity, creates it, or deletes it (a
tombstone: nothing is ever physically removed). It carries its HLC stamp,
device and author. The store applies operations and keeps every one of them
(the field history and the outbox); sync sends them; merge orders them by
stamp. Values are in their JSON form (see ``schema.to_json``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eolcare.domain.hlc import Stamp
from eolcare.domain.schema import JSON, new_id


class OpAction(enum.Enum):
    """What an operation does to its entity (named apart from sync's protocol ``Action``)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"


#: The old name, kept while branches written against it merge; use :class:`OpAction`.
Action = OpAction


@dataclass(frozen=True)
class Operation:
    kind: str
    entity_id: str
    action: OpAction
    stamp: Stamp
    author: str
    changes: Mapping[str, JSON] = field(default_factory=dict)
    #: The person whose record this belongs to (None for directory entries).
    record_id: str | None = None
    #: For each changed field, the stamp of the value this edit replaced ("" if none).
    #: A receiver whose value has another stamp knows the edits were concurrent.
    base: Mapping[str, str] = field(default_factory=dict)
    op_id: str = field(default_factory=new_id)

    @property
    def device(self) -> str:
        return self.stamp.device

    def to_json(self) -> dict[str, Any]:
        """The operation as JSON: what the outbox holds and sync encrypts."""
        return {
            "op_id": self.op_id, "kind": self.kind, "entity_id": self.entity_id,
            "record_id": self.record_id, "action": self.action.value,
            "stamp": str(self.stamp), "author": self.author, "changes": dict(self.changes),
            "base": dict(self.base),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Operation:
        return cls(
            op_id=data["op_id"], kind=data["kind"], entity_id=data["entity_id"],
            record_id=data.get("record_id"), action=OpAction(data["action"]),
            stamp=Stamp.parse(data["stamp"]), author=data["author"],
            changes=dict(data.get("changes") or {}), base=dict(data.get("base") or {}),
        )
