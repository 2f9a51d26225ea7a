"""Operator commands, run against the database directly (no HTTP, no login).

They cannot seal team keys (the server never holds them): a team made here
starts at epoch 1 with no key, and a member invited here joins without keys,
until a team admin's app shares them (POST /v1/teams/{id}/keys).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eolcare.server import audit, auth, invitations, names
from eolcare.server.config import Settings
from eolcare.server.db import Database
from eolcare.server.models import Account, Audit, Device, Membership, Team
from eolcare.server.routes.teams import new_team

OPERATOR = "operator"


class AdminError(Exception):
    """A command that cannot be done as asked; the message says why."""


def _account(session: Session, username: str) -> Account:
    account = session.scalar(select(Account).where(
        Account.username.in_({names.canonical(username), username}))
        .order_by(Account.username != names.canonical(username)).limit(1))
    if account is None:
        raise AdminError("no account has that user name")
    return account


def _team(session: Session, team_id: str) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise AdminError(f"no team {team_id}")
    return team


def create_team(db: Database, name: str, admin: str) -> str:
    try:
        names.check_label("team name", name)
    except names.UnsafeNameError as exc:
        raise AdminError(str(exc)) from exc
    with db.writing.begin() as session:
        team = new_team(session, name, _account(session, admin).id)
        audit.record(session, "team_created", team_id=team.id, address=OPERATOR)
        return team.id


def invite(db: Database, team_id: str, username: str, role: str,
           ttl: int = Settings.invitation_ttl) -> str:
    """An invitation without keys, in the team's current epoch, valid for `ttl` seconds."""
    with db.writing.begin() as session:
        account = _account(session, username)
        invitation = invitations.create(
            session, _team(session, team_id), account.id, role, inviter=None, keys=[],
            ttl=ttl, actor=audit.Actor(address=OPERATOR))
        return invitation.id


def members(db: Database, team_id: str) -> list[tuple[str, str, str]]:
    """(account id, user name, role) of each member."""
    with db.reading.begin() as session:
        _team(session, team_id)
        return list(session.execute(
            select(Account.id, Account.username, Membership.role)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.team_id == team_id).order_by(Account.username)
        ))


def devices(db: Database, username: str) -> list[Device]:
    with db.reading.begin() as session:
        account = _account(session, username)
        return list(session.scalars(select(Device).where(Device.account_id == account.id)
                                    .order_by(Device.created_at)))


def revoke_device(db: Database, device_id: str) -> None:
    with db.writing.begin() as session:
        device = session.get(Device, device_id)
        if device is None:
            raise AdminError(f"no device {device_id}")
        auth.revoke_device(session, device)
        audit.record(session, "device_revoked", account_id=device.account_id,
                     device_id=device_id, address=OPERATOR)


def audit_log(db: Database, team_id: str | None, limit: int) -> list[Audit]:
    """The newest `limit` entries, oldest first."""
    with db.reading.begin() as session:
        query = select(Audit).order_by(Audit.id.desc()).limit(limit)
        if team_id:
            query = query.where(Audit.team_id == team_id)
        return list(reversed(session.scalars(query).all()))
