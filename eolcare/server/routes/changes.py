"""Push, pull and digest of a team's change log.

Push and pull are the hot path. Each is an `async def` that hands one function
to the thread pool (one hop), which authenticates, checks the role and stores
or reads the changes with their audit row: statement by statement in one
transaction on SQLite (`changelog`), in two statements on PostgreSQL
(`changelog_pg`). The reply is JSON built from the rows, not validated again
on the way out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from eolcare.server import changelog, changelog_pg
from eolcare.server.access import READ, WRITE, require_role
from eolcare.server.db import Database
from eolcare.server.deps import AddressDep, BearerDep, DbDep, IdPath, PrincipalDep
from eolcare.sync import protocol

router = APIRouter(prefix=protocol.API_PREFIX, tags=["changes"])

JSON = "application/json"


def _retrying(work: Callable[..., bytes], *args: Any, **kwargs: Any) -> bytes:
    """Run `work` once more if its connection turned out dead (the database restarted).

    Safe for push (idempotent by op_id) and pull (a read and its audit row); the
    failed attempt's transaction was never committed.
    """
    try:
        return work(*args, **kwargs)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    return work(*args, **kwargs)


def _check_sizes(ops: list[protocol.Op]) -> None:
    if len(ops) > protocol.MAX_OPS_PER_PUSH:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"{len(ops)} operations in one push; the limit is {protocol.MAX_OPS_PER_PUSH}",
        )
    for i, op in enumerate(ops):
        if len(op.blob) > protocol.MAX_OP_BYTES:
            raise HTTPException(
                status.HTTP_413_CONTENT_TOO_LARGE,
                f"operation {i} is {len(op.blob)} bytes; the limit is {protocol.MAX_OP_BYTES}",
            )


@router.post("/teams/{team_id}/changes", response_model=protocol.PushResponse)
async def push(team_id: IdPath, body: protocol.PushRequest, token: BearerDep,
               db: DbDep, address: AddressDep) -> Response:
    """Append encrypted operations. Idempotent by op_id: a retry adds nothing."""
    reply = await run_in_threadpool(_retrying, _push, db, token, team_id, list(body.ops),
                                    address)
    return Response(reply, media_type=JSON)


def _push(db: Database, token: str, team_id: str, ops: list[protocol.Op],
          address: str) -> bytes:
    if db.is_sqlite:
        with db.writer.begin() as conn:
            me = changelog.caller(conn, token, team_id, WRITE)
            _check_sizes(ops)  # after authentication, before anything is stored
            lock = changelog.lock_team(conn, team_id)
            return changelog.append(conn, team_id, me, lock, ops, address=address)
    # PostgreSQL: two autocommit statements; the second holds the team lock (changelog_pg).
    with db.writer.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        try:
            return _push_pg(conn, token, team_id, ops, address)
        except IntegrityError:  # another push stored one of these ops after we looked
            return _push_pg(conn, token, team_id, ops, address)


def _push_pg(conn: Connection, token: str, team_id: str, ops: list[protocol.Op],
             address: str) -> bytes:
    me, batch, key_held = changelog_pg.caller_and_known(conn, token, team_id, ops)
    _check_sizes(ops)  # after authentication, before anything is stored
    return changelog_pg.append(conn, team_id, me, batch, key_held, address=address)


@router.get("/teams/{team_id}/changes", response_model=protocol.PullResponse)
async def pull(
    team_id: IdPath, token: BearerDep, db: DbDep, address: AddressDep, *,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_LIMIT)] = 500,
) -> Response:
    """Changes with seq > `after`, oldest first; store the last seq as the cursor."""
    reply = await run_in_threadpool(_retrying, _pull, db, token, team_id, address,
                                   after=after, limit=limit)
    return Response(reply, media_type=JSON)


def _pull(db: Database, token: str, team_id: str, address: str, *,
          after: int, limit: int) -> bytes:
    if db.is_sqlite:
        # Read beside the writer; the audit row then waits its turn for the write lock.
        with db.engine.begin() as conn:
            me = changelog.caller(conn, token, team_id, READ)
            page = changelog.page(conn, team_id, me.head, after, limit)
        with db.writer.begin() as conn:
            changelog.record(conn, "pull", me.who, team_id=team_id, address=address,
                             detail=f"after={after} count={page.count}")
        return page.json
    # PostgreSQL: autocommit statements on connections whose commits do not wait for the
    # disk. The caller, the head and the page come from one statement, so one snapshot;
    # every seq up to that head is committed (seqs are allocated under the team lock).
    # The audit row is written before the reply is sent; if it fails, nothing is sent.
    with db.relaxed.connect() as conn:
        me, page = changelog_pg.caller_and_page(conn, token, team_id, after, limit)
        changelog.record(conn, "pull", me.who, team_id=team_id, address=address,
                         detail=f"after={after} count={page.count}")
    return page.json


@router.get("/teams/{team_id}/digest")
def digest(
    team_id: IdPath, who: PrincipalDep, db: DbDep,
    at: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> protocol.Digest:
    """The log's rolling digest at seq `at` (default: the head), to compare after a sync."""
    with db.reading.begin() as session:
        require_role(session, team_id, who.account_id, READ)
        return changelog.digest_at(session, team_id, at)
