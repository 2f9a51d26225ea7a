"""Issue 12, finding 1: an invitation never outlives the authority of the person who made
it. Through a real `eolcare-server serve` process, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from eolcare.server.db import Database
from eolcare.server.models import Audit
from eolcare.sync.client_api import ApiError, open_change, seal_op
from tests.server.conftest import User, UserFactory


@dataclass
class Team:
    team_id: str
    key: bytes
    admin: User


def _team(live_user: UserFactory) -> Team:
    admin = live_user()
    made, key = admin.api.create_team("North locality", admin.keys.identity_public_key)
    admin.api.push(made.team_id, [seal_op(made.team_id, key, 1, b"before")])
    return Team(made.team_id, key, admin)


def _join(t: Team, person: User, role: str, keys: dict[int, bytes] | None = None) -> None:
    inv = t.admin.api.invite(t.team_id, t.admin.api.lookup(person.keys.username), role,  # type: ignore[arg-type]
                             {1: t.key} if keys is None else keys)
    person.api.accept(inv.invitation_id)


def _actions(db: Database, team_id: str) -> list[tuple[str, str]]:
    with db.reading.begin() as session:
        return [(a.action, a.detail) for a in session.scalars(
            select(Audit).where(Audit.team_id == team_id).order_by(Audit.id))]


def _refused(call: object, status: int) -> str:
    with pytest.raises(ApiError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.status == status, caught.value.detail
    return caught.value.detail


@pytest.mark.parametrize("step_down", ["removed", "demoted"])
def test_the_reported_scenario_is_refused_when_the_inviter_loses_admin(
    live_user: UserFactory, db: Database, step_down: str,
) -> None:
    """Admin promotes C; C invites M as admin with the epoch keys; admin removes (or
    demotes) C; M's invitation is gone: M never joins, reads nothing, removes no one."""
    t = _team(live_user)
    c, m = live_user(), live_user()
    _join(t, c, "member")
    t.admin.api.set_role(t.team_id, c.account_id, "admin")
    inv = c.api.invite(t.team_id, c.api.lookup(m.keys.username), "admin", {1: t.key})
    assert [i.invitation_id for i in t.admin.api.team_invitations(t.team_id)] == [
        inv.invitation_id]

    if step_down == "removed":
        assert t.admin.api.remove_member(t.team_id, c.account_id) == 2
    else:
        t.admin.api.set_role(t.team_id, c.account_id, "member")

    assert m.api.invitations() == []
    assert t.admin.api.team_invitations(t.team_id) == []
    _refused(lambda: m.api.accept(inv.invitation_id), 404)
    _refused(lambda: m.api.pull(t.team_id), 404)
    _refused(lambda: m.api.remove_member(t.team_id, t.admin.account_id), 404)
    assert [x.account_id for x in t.admin.api.members(t.team_id) if x.role == "admin"] == [
        t.admin.account_id]
    reason = "inviter_removed" if step_down == "removed" else "inviter_demoted"
    cancelled = [d for a, d in _actions(db, t.team_id) if a == "invitation_cancelled"]
    assert cancelled == [f"invitation={inv.invitation_id} invitee={m.account_id} "
                         f"reason={reason}"]


def test_acceptance_checks_the_inviters_role_again(live_user: UserFactory,
                                                   db: Database) -> None:
    """Even if an invitation survived its inviter's demotion (a row written before the
    rule, or by hand), accepting it is refused, audited, and it is gone."""
    t = _team(live_user)
    c, m = live_user(), live_user()
    _join(t, c, "admin")
    inv = c.api.invite(t.team_id, c.api.lookup(m.keys.username), "admin", {1: t.key})
    with db.writing.begin() as session:  # the demotion without its cascade
        session.execute(text("UPDATE membership SET role = 'member' WHERE account_id = :a"),
                        {"a": c.account_id})
    detail = _refused(lambda: m.api.accept(inv.invitation_id), 409)
    assert detail == ("the person who invited you is no longer an admin of this team; "
                      "ask a team admin to invite you again")
    assert m.api.invitations() == []
    _refused(lambda: m.api.pull(t.team_id), 404)
    assert ("invitation_refused", f"invitation={inv.invitation_id} invitee={m.account_id} "
            "reason=inviter_not_admin") in _actions(db, t.team_id)


def test_an_invitation_expires(live_user: UserFactory, db: Database) -> None:
    t = _team(live_user)
    m = live_user()
    inv = t.admin.api.invite(t.team_id, t.admin.api.lookup(m.keys.username), "member",
                             {1: t.key})
    assert inv.expires_at is not None
    assert timedelta(days=6.99) < inv.expires_at - datetime.now(UTC) <= timedelta(days=7)
    with db.writing.begin() as session:
        session.execute(text("UPDATE invitation SET expires_at = :x WHERE id = :i"),
                        {"x": "2000-01-01 00:00:00", "i": inv.invitation_id})
    assert m.api.invitations() == []  # not listed once expired
    assert t.admin.api.team_invitations(t.team_id) == []
    detail = _refused(lambda: m.api.accept(inv.invitation_id), 409)
    assert detail == "this invitation has expired; ask a team admin to invite you again"
    _refused(lambda: m.api.pull(t.team_id), 404)


