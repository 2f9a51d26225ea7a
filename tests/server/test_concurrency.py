"""Two server processes on one database, concurrent pushers and pullers:
no puller's cursor ever passes a change it has not seen."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest

from eolcare.sync.client_api import seal_op
from tests.server.conftest import ServerFactory, User, make_user_factory

PUSHERS_PER_SERVER = 3
BATCHES = 25
BATCH = 4


def _join(admin: User, http: httpx.Client, team_id: str, key: bytes) -> User:
    member = make_user_factory(http)()
    inv = admin.api.invite(team_id, admin.api.lookup(member.keys.username), "member", {1: key})
    member.api.accept(inv.invitation_id)
    return member


@pytest.mark.slow
def test_no_pulled_sequence_ever_skips_a_change(live_servers: ServerFactory) -> None:
    servers = [live_servers(), live_servers()]
    with ExitStack() as stack:
        http = [stack.enter_context(s.client()) for s in servers]
        _run(http)


def _run(http: list[httpx.Client]) -> None:
    admin = make_user_factory(http[0])()
    made, key = admin.api.create_team("T", admin.keys.identity_public_key)
    team_id = made.team_id
    pushers = [_join(admin, s, team_id, key) for s in http for _ in range(PUSHERS_PER_SERVER)]
    pullers = [_join(admin, s, team_id, key) for s in http]
    done = threading.Event()
    pushed: list[str] = []

    def push(member: User) -> None:
        for _ in range(BATCHES):
            ops = [seal_op(team_id, key, 1, b"op") for _ in range(BATCH)]
            member.api.push(team_id, ops)
            pushed.extend(o.op_id for o in ops)

    def pull(member: User) -> list[str]:
        cursor, seen = 0, []
        while True:
            finished = done.is_set()  # read before the page: a last full pass follows
            page = member.api.pull(team_id, after=cursor, limit=7)
            seqs = [c.seq for c in page.changes]
            assert seqs == list(range(cursor + 1, cursor + 1 + len(seqs))), (cursor, seqs)
            seen += [c.op_id for c in page.changes]
            cursor = seqs[-1] if seqs else cursor
            if finished and not page.more:
                return seen

    with ThreadPoolExecutor(len(pushers) + len(pullers)) as pool:
        pulls = [pool.submit(pull, m) for m in pullers]
        for future in [pool.submit(push, m) for m in pushers]:
            future.result()
        done.set()
        results = [f.result() for f in pulls]
    assert len(pushed) == len(pushers) * BATCHES * BATCH
    for seen in results:
        assert sorted(seen) == sorted(pushed)
    assert admin.api.digest(team_id).seq == len(pushed)
