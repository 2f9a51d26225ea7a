"""The change log: push, pull, digest, idempotency, size limits and malformed input."""

from __future__ import annotations

import base64
import threading
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient

from eolcare.sync import protocol
from eolcare.sync.client_api import ApiError, open_change, seal_op
from tests.server.conftest import User, UserFactory


def _team(owner: User) -> tuple[str, bytes]:
    made, key = owner.api.create_team("T", owner.keys.identity_public_key)
    return made.team_id, key


def test_pushed_ops_come_back_in_order_and_decrypt(user: UserFactory) -> None:
    alice = user()
    team_id, key = _team(alice)
    payloads = [f"op {i}".encode() for i in range(7)]
    result = alice.api.push(team_id, [seal_op(team_id, key, 1, p) for p in payloads])
    assert [r.seq for r in result.results] == list(range(1, 8))
    changes = alice.api.pull_all(team_id, limit=3)
    assert [open_change(team_id, key, c) for c in changes] == payloads
    assert {c.author_id for c in changes} == {alice.account_id}


def test_the_digest_matches_the_clients_own_chain(user: UserFactory) -> None:
    alice = user()
    team_id, key = _team(alice)
    for n in range(3):
        alice.api.push(team_id, [seal_op(team_id, key, 1, b"%d" % n) for _ in range(4)])
    digest = protocol.DIGEST_ZERO
    for change in alice.api.pull_all(team_id):
        digest = protocol.chain_digest(digest, change.seq, change.op_id, change.blob)
        assert alice.api.digest(team_id, at=change.seq).digest == digest
    assert alice.api.digest(team_id) == protocol.Digest(seq=12, digest=digest)
    assert alice.api.digest(team_id, at=0).digest == protocol.DIGEST_ZERO
    with pytest.raises(ApiError) as err:
        alice.api.digest(team_id, at=13)
    assert err.value.status == 404


def test_a_push_repeated_after_a_lost_response_adds_nothing(live_user: UserFactory) -> None:
    alice = live_user()
    team_id, key = _team(alice)
    ops = [seal_op(team_id, key, 1, b"%d" % i) for i in range(5)]
    first = alice.api.push(team_id, ops[:3])
    # the client never saw `first` (connection dropped) and retries with more queued ops
    again = alice.api.push(team_id, ops)
    assert [r.stored for r in again.results] == [False] * 3 + [True] * 2
    assert [r.seq for r in again.results[:3]] == [r.seq for r in first.results]
    assert again.head == 5
    assert [c.op_id for c in alice.api.pull_all(team_id)] == [o.op_id for o in ops]


def test_an_op_id_reused_with_other_content_is_refused(user: UserFactory) -> None:
    alice = user()
    team_id, key = _team(alice)
    op = seal_op(team_id, key, 1, b"first")
    alice.api.push(team_id, [op])
    forged = op.model_copy(update={"blob": b"\x00" * 40})
    with pytest.raises(ApiError) as err:
        alice.api.push(team_id, [forged])
    assert err.value.status == 409
    assert alice.api.pull(team_id).head == 1


def test_paging_with_every_limit_while_another_client_pushes(live_user: UserFactory) -> None:
    alice, bob = live_user(), live_user()
    team_id, key = _team(alice)
    inv = alice.api.invite(team_id, alice.api.lookup(bob.keys.username), "member", {1: key})
    bob.api.accept(inv.invitation_id)
    pushed: list[str] = []
    stop = threading.Event()

    def pusher() -> None:
        while not stop.is_set():
            ops = [seal_op(team_id, key, 1, b"x") for _ in range(3)]
            bob.api.push(team_id, ops)
            pushed.extend(o.op_id for o in ops)

    thread = threading.Thread(target=pusher)
    thread.start()
    try:
        for limit in range(1, 9):
            cursor, seen = 0, []
            for _ in range(40):
                page = alice.api.pull(team_id, after=cursor, limit=limit)
                assert len(page.changes) <= limit
                seen += [c.seq for c in page.changes]
                cursor = seen[-1] if seen else 0
            assert seen == list(range(1, len(seen) + 1))  # dense: nothing skipped
    finally:
        stop.set()
        thread.join()
    assert [c.op_id for c in alice.api.pull_all(team_id)] == pushed


def _state(api_user: User, team_id: str) -> tuple[int, bytes]:
    head = api_user.api.digest(team_id)
    return head.seq, head.digest


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 422),
        ({"ops": []}, 422),
        ({"ops": [{"op_id": "x"}]}, 422),
        ({"ops": "nope"}, 422),
        ({"ops": [{"op_id": str(uuid.uuid4()), "record_id": str(uuid.uuid4()), "epoch": 1,
                   "blob": "%%%"}]}, 422),
        ({"ops": [{"op_id": str(uuid.uuid4()), "record_id": str(uuid.uuid4()), "epoch": 1,
                   "blob": "AAAA", "extra": 1}]}, 422),
        ({"ops": [{"op_id": str(uuid.uuid4()), "record_id": str(uuid.uuid4()), "epoch": 1,
                   "blob": base64.b64encode(bytes(protocol.MAX_OP_BYTES + 1)).decode()}]}, 413),
        ({"ops": [{"op_id": str(uuid.uuid4()), "record_id": str(uuid.uuid4()), "epoch": 1,
                   "blob": "AAAA"} for _ in range(protocol.MAX_OPS_PER_PUSH + 1)]}, 413),
        ({"ops": [{"op_id": str(uuid.uuid4()), "record_id": str(uuid.uuid4()), "epoch": 1,
                   "blob": base64.b64encode(bytes(60_000)).decode()} for _ in range(20)]}, 413),
    ],
    ids=["not-json", "empty", "missing-fields", "wrong-type", "bad-base64", "unknown-field",
         "op-too-big", "too-many-ops", "request-too-big"],
)
def test_bad_pushes_get_a_clear_4xx_and_store_nothing(
    user: UserFactory, app_http: TestClient, body: object, status: int
) -> None:
    alice = user()
    team_id, key = _team(alice)
    alice.api.push(team_id, [seal_op(team_id, key, 1, b"before")])
    before = _state(alice, team_id)
    assert alice.api.tokens is not None
    headers = {"Authorization": f"Bearer {alice.api.tokens.access_token}",
               "Content-Type": "application/json"}
    content = body if isinstance(body, str) else httpx.Request(
        "POST", "http://x", json=body).content
    response = app_http.post(f"/v1/teams/{team_id}/changes", content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["detail"]
    assert _state(alice, team_id) == before


def test_a_body_streamed_past_the_limit_is_refused(live_user: UserFactory,
                                                   live_http: httpx.Client) -> None:
    alice = live_user()
    team_id, _ = _team(alice)
    assert alice.api.tokens is not None

    def chunks() -> object:
        for _ in range(20):
            yield b" " * 100_000

    response = live_http.post(
        f"/v1/teams/{team_id}/changes", content=chunks(),  # type: ignore[arg-type]
        headers={"Authorization": f"Bearer {alice.api.tokens.access_token}",
                 "Content-Type": "application/json"})
    assert response.status_code == 413
    assert "bytes" in response.json()["detail"]
    assert alice.api.digest(team_id).seq == 0
