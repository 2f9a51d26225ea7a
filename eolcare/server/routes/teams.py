"""Teams, members, invitations and the sealed team keys of each epoch.

The server only stores sealed keys; sealing and the fingerprint check
happen on the two people's devices (see eolcare.sync.crypto.fingerprint).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eolcare.server import audit, invitations, names
from eolcare.server.access import ADMIN, READ, require_role
from eolcare.server.auth import Principal
from eolcare.server.deps import AddressDep, DbDep, IdPath, PrincipalDep, SettingsDep
from eolcare.server.models import (
    Account,
    Invitation,
    InvitationKey,
    Membership,
    Team,
    TeamKey,
    utcnow,
)
from eolcare.sync import protocol

router = APIRouter(prefix=protocol.API_PREFIX, tags=["teams"])


def new_team(session: Session, name: str, admin_id: str) -> Team:
    """A team with its first admin at epoch 1 (whose key the admin seals to themself)."""
    team = Team(id=str(uuid.uuid4()), name=name, epoch=1, head=0,
                digest=protocol.DIGEST_ZERO, created_at=utcnow())
    session.add(team)
    session.flush()
    session.add(Membership(team_id=team.id, account_id=admin_id, role="admin",
                           created_at=utcnow()))
    return team


def _team_view(team: Team, role: str) -> protocol.Team:
    return protocol.Team(team_id=team.id, name=team.name, role=role,  # type: ignore[arg-type]
                         epoch=team.epoch, head=team.head)


@router.post("/teams", status_code=status.HTTP_201_CREATED)
def create_team(body: protocol.TeamCreate, who: PrincipalDep, db: DbDep,
                address: AddressDep) -> protocol.Team:
    _checked_label("name", body.name)
    with db.writing.begin() as session:
        team = new_team(session, body.name, who.account_id)
        session.add(TeamKey(team_id=team.id, epoch=1, account_id=who.account_id,
                            sealed_key=body.sealed_key))
        audit.record(session, "team_created", account_id=who.account_id,
                     device_id=who.device_id, team_id=team.id, address=address)
        return _team_view(team, "admin")


def _checked_label(field: str, text: str) -> None:
    try:
        names.check_label(field, text)
    except names.UnsafeNameError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


@router.get("/teams")
def list_teams(who: PrincipalDep, db: DbDep) -> list[protocol.Team]:
    with db.reading.begin() as session:
        rows = session.execute(
            select(Team, Membership.role).join(Membership, Membership.team_id == Team.id)
            .where(Membership.account_id == who.account_id).order_by(Team.created_at)
        )
        return [_team_view(team, role) for team, role in rows]


@router.get("/teams/{team_id}")
def get_team(team_id: IdPath, who: PrincipalDep, db: DbDep) -> protocol.Team:
    with db.reading.begin() as session:
        me = require_role(session, team_id, who.account_id, READ)
        return _team_view(session.get_one(Team, team_id), me.role)


@router.get("/teams/{team_id}/members")
def list_members(team_id: IdPath, who: PrincipalDep, db: DbDep) -> list[protocol.Member]:
    with db.reading.begin() as session:
        require_role(session, team_id, who.account_id, READ)
        return _members(session, team_id)


def _members(session: Session, team_id: str,
             account_id: str | None = None) -> list[protocol.Member]:
    """The team's members (or just `account_id`), as the members listing shows them."""
    team = session.get_one(Team, team_id)
    keyed = set(session.scalars(
        select(TeamKey.account_id).where(TeamKey.team_id == team_id,
                                         TeamKey.epoch == team.epoch)))
    query = (select(Membership.account_id, Membership.role, Account.identity_public_key)
             .join(Account, Account.id == Membership.account_id)
             .where(Membership.team_id == team_id).order_by(Membership.created_at))
    if account_id is not None:
        query = query.where(Membership.account_id == account_id)
    return [protocol.Member(account_id=aid, role=role,  # type: ignore[arg-type]
                            identity_public_key=pk, has_current_key=aid in keyed)
            for aid, role, pk in session.execute(query)]


