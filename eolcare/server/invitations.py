"""The rules of invitations: who may hand out what, for how long, and when it ends.

An invitation hands out membership and the team keys sealed in it, so it may
never outlive the authority of the person who made it:
- its role is at most the inviter's, checked when it is made and again when it
  is accepted (the inviter must still be an admin of the team);
- removing or demoting its inviter deletes it (`cancel_issued_by`);
- it is bound to the team's key epoch when it was made: after a new epoch
  (a removal, a suspected compromise) it cannot be accepted, so a person the
  admins did not confirm since then never becomes a member to whom the new
  key gets sealed; an admin invites them again, sealing the current key;
- it expires (`Settings.invitation_ttl`);
- a team's admins list and cancel any of the team's pending invitations.
Every step is audited.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from fastapi import HTTPException, status
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eolcare.server import audit
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

#: Roles in order of what they may do; an invitation's role is at most its inviter's.
RANK = {"viewer": 0, "member": 1, "admin": 2}
ASK_AGAIN = "ask a team admin to invite you again"


def create(session: Session, team: Team, account_id: str, role: str, *,
           inviter: Membership | None, keys: list[protocol.EpochKey], ttl: int,
           actor: audit.Actor) -> Invitation:
    """A new invitation in the team's current epoch; it replaces any pending one of the
    same person to the same team. `inviter` None: the operator."""
    if session.get(Account, account_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such user")
    if session.get(Membership, (team.id, account_id)) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "already a member of this team")
    if inviter is not None and RANK[role] > RANK[inviter.role]:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"a {inviter.role} cannot invite someone as {role}")
    epochs = [k.epoch for k in keys]
    if len(set(epochs)) != len(epochs) or any(e > team.epoch for e in epochs):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"keys must be for distinct epochs up to the current one ({team.epoch})",
        )
    for old in session.scalars(select(Invitation).where(
            Invitation.team_id == team.id, Invitation.account_id == account_id)):
        drop(session, old, "invitation_cancelled", "replaced", actor)
    now = utcnow()
    invitation = Invitation(
        id=str(uuid.uuid4()), team_id=team.id, account_id=account_id,
        inviter_id=inviter.account_id if inviter else None, role=role, created_at=now,
        epoch=team.epoch, expires_at=now + timedelta(seconds=ttl))
    session.add(invitation)
    session.flush()
    session.add_all(InvitationKey(invitation_id=invitation.id, epoch=k.epoch,
                                  sealed_key=k.sealed_key) for k in keys)
    audit.record_by(session, actor, "invited", team_id=team.id,
                 invitation=invitation.id, invitee=account_id, role=role, epoch=team.epoch)
    return invitation


def drop(session: Session, invitation: Invitation, action: str, reason: str,
         actor: audit.Actor) -> None:
    """Delete an invitation and its sealed keys, audited as `action` for `reason`."""
    session.execute(delete(InvitationKey).where(InvitationKey.invitation_id == invitation.id))
    session.execute(delete(Invitation).where(Invitation.id == invitation.id))
    audit.record_by(session, actor, action, team_id=invitation.team_id,
                 invitation=invitation.id, invitee=invitation.account_id, reason=reason)


def cancel_issued_by(session: Session, team_id: str, inviter_id: str, reason: str,
                     actor: audit.Actor) -> int:
    """Delete every pending invitation `inviter_id` made to the team; how many."""
    issued = session.scalars(select(Invitation).where(
        Invitation.team_id == team_id, Invitation.inviter_id == inviter_id)).all()
    for invitation in issued:
        drop(session, invitation, "invitation_cancelled", reason, actor)
    return len(issued)


def pending(session: Session, team_id: str, now: datetime) -> list[Invitation]:
    return list(session.scalars(select(Invitation).where(
        Invitation.team_id == team_id, Invitation.expires_at > now)
        .order_by(Invitation.created_at)))


def refusal(session: Session, invitation: Invitation, team: Team) -> str | None:
    """Why the invitation cannot be accepted now (a reason code), or None."""
    if invitation.expires_at <= utcnow():
        return "expired"
    if invitation.epoch != team.epoch:
        return "epoch_changed"
    if invitation.inviter_id is not None:
        inviter = session.get(Membership, (team.id, invitation.inviter_id))
        if (inviter is None or inviter.role != "admin"
                or RANK[invitation.role] > RANK[inviter.role]):
            return "inviter_not_admin"
    return None


#: What the invitee is told for each refusal.
REFUSALS = {
    "expired": f"this invitation has expired; {ASK_AGAIN}",
    "epoch_changed": f"the team's key changed after this invitation was made; {ASK_AGAIN}",
    "inviter_not_admin": f"the person who invited you is no longer an admin of this team; "
                         f"{ASK_AGAIN}",
}


def join(session: Session, invitation: Invitation) -> None:
    """Make the invitee a member with the invitation's keys and delete their invitations
    to the team. Keys the account kept from an earlier membership are replaced (a
    removed member may rejoin)."""
    team_id, account_id = invitation.team_id, invitation.account_id
    keys = session.scalars(select(InvitationKey)
                           .where(InvitationKey.invitation_id == invitation.id)).all()
    session.execute(delete(TeamKey).where(TeamKey.team_id == team_id,
                                          TeamKey.account_id == account_id))
    session.add_all(TeamKey(team_id=team_id, epoch=k.epoch, account_id=account_id,
                            sealed_key=k.sealed_key) for k in keys)
    session.add(Membership(team_id=team_id, account_id=account_id, role=invitation.role,
                           created_at=utcnow()))
    ids = select(Invitation.id).where(Invitation.team_id == team_id,
                                      Invitation.account_id == account_id)
    session.execute(delete(InvitationKey).where(InvitationKey.invitation_id.in_(ids)))
    session.execute(delete(Invitation).where(Invitation.team_id == team_id,
                                             Invitation.account_id == account_id))
    session.flush()
