"""Liveness and readiness for load balancers."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from eolcare.server.deps import DbDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(db: DbDep) -> dict[str, str]:
    """200 when the database answers."""
    with db.reading.begin() as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok"}