@router.post("/teams/{team_id}/invitations", status_code=status.HTTP_201_CREATED)
def invite(team_id: IdPath, body: protocol.InvitationCreate, *, who: PrincipalDep, db: DbDep,
           settings: SettingsDep, address: AddressDep) -> protocol.Invitation:
    """Invite an account, with the epoch keys sealed to its identity key (the current
    one's, for it to be able to read what is written now)."""
    with db.writing.begin() as session:
        me = require_role(session, team_id, who.account_id, ADMIN)
        invitation = invitations.create(
            session, session.get_one(Team, team_id), body.account_id, body.role, inviter=me,
            keys=list(body.keys), ttl=settings.invitation_ttl,
            actor=_actor(who, address))
        return _invitation_view(session, invitation)


def _actor(who: Principal, address: str) -> audit.Actor:
    return audit.Actor(who.account_id, who.device_id, address)


@router.get("/teams/{team_id}/invitations")
def team_invitations(team_id: IdPath, who: PrincipalDep,
                     db: DbDep) -> list[protocol.TeamInvitation]:
    """The team's pending invitations, whoever made them (admins only)."""
    with db.reading.begin() as session:
        require_role(session, team_id, who.account_id, ADMIN)
        epoch = session.get_one(Team, team_id).epoch
        return [protocol.TeamInvitation(
            invitation_id=inv.id, account_id=inv.account_id,
            role=inv.role,  # type: ignore[arg-type]
            inviter_id=inv.inviter_id, created_at=inv.created_at, expires_at=inv.expires_at,
            epoch=inv.epoch, current=inv.epoch == epoch)
            for inv in invitations.pending(session, team_id, utcnow())]


@router.delete("/teams/{team_id}/invitations/{invitation_id}",
               status_code=status.HTTP_204_NO_CONTENT)
def cancel_invitation(team_id: IdPath, invitation_id: IdPath, who: PrincipalDep, db: DbDep,
                      address: AddressDep) -> None:
    """Cancel any pending invitation of the team, whoever made it (admins only)."""
    with db.writing.begin() as session:
        require_role(session, team_id, who.account_id, ADMIN)
        inv = session.get(Invitation, invitation_id)
        if inv is None or inv.team_id != team_id:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such invitation")
        invitations.drop(session, inv, "invitation_cancelled", "by_admin",
                         _actor(who, address))


def _invitation_view(session: Session, inv: Invitation) -> protocol.Invitation:
    team = session.get_one(Team, inv.team_id)
    inviter = session.get(Account, inv.inviter_id) if inv.inviter_id else None
    keys = session.scalars(select(InvitationKey).where(InvitationKey.invitation_id == inv.id)
                           .order_by(InvitationKey.epoch))
    return protocol.Invitation(
        invitation_id=inv.id, team_id=team.id, team_name=team.name,
        role=inv.role,  # type: ignore[arg-type]
        inviter_id=inv.inviter_id,
        inviter_identity_public_key=inviter.identity_public_key if inviter else None,
        keys=[protocol.EpochKey(epoch=k.epoch, sealed_key=k.sealed_key) for k in keys],
        epoch=inv.epoch, expires_at=inv.expires_at,
    )


@router.get("/invitations")
def my_invitations(who: PrincipalDep, db: DbDep) -> list[protocol.Invitation]:
    """The caller's invitations that have not expired (one that can no longer be
    accepted for another reason is listed, and accepting it says why)."""
    with db.reading.begin() as session:
        rows = session.scalars(select(Invitation).where(
            Invitation.account_id == who.account_id, Invitation.expires_at > utcnow())
            .order_by(Invitation.created_at))
        return [_invitation_view(session, inv) for inv in rows]


def _my_invitation(session: Session, invitation_id: str, account_id: str) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.account_id != account_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such invitation")
    return invitation


