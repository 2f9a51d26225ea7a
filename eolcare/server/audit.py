"""The append-only audit log: who did what, when, from where; never a payload or a name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from eolcare.server.models import Audit, utcnow


def record(
    session: Session,
    action: str,
    *,
    account_id: str | None = None,
    device_id: str | None = None,
    team_id: str | None = None,
    address: str | None = None,
    **detail: int | str,
) -> None:
    """Add one audit row in the caller's transaction (so it commits with the change)."""
    session.add(
        Audit(
            at=utcnow(),
            action=action,
            account_id=account_id,
            device_id=device_id,
            team_id=team_id,
            address=address,
            detail=" ".join(f"{k}={v}" for k, v in sorted(detail.items()))[:200],
        )
    )


@dataclass(frozen=True)
class Actor:
    """Who did something, for audit rows written on their behalf (e.g. cascades)."""

    account_id: str | None = None
    device_id: str | None = None
    address: str | None = None


def record_by(session: Session, actor: Actor, action: str, *, team_id: str | None = None,
              **detail: int | str) -> None:
    record(session, action, account_id=actor.account_id, device_id=actor.device_id,
           team_id=team_id, address=actor.address, **detail)
