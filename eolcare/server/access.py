"""Role checks for team endpoints.

A team the caller does not belong to answers exactly like a team that does
not exist (404), so ids cannot be probed. A member without the right role
gets 403.
"""

from __future__ import annotations

from fastapi import HTTPException, status
from sqlalchemy.orm import Session

from eolcare.server.models import Membership

READ = frozenset({"admin", "member", "viewer"})
WRITE = frozenset({"admin", "member"})
ADMIN = frozenset({"admin"})

NOT_FOUND = "no such team"


def require_role(
    session: Session, team_id: str, account_id: str, allowed: frozenset[str]
) -> Membership:
    membership = session.get(Membership, (team_id, account_id))
    check_role(None if membership is None else membership.role, allowed)
    assert membership is not None
    return membership


def check_role(role: str | None, allowed: frozenset[str]) -> str:
    """404 for no membership (as for no team), 403 for a role not in `allowed`."""
    if role is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    if role not in allowed:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"a {role} of this team may not do this; ask a team admin",
        )
    return role