@router.post("/invitations/{invitation_id}/accept")
def accept(invitation_id: IdPath, who: PrincipalDep, db: DbDep,
           address: AddressDep) -> protocol.Team:
    """Join the team; the sealed keys of the invitation become the member's keys.

    Refused (409, the invitation deleted, audited) when it expired, the team's
    key epoch changed since it was made, or its inviter is no longer an admin.
    """
    actor = _actor(who, address)
    with db.writing.begin() as session:
        team_id = _my_invitation(session, invitation_id, who.account_id).team_id
        # The team row's lock, as removals and role changes take it (_keep_an_admin) and
        # a new epoch does: the checks below then see the inviter and the epoch as they
        # are, not as they were before such a change commits beside this one.
        team = session.get_one(Team, team_id, with_for_update=True, populate_existing=True)
        inv = session.get(Invitation, invitation_id, populate_existing=True)
        if inv is None:  # cancelled meanwhile
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such invitation")
        reason = invitations.refusal(session, inv, team)
        if reason is None:
            if session.get(Membership, (team.id, who.account_id)) is not None:
                raise HTTPException(status.HTTP_409_CONFLICT, "already a member of this team")
            invitations.join(session, inv)
            audit.record(session, "joined", account_id=who.account_id,
                         device_id=who.device_id, team_id=team.id, address=address,
                         invitation=inv.id, role=inv.role)
            return _team_view(team, inv.role)
        invitations.drop(session, inv, "invitation_refused", reason, actor)
    raise HTTPException(status.HTTP_409_CONFLICT, invitations.REFUSALS[reason])


