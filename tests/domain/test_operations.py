"""Operations: the JSON form that the outbox holds and sync sends."""

from __future__ import annotations

import json

import pytest

from eolcare.domain.entities import ENTITY_TYPES, Person, Service
from eolcare.domain.errors import ClockError
from eolcare.domain.hlc import Stamp
from eolcare.domain.operations import OpAction, Operation
from eolcare.domain.schema import Entity, to_json

from .factories import full

STAMP = Stamp(1_732_000_000_000, 4, "laptop")


def create_op(entity: Entity, action: OpAction = OpAction.CREATE) -> Operation:
    changes = {name: to_json(spec, getattr(entity, name)) for name, spec in entity.FIELDS.items()}
    return Operation(kind=entity.KIND, entity_id=entity.id, action=action, stamp=STAMP,
                     author="coordinator-1", changes=changes, record_id=entity.owner_id)


@pytest.mark.parametrize("cls", ENTITY_TYPES, ids=lambda c: c.KIND)
def test_round_trip_through_json_text(cls: type[Entity]) -> None:
    op = create_op(full(cls))
    text = json.dumps(op.to_json())
    back = Operation.from_json(json.loads(text))
    assert back == op
    assert back.stamp == STAMP
    assert back.changes == op.changes
    assert back.record_id == op.record_id


@pytest.mark.parametrize("action", list(OpAction))
def test_every_action_round_trips(action: OpAction) -> None:
    op = Operation(kind="person", entity_id="p1", action=action, stamp=STAMP, author="me")
    data = op.to_json()
    assert data["action"] == action.value
    assert Operation.from_json(data) == op


def test_json_form() -> None:
    op = Operation(kind="service", entity_id="s1", action=OpAction.UPDATE, stamp=STAMP,
                   author="me", changes={"name": "Hospice at Home"}, op_id="op-1",
                   base={"name": "001731000000000-000000-phone"})
    assert op.to_json() == {
        "op_id": "op-1", "kind": "service", "entity_id": "s1", "record_id": None,
        "action": "update", "stamp": "001732000000000-000004-laptop", "author": "me",
        "changes": {"name": "Hospice at Home"}, "base": {"name": "001731000000000-000000-phone"},
    }
    assert Operation.from_json(op.to_json()) == op


def test_record_id_and_device() -> None:
    person = full(Person)
    assert create_op(person).record_id == person.id
    assert create_op(full(Service)).record_id is None
    assert create_op(person).device == "laptop"


def test_op_ids_are_unique() -> None:
    ops = [Operation(kind="person", entity_id="p", action=OpAction.DELETE, stamp=STAMP, author="a")
           for _ in range(20)]
    assert len({op.op_id for op in ops}) == 20


def test_changes_are_copied_not_shared() -> None:
    changes = {"full_name": "Ada"}
    op = Operation(kind="person", entity_id="p", action=OpAction.UPDATE, stamp=STAMP,
                   author="a", changes=changes)
    data = op.to_json()
    data["changes"]["full_name"] = "changed"
    assert op.changes["full_name"] == "Ada"


def test_missing_optional_parts_read_as_empty() -> None:
    op = Operation.from_json({"op_id": "o", "kind": "task", "entity_id": "t",
                              "action": "delete", "stamp": str(STAMP), "author": "a"})
    assert op.changes == {}
    assert op.record_id is None
    op = Operation.from_json({"op_id": "o", "kind": "task", "entity_id": "t",
                              "action": "delete", "stamp": str(STAMP), "author": "a",
                              "changes": None})
    assert op.changes == {}


def test_a_bad_stamp_is_a_clock_error() -> None:
    data = create_op(full(Service)).to_json()
    data["stamp"] = "not a stamp"
    with pytest.raises(ClockError):
        Operation.from_json(data)


def test_an_unknown_action_is_refused() -> None:
    data = create_op(full(Service)).to_json()
    data["action"] = "explode"
    with pytest.raises(ValueError, match="explode"):
        Operation.from_json(data)
