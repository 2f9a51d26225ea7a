"""Push, pull and digest of a team's change log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from eolcare.server import audit, changelog
from eolcare.server.access import READ, WRITE, require_role
from eolcare.server.deps import AddressDep, DbDep, IdPath, PrincipalDep
from eolcare.sync import protocol

router = APIRouter(prefix=protocol.API_PREFIX, tags=["changes"])


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


@router.post("/teams/{team_id}/changes")
def push(team_id: IdPath, body: protocol.PushRequest, who: PrincipalDep, db: DbDep,
         address: AddressDep) -> protocol.PushResponse:
    """Append encrypted operations. Idempotent by op_id: a retry adds nothing."""
    _check_sizes(list(body.ops))
    with db.writing.begin() as session:
        require_role(session, team_id, who.account_id, WRITE)
        result = changelog.append(session, team_id, who, list(body.ops))
        audit.record(session, "push", account_id=who.account_id, device_id=who.device_id,
                     team_id=team_id, address=address,
                     ops=sum(r.stored for r in result.results), head=result.head)
    return result


@router.get("/teams/{team_id}/changes")
def pull(
    team_id: IdPath, who: PrincipalDep, db: DbDep, address: AddressDep, *,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_LIMIT)] = 500,
) -> protocol.PullResponse:
    """Changes with seq > `after`, oldest first; store the last seq as the cursor."""
    with db.reading.begin() as session:
        require_role(session, team_id, who.account_id, READ)
        result = changelog.page(session, team_id, after, limit)
    with db.writing.begin() as session:
        db.relax_durability(session)
        audit.record(session, "pull", account_id=who.account_id, device_id=who.device_id,
                     team_id=team_id, address=address, after=after, count=len(result.changes))
    return result


@router.get("/teams/{team_id}/digest")
def digest(
    team_id: IdPath, who: PrincipalDep, db: DbDep,
    at: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> protocol.Digest:
    """The log's rolling digest at seq `at` (default: the head), to compare after a sync."""
    with db.reading.begin() as session:
        require_role(session, team_id, who.account_id, READ)
        return changelog.digest_at(session, team_id, at)
