"""Teams: roles on every route, no access by guessing ids, invitations, removal, epochs and
role changes."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from eolcare.server.db import Database
from eolcare.server.models import Audit
from eolcare.sync import crypto, protocol
from eolcare.sync.client_api import ApiError, open_change, seal_op
from tests.server.conftest import User, UserFactory


@dataclass
class TeamSetup:
    team_id: str
    key: bytes
    users: dict[str, User]  # by role; "outsider" belongs to another team
    invitation_id: str  # a pending invitation of the team (to the outsider)


@pytest.fixture
def team(user: UserFactory) -> TeamSetup:
    admin = user()
    made, key = admin.api.create_team("North locality", admin.keys.identity_public_key)
    users = {"admin": admin}
    for role in ("member", "viewer"):
        joiner = user()
        # the viewer joins without keys, as after an operator's invitation
        keys = {1: key} if role == "member" else {}
        inv = admin.api.invite(made.team_id, admin.api.lookup(joiner.keys.username), role, keys)
        joiner.api.accept(inv.invitation_id)
        users[role] = joiner
    outsider = user()
    outsider.api.create_team("South locality", outsider.keys.identity_public_key)
    users["outsider"] = outsider
    pending = admin.api.invite(made.team_id, admin.api.lookup(outsider.keys.username),
                               "viewer", {1: key})
    return TeamSetup(made.team_id, key, users, pending.invitation_id)


Body = Callable[[TeamSetup], Any]
READ, WRITE, ADMIN = ("admin", "member", "viewer"), ("admin", "member"), ("admin",)


def _push(t: TeamSetup) -> Any:
    return {"ops": [seal_op(t.team_id, t.key, 1, b"x").model_dump(mode="json")]}


def _keys(t: TeamSetup) -> Any:
    viewer = t.users["viewer"]
    sealed = crypto.seal_team_key(t.key, viewer.keys.identity_public_key)
    return {"keys": [{"epoch": 1, "account_id": viewer.account_id,
                      "sealed_key": base64.b64encode(sealed).decode()}]}


def _invite(t: TeamSetup) -> Any:
    return {"account_id": t.users["outsider"].account_id, "role": "viewer", "keys": []}


def _role(_t: TeamSetup) -> Any:
    return {"role": "member"}  # for the viewer, whose id the matrix puts in the path


#: Every team-scoped route, who may use it, and a valid body.
TEAM_ROUTES: list[tuple[str, str, tuple[str, ...], Body | None]] = [
    ("GET", "/v1/teams/{team_id}", READ, None),
    ("GET", "/v1/teams/{team_id}/members", READ, None),
    ("GET", "/v1/teams/{team_id}/keys", READ, None),
    ("GET", "/v1/teams/{team_id}/changes", READ, None),
    ("GET", "/v1/teams/{team_id}/digest", READ, None),
    ("POST", "/v1/teams/{team_id}/changes", WRITE, _push),
    ("POST", "/v1/teams/{team_id}/invitations", ADMIN, _invite),
    ("GET", "/v1/teams/{team_id}/invitations", ADMIN, None),
    ("DELETE", "/v1/teams/{team_id}/invitations/{invitation_id}", ADMIN, None),
    ("POST", "/v1/teams/{team_id}/keys", ADMIN, _keys),
    ("POST", "/v1/teams/{team_id}/epochs", ADMIN, None),
    ("DELETE", "/v1/teams/{team_id}/members/{account_id}", ADMIN, None),
    ("PATCH", "/v1/teams/{team_id}/members/{account_id}", ADMIN, _role),
]


def test_the_matrix_covers_every_team_route(app_http: TestClient) -> None:
    paths = app_http.get("/openapi.json").json()["paths"]
    documented = {(method.upper(), path) for path, ops in paths.items() if "{team_id}" in path
                  for method in ops}
    assert documented == {(m, p) for m, p, _, _ in TEAM_ROUTES}


@pytest.mark.parametrize(("method", "path", "allowed", "body"), TEAM_ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in TEAM_ROUTES])
def test_roles_are_checked_on_every_team_route(
    team: TeamSetup, method: str, path: str, allowed: tuple[str, ...], body: Body | None,
) -> None:
    """Outsiders get 404 (as if no such team), members without the role 403."""
    url = path.format(team_id=team.team_id, account_id=team.users["viewer"].account_id,
                      invitation_id=team.invitation_id)
    seen = {}
    # the admin goes last: its call may change the team (removal, new epoch)
    for role in ("outsider", "viewer", "member", "admin"):
        caller = team.users[role]
        assert caller.api.tokens is not None
        seen[role] = caller.api.http.request(
            method, url, json=body(team) if body else None,
            headers={"Authorization": f"Bearer {caller.api.tokens.access_token}"},
        ).status_code
    expected = {role: 404 if role == "outsider" else 200 if role in allowed else 403
                for role in seen}
    assert {r: 200 if s < 400 else s for r, s in seen.items()} == expected


def test_another_teams_log_cannot_be_read_or_written_by_guessing_ids(team: TeamSetup) -> None:
    outsider = team.users["outsider"]
    member = team.users["member"]
    member.api.push(team.team_id, [seal_op(team.team_id, team.key, 1, b"secret")])
    for tid in (team.team_id, str(uuid.uuid4())):
        for call in (lambda t=tid: outsider.api.pull(t), lambda t=tid: outsider.api.digest(t),
                     lambda t=tid: outsider.api.push(t, [seal_op(t, team.key, 1, b"x")])):
            with pytest.raises(ApiError) as err:
                call()
            assert err.value.status == 404
    assert len(member.api.pull_all(team.team_id)) == 1


@pytest.mark.parametrize("garbage", ["1 OR 1=1", "%00", "..", "A" * 300])
def test_an_id_that_is_not_a_uuid_is_refused_before_any_lookup(
    team: TeamSetup, garbage: str
) -> None:
    with pytest.raises(ApiError) as err:
        team.users["admin"].api.pull(garbage)
    assert err.value.status in {404, 422}


def test_invitation_fingerprints_match_and_the_invitee_opens_the_team_key(
    user: UserFactory,
) -> None:
    alice, bob = user(), user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    bob_public = alice.api.lookup(bob.keys.username)
    inviter_sees = crypto.fingerprint(alice.keys.identity_public_key,
                                      bob_public.identity_public_key)
    alice.api.invite(made.team_id, bob_public, "member", {1: key})
    (invitation,) = bob.api.invitations()
    assert invitation.inviter_identity_public_key is not None
    invitee_sees = crypto.fingerprint(invitation.inviter_identity_public_key,
                                      bob.keys.identity_public_key)
    assert inviter_sees == invitee_sees
    bob.api.accept(invitation.invitation_id)
    assert bob.api.team_keys(made.team_id, bob.keys.identity) == {1: key}
    assert bob.api.invitations() == []


def test_an_invitation_can_be_accepted_only_by_its_invitee(user: UserFactory) -> None:
    alice, bob, mallory = user(), user(), user()
    made, key = alice.api.create_team("T", alice.keys.identity_public_key)
    inv = alice.api.invite(made.team_id, alice.api.lookup(bob.keys.username), "viewer", {1: key})
    with pytest.raises(ApiError) as err:
        mallory.api.accept(inv.invitation_id)
    assert err.value.status == 404
    with pytest.raises(ApiError):
        mallory.api.members(made.team_id)


def test_removal_locks_out_at_once_and_starts_an_epoch_that_needs_new_keys(
    team: TeamSetup,
) -> None:
    admin, member = team.users["admin"], team.users["member"]
    assert admin.api.remove_member(team.team_id, member.account_id) == 2
    with pytest.raises(ApiError) as err:
        member.api.pull(team.team_id)
    assert err.value.status == 404
    with pytest.raises(ApiError) as err:  # old key refused, new one not shared yet
        admin.api.push(team.team_id, [seal_op(team.team_id, team.key, 1, b"x")])
    assert err.value.status == 409
    with pytest.raises(ApiError) as err:
        admin.api.push(team.team_id, [seal_op(team.team_id, team.key, 2, b"x")])
    assert err.value.status == 409
    new_key = crypto.new_key()
    admin.api.share_keys(team.team_id, 2, new_key, admin.api.members(team.team_id))
    admin.api.push(team.team_id, [seal_op(team.team_id, new_key, 2, b"after")])
    viewer_keys = team.users["viewer"].api.team_keys(team.team_id,
                                                      team.users["viewer"].keys.identity)
    assert viewer_keys == {2: new_key}
    assert member.account_id not in {m.account_id for m in admin.api.members(team.team_id)}


def test_the_last_admin_cannot_be_removed(team: TeamSetup) -> None:
    admin = team.users["admin"]
    with pytest.raises(ApiError) as err:
        admin.api.remove_member(team.team_id, admin.account_id)
    assert err.value.status == 409


def test_keys_can_be_shared_only_with_members(team: TeamSetup) -> None:
    admin, outsider = team.users["admin"], team.users["outsider"]
    members = admin.api.members(team.team_id)
    fake = members[0].model_copy(update={"account_id": outsider.account_id})
    with pytest.raises(ApiError) as err:
        admin.api.share_keys(team.team_id, 1, team.key, [fake])
    assert err.value.status == 422
    with pytest.raises(ApiError) as err:  # the admin already has epoch 1's key
        admin.api.share_keys(team.team_id, 1, team.key, members[:1])
    assert err.value.status == 409


# --- role changes ------------------------------------------------------------


def _roles(caller: User, team_id: str) -> dict[str, str]:
    return {m.account_id: m.role for m in caller.api.members(team_id)}


def _epoch(caller: User, team_id: str) -> int:
    return protocol.Team.model_validate(caller.api.request("GET", f"/teams/{team_id}").json()).epoch


def _role_changes(db: Database) -> list[Audit]:
    with db.reading.begin() as s:
        return list(s.scalars(select(Audit).where(Audit.action == "role_changed")
                              .order_by(Audit.id)))


def test_a_viewer_promoted_to_member_can_push(team: TeamSetup) -> None:
    admin, viewer = team.users["admin"], team.users["viewer"]
    (seat,) = [m for m in admin.api.members(team.team_id) if m.account_id == viewer.account_id]
    admin.api.share_keys(team.team_id, 1, team.key, [seat])  # joined without keys
    with pytest.raises(ApiError) as err:
        viewer.api.push(team.team_id, [seal_op(team.team_id, team.key, 1, b"too early")])
    assert err.value.status == 403
    member = admin.api.set_role(team.team_id, viewer.account_id, "member")
    assert (member.account_id, member.role, member.has_current_key) == (
        viewer.account_id, "member", True)
    assert member.identity_public_key == viewer.keys.identity_public_key
    viewer.api.push(team.team_id, [seal_op(team.team_id, team.key, 1, b"now a member")])
    (change,) = admin.api.pull_all(team.team_id)
    assert change.author_id == viewer.account_id
    assert open_change(team.team_id, team.key, change) == b"now a member"
    assert _roles(admin, team.team_id)[viewer.account_id] == "member"
    assert _epoch(admin, team.team_id) == 1


def test_a_member_demoted_to_viewer_cannot_push_at_once_but_still_reads(team: TeamSetup) -> None:
    admin, member = team.users["admin"], team.users["member"]
    member.api.push(team.team_id, [seal_op(team.team_id, team.key, 1, b"before")])
    viewer = admin.api.set_role(team.team_id, member.account_id, "viewer")
    assert (viewer.role, viewer.has_current_key) == ("viewer", True)
    with pytest.raises(ApiError) as err:
        member.api.push(team.team_id, [seal_op(team.team_id, team.key, 1, b"after")])
    assert err.value.status == 403
    (change,) = member.api.pull_all(team.team_id)
    assert open_change(team.team_id, team.key, change) == b"before"
    # no new epoch: the keys they hold still open the log
    assert member.api.team_keys(team.team_id, member.keys.identity) == {1: team.key}
    assert _epoch(member, team.team_id) == 1
    assert _roles(admin, team.team_id)[member.account_id] == "viewer"


def test_the_last_admin_cannot_step_down(team: TeamSetup) -> None:
    admin, viewer = team.users["admin"], team.users["viewer"]
    lower: tuple[protocol.Role, ...] = ("member", "viewer")
    for role in lower:
        with pytest.raises(ApiError) as err:
            admin.api.set_role(team.team_id, admin.account_id, role)
        assert (err.value.status, err.value.detail) == (409, "a team needs at least one admin")
    assert _roles(admin, team.team_id)[admin.account_id] == "admin"
    assert admin.api.set_role(team.team_id, viewer.account_id, "member").role == "member"


def test_an_admin_can_step_down_once_another_is_promoted(team: TeamSetup) -> None:
    admin, member, viewer = (team.users[r] for r in ("admin", "member", "viewer"))
    assert admin.api.set_role(team.team_id, member.account_id, "admin").role == "admin"
    assert member.api.set_role(team.team_id, admin.account_id, "member").role == "member"
    assert _roles(member, team.team_id) == {admin.account_id: "member",
                                            member.account_id: "admin",
                                            viewer.account_id: "viewer"}
    with pytest.raises(ApiError) as err:  # no longer an admin
        admin.api.set_role(team.team_id, viewer.account_id, "member")
    assert err.value.status == 403
    with pytest.raises(ApiError) as err:  # the new admin is now the only one
        member.api.set_role(team.team_id, member.account_id, "viewer")
    assert err.value.status == 409
    assert _roles(member, team.team_id)[member.account_id] == "admin"
    assert _epoch(member, team.team_id) == 1


def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    team: TeamSetup, db: Database
) -> None:
    """The second demotion waits for the first and then finds only one admin left."""
    admin, member = team.users["admin"], team.users["member"]
    admin.api.set_role(team.team_id, member.account_id, "admin")
    with ThreadPoolExecutor(1) as pool:
        # a concurrent demotion of `admin` by `member`, holding the team until it commits
        with db.writer.begin() as conn:
            conn.execute(text("SELECT epoch FROM team WHERE id = :t"
                              + ("" if db.is_sqlite else " FOR UPDATE")), {"t": team.team_id})
            conn.execute(text("UPDATE membership SET role = 'member' "
                              "WHERE team_id = :t AND account_id = :a"),
                         {"t": team.team_id, "a": admin.account_id})
            racing = pool.submit(admin.api.set_role, team.team_id, member.account_id, "member")
            time.sleep(0.7)
            assert not racing.done()
        with pytest.raises(ApiError) as err:
            racing.result(timeout=30)
    assert err.value.status in {403, 409}  # SQLite: waited before its role check
    roles = _roles(member, team.team_id)
    assert (roles[admin.account_id], roles[member.account_id]) == ("member", "admin")


def test_setting_the_same_role_again_changes_nothing(team: TeamSetup, db: Database) -> None:
    admin, viewer = team.users["admin"], team.users["viewer"]
    before = admin.api.members(team.team_id)
    assert admin.api.set_role(team.team_id, viewer.account_id, "viewer").role == "viewer"
    assert admin.api.set_role(team.team_id, admin.account_id, "admin").role == "admin"
    assert admin.api.members(team.team_id) == before
    assert _epoch(admin, team.team_id) == 1
    assert _role_changes(db) == []


def test_a_role_change_needs_a_member_of_this_team(team: TeamSetup) -> None:
    admin, viewer, outsider = (team.users[r] for r in ("admin", "viewer", "outsider"))
    before = admin.api.members(team.team_id)
    for target in (outsider.account_id, str(uuid.uuid4())):
        with pytest.raises(ApiError) as err:
            admin.api.set_role(team.team_id, target, "member")
        assert (err.value.status, err.value.detail) == (404, "not a member of this team")
    # another team's admin: neither with this team's id nor with their own team's
    (own,) = outsider.api.request("GET", "/teams").json()
    for team_id in (team.team_id, own["team_id"]):
        with pytest.raises(ApiError) as err:
            outsider.api.set_role(team_id, viewer.account_id, "admin")
        assert err.value.status == 404
    assert admin.api.members(team.team_id) == before
    assert _roles(outsider, own["team_id"]) == {outsider.account_id: "admin"}


def test_a_role_change_is_audited_with_ids_and_roles_only(team: TeamSetup, db: Database) -> None:
    admin, viewer = team.users["admin"], team.users["viewer"]
    admin.api.set_role(team.team_id, viewer.account_id, "member")
    admin.api.set_role(team.team_id, viewer.account_id, "member")  # a retry: no second row
    (row,) = _role_changes(db)
    assert admin.api.tokens is not None
    assert (row.account_id, row.device_id, row.team_id) == (
        admin.account_id, admin.api.tokens.device_id, team.team_id)
    assert row.detail == f"previous=viewer role=member target={viewer.account_id}"
    names = [u.keys.username for u in team.users.values()]
    assert not any(name in row.detail + (row.address or "") for name in names)