def test_an_invitation_made_before_a_new_epoch_hands_out_nothing_until_made_again(
    live_user: UserFactory, db: Database,
) -> None:
    t = _team(live_user)
    m = live_user()
    old = t.admin.api.invite(t.team_id, t.admin.api.lookup(m.keys.username), "member",
                             {1: t.key})
    t.admin.api.request("POST", f"/teams/{t.team_id}/epochs")  # e.g. a lost laptop
    (listed,) = t.admin.api.team_invitations(t.team_id)
    assert (listed.epoch, listed.current) == (1, False)
    detail = _refused(lambda: m.api.accept(old.invitation_id), 409)
    assert detail == ("the team's key changed after this invitation was made; ask a team "
                      "admin to invite you again")
    _refused(lambda: m.api.pull(t.team_id), 404)
    assert t.admin.api.team_invitations(t.team_id) == []

    # The admin seals the new epoch's key (and the old one's) in a new invitation.
    new_key = b"\x02" * 32
    t.admin.api.share_keys(t.team_id, 2, new_key, t.admin.api.members(t.team_id))
    again = t.admin.api.invite(t.team_id, t.admin.api.lookup(m.keys.username), "member",
                               {1: t.key, 2: new_key})
    assert again.epoch == 2
    m.api.accept(again.invitation_id)
    assert m.api.team_keys(t.team_id, m.keys.identity) == {1: t.key, 2: new_key}
    (change,) = m.api.pull(t.team_id).changes
    assert open_change(t.team_id, t.key, change) == b"before"


def test_admins_list_and_cancel_any_pending_invitation(live_user: UserFactory,
                                                       db: Database) -> None:
    t = _team(live_user)
    other_admin, member, m = live_user(), live_user(), live_user()
    _join(t, other_admin, "admin")
    _join(t, member, "member")
    inv = other_admin.api.invite(t.team_id, other_admin.api.lookup(m.keys.username),
                                 "viewer", {1: t.key})
    (listed,) = t.admin.api.team_invitations(t.team_id)
    assert (listed.invitation_id, listed.account_id, listed.role, listed.inviter_id,
            listed.current) == (inv.invitation_id, m.account_id, "viewer",
                                other_admin.account_id, True)
    _refused(lambda: member.api.team_invitations(t.team_id), 403)
    _refused(lambda: member.api.cancel_invitation(t.team_id, inv.invitation_id), 403)
    t.admin.api.cancel_invitation(t.team_id, inv.invitation_id)
    assert m.api.invitations() == []
    _refused(lambda: m.api.accept(inv.invitation_id), 404)
    _refused(lambda: t.admin.api.cancel_invitation(t.team_id, inv.invitation_id), 404)
    # another team's admin cannot see or cancel it
    outsider = live_user()
    outsider.api.create_team("South", outsider.keys.identity_public_key)
    inv2 = t.admin.api.invite(t.team_id, t.admin.api.lookup(m.keys.username), "viewer", {})
    _refused(lambda: outsider.api.cancel_invitation(t.team_id, inv2.invitation_id), 404)
    assert [i.invitation_id for i in m.api.invitations()] == [inv2.invitation_id]
    assert ("invitation_cancelled", f"invitation={inv.invitation_id} invitee={m.account_id} "
            "reason=by_admin") in _actions(db, t.team_id)


def test_a_new_invitation_replaces_the_pending_one_and_a_member_cannot_invite(
    live_user: UserFactory, db: Database,
) -> None:
    t = _team(live_user)
    member, m = live_user(), live_user()
    _join(t, member, "member")
    _refused(lambda: member.api.invite(t.team_id, member.api.lookup(m.keys.username),
                                       "viewer", {1: t.key}), 403)
    first = t.admin.api.invite(t.team_id, t.admin.api.lookup(m.keys.username), "viewer", {})
    second = t.admin.api.invite(t.team_id, t.admin.api.lookup(m.keys.username), "member",
                                {1: t.key})
    assert [i.invitation_id for i in m.api.invitations()] == [second.invitation_id]
    _refused(lambda: m.api.accept(first.invitation_id), 404)
    assert m.api.accept(second.invitation_id).role == "member"


def test_the_last_admin_can_be_neither_removed_nor_demoted(live_user: UserFactory) -> None:
    t = _team(live_user)
    member = live_user()
    _join(t, member, "member")
    detail = _refused(lambda: t.admin.api.remove_member(t.team_id, t.admin.account_id), 409)
    assert detail == "a team needs at least one admin"
    _refused(lambda: t.admin.api.set_role(t.team_id, t.admin.account_id, "member"), 409)
    assert {x.account_id: x.role for x in t.admin.api.members(t.team_id)} == {
        t.admin.account_id: "admin", member.account_id: "member"}


def test_every_step_is_audited(live_user: UserFactory, db: Database) -> None:
    t = _team(live_user)
    c, m, v = live_user(), live_user(), live_user()
    _join(t, c, "admin")
    inv_m = c.api.invite(t.team_id, c.api.lookup(m.keys.username), "member", {1: t.key})
    inv_v = t.admin.api.invite(t.team_id, t.admin.api.lookup(v.keys.username), "viewer", {})
    v.api.decline(inv_v.invitation_id)
    t.admin.api.remove_member(t.team_id, c.account_id)
    actions = [a for a, _ in _actions(db, t.team_id)]
    assert actions == ["team_created", "push", "invited", "joined", "invited", "invited",
                       "invitation_declined", "invitation_cancelled", "member_removed"]
    details = dict(reversed(_actions(db, t.team_id)))
    assert details["invitation_cancelled"] == (
        f"invitation={inv_m.invitation_id} invitee={m.account_id} reason=inviter_removed")
