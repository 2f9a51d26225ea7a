"""Issue 12, finding 7: an op id replayed with the same blob but other metadata (another
record id or key epoch) is a 409, as docs/server.md says, not a 200 `stored=false`.
Against a stored op and within one batch, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from eolcare.sync import protocol
from eolcare.sync.client_api import ApiError, seal_op
from tests.server.conftest import User, UserFactory


def _team(owner: User) -> tuple[str, bytes]:
    made, key = owner.api.create_team("T", owner.keys.identity_public_key)
    return made.team_id, key


def _changed(op: protocol.Op, what: str) -> protocol.Op:
    if what == "record_id":
        return op.model_copy(update={"record_id": str(uuid.uuid4())})
    return op.model_copy(update={"epoch": op.epoch + 1})


@pytest.mark.parametrize("what", ["record_id", "epoch"])
def test_a_stored_op_id_with_other_metadata_is_a_409(user: UserFactory, what: str) -> None:
    alice = user()
    team_id, key = _team(alice)
    op = seal_op(team_id, key, 1, b"x")
    alice.api.push(team_id, [op])
    replay = _changed(op, what)
    with pytest.raises(ApiError) as caught:
        alice.api.push(team_id, [replay])
    assert caught.value.status == 409
    assert caught.value.detail == (f"operation {op.op_id} was already pushed with a "
                                   "different record, key epoch or content; a retry must "
                                   "send the same operation")
    assert alice.api.pull(team_id).head == 1
    assert alice.api.push(team_id, [op]).results[0].stored is False  # the exact retry


def test_an_op_id_twice_in_one_batch_with_other_record_is_a_409(user: UserFactory) -> None:
    alice = user()
    team_id, key = _team(alice)
    op = seal_op(team_id, key, 1, b"x")
    with pytest.raises(ApiError) as caught:
        alice.api.push(team_id, [op, _changed(op, "record_id")])
    assert caught.value.status == 409
    assert alice.api.pull(team_id).head == 0