@router.delete("/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
def decline(invitation_id: IdPath, who: PrincipalDep, db: DbDep, address: AddressDep) -> None:
    with db.writing.begin() as session:
        inv = _my_invitation(session, invitation_id, who.account_id)
        invitations.drop(session, inv, "invitation_declined", "by_invitee",
                         _actor(who, address))


def _membership(session: Session, team_id: str, account_id: str) -> Membership:
    membership = session.get(Membership, (team_id, account_id))
    if membership is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not a member of this team")
    return membership


def _keep_an_admin(session: Session, team: Team, account_id: str) -> None:
    """409 if `account_id` is the team's only admin, who may not leave or step down.

    The team row is locked (and reread) first, so two admins demoting or removing
    each other at once cannot both pass the check; SQLite's writer lock does the same.
    """
    session.refresh(team, with_for_update=True)
    admins = session.scalars(select(Membership.account_id).where(
        Membership.team_id == team.id, Membership.role == "admin")).all()
    if admins == [account_id]:
        raise HTTPException(status.HTTP_409_CONFLICT, "a team needs at least one admin")


def remove_member(session: Session, team: Team, account_id: str,
                  actor: audit.Actor) -> int:
    """Remove a member now, with the invitations they made and the sealed keys they held,
    and open a new key epoch; returns the new epoch."""
    membership = _membership(session, team.id, account_id)
    _keep_an_admin(session, team, account_id)
    invitations.cancel_issued_by(session, team.id, account_id, "inviter_removed",
                                 actor)
    session.delete(membership)
    session.execute(delete(TeamKey).where(TeamKey.team_id == team.id,
                                          TeamKey.account_id == account_id))
    team.epoch += 1
    return team.epoch


def set_member_role(session: Session, team: Team, account_id: str, role: str,
                    actor: audit.Actor) -> str:
    """Give a member another role (their keys stay theirs); returns the previous role.

    An admin who steps down takes the invitations they made with them.
    """
    membership = _membership(session, team.id, account_id)
    if role != "admin":
        _keep_an_admin(session, team, account_id)
    previous = membership.role
    membership.role = role
    if invitations.RANK[role] < invitations.RANK[previous]:
        invitations.cancel_issued_by(session, team.id, account_id, "inviter_demoted",
                                     actor)
    return previous


@router.delete("/teams/{team_id}/members/{account_id}")
def remove(team_id: IdPath, account_id: IdPath, who: PrincipalDep, db: DbDep,
           address: AddressDep) -> protocol.Epoch:
    """Remove a member at once and start a new key epoch.

    The removed member knows the old keys, so nobody may push until an admin
    has sealed the new epoch's key to the remaining members.
    """
    with db.writing.begin() as session:
        require_role(session, team_id, who.account_id, ADMIN)
        epoch = remove_member(session, session.get_one(Team, team_id), account_id,
                              _actor(who, address))
        audit.record(session, "member_removed", account_id=who.account_id,
                     device_id=who.device_id, team_id=team_id, address=address,
                     removed=account_id, epoch=epoch)
    return protocol.Epoch(epoch=epoch)


@router.patch("/teams/{team_id}/members/{account_id}")
def change_role(team_id: IdPath, account_id: IdPath, body: protocol.RoleChange, *,
                who: PrincipalDep, db: DbDep, address: AddressDep) -> protocol.Member:
    """Give a member another role at once; no new key epoch, as every role holds the keys."""
    with db.writing.begin() as session:
        require_role(session, team_id, who.account_id, ADMIN)
        previous = set_member_role(session, session.get_one(Team, team_id), account_id,
                                   body.role, _actor(who, address))
        if previous != body.role:  # a repeated request changes nothing and logs nothing
            audit.record(session, "role_changed", account_id=who.account_id,
                         device_id=who.device_id, team_id=team_id, address=address,
                         target=account_id, role=body.role, previous=previous)
        (member,) = _members(session, team_id, account_id)
        return member


@router.post("/teams/{team_id}/epochs", status_code=status.HTTP_201_CREATED)
def new_epoch(team_id: IdPath, who: PrincipalDep, db: DbDep,
              address: AddressDep) -> protocol.Epoch:
    """Start a new key epoch (e.g. a device may have been compromised)."""
    with db.writing.begin() as session:
        require_role(session, team_id, who.account_id, ADMIN)
        team = session.get_one(Team, team_id)
        team.epoch += 1
        audit.record(session, "epoch_started", account_id=who.account_id,
                     device_id=who.device_id, team_id=team_id, address=address,
                     epoch=team.epoch)
        return protocol.Epoch(epoch=team.epoch)


@router.post("/teams/{team_id}/keys", status_code=status.HTTP_204_NO_CONTENT)
def upload_keys(team_id: IdPath, body: protocol.KeysUpload, who: PrincipalDep, db: DbDep,
                address: AddressDep) -> None:
    """Sealed epoch keys for members (after a new epoch, or for a member without keys)."""
    try:
        with db.writing.begin() as session:
            require_role(session, team_id, who.account_id, ADMIN)
            team = session.get_one(Team, team_id)
            members = set(session.scalars(select(Membership.account_id)
                                          .where(Membership.team_id == team_id)))
            if any(k.account_id not in members or k.epoch > team.epoch for k in body.keys):
                raise HTTPException(
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    f"keys must be for members and epochs up to the current one ({team.epoch})")
            session.add_all(TeamKey(team_id=team_id, epoch=k.epoch, account_id=k.account_id,
                                    sealed_key=k.sealed_key) for k in body.keys)
            session.flush()
            audit.record(session, "keys_shared", account_id=who.account_id,
                         device_id=who.device_id, team_id=team_id, address=address,
                         count=len(body.keys))
    except IntegrityError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT,
                            "a key for one of these members and epochs is already stored") from exc


@router.get("/teams/{team_id}/keys")
def my_keys(team_id: IdPath, who: PrincipalDep, db: DbDep) -> list[protocol.EpochKey]:
    """The caller's sealed key for every epoch of the team."""
    with db.reading.begin() as session:
        require_role(session, team_id, who.account_id, READ)
        rows = session.scalars(select(TeamKey).where(
            TeamKey.team_id == team_id, TeamKey.account_id == who.account_id
        ).order_by(TeamKey.epoch))
        return [protocol.EpochKey(epoch=k.epoch, sealed_key=k.sealed_key) for k in rows]
