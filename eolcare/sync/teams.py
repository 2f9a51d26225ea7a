"""Teams from the laptop: create, invite with a fingerprint check, join, members, removal.

A profile syncs with one team. Team keys come in epochs; each epoch's key is
sealed to every member's identity key by an admin's laptop (the server never
holds one in clear). An invitation carries every epoch's key sealed to the
invitee, so a new member reads the team's whole history; both people compare
the fingerprint of their two identity keys before trusting each other.
Removing a member starts a new epoch and seals its key to those who stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx
from nacl.public import PrivateKey

from eolcare.store import accounts, inbox
from eolcare.store.database import Store
from eolcare.sync import crypto, errors, protocol
from eolcare.sync.account import connect, identity, signed_in
from eolcare.sync.connection import Connection


def my_team(store: Store) -> accounts.Team:
    with store.reading() as s:
        t = accounts.team(s)
    if t is None:
        raise errors.NoTeamError()
    if t.removed_at is not None:
        raise errors.RemovedError(t.name, t.removed_at)
    return t


def records_to_share(store: Store) -> int:
    """Changes made on this laptop that joining a team would send to it."""
    with store.reading() as s:
        return inbox.pending_count(s)


def create(store: Store, name: str, transport: httpx.BaseTransport | None = None
           ) -> protocol.Team:
    """A new team with this coordinator as admin; its first key is made here."""
    acc = signed_in(store)
    with store.reading() as s:
        if accounts.team(s) is not None:
            raise errors.TeamError("This profile is already in a team; a profile syncs with "
                                   "one team.")
    with connect(store, transport) as conn:
        made, key = conn.call(lambda: conn.api.create_team(name, bytes(
            identity(acc).public_key)))
    with store.writing() as w:
        accounts.join_team(w.session, made.team_id, made.name, made.role, made.epoch)
        accounts.save_team_keys(w.session, made.team_id, {made.epoch: key})
    return made


@dataclass(frozen=True)
class Invitee:
    username: str
    account: protocol.AccountPublic
    fingerprint: str


def prepare_invite(store: Store, username: str,
                   transport: httpx.BaseTransport | None = None) -> Invitee:
    """Look the invitee up; the fingerprint is what both people compare before going on."""
    acc = signed_in(store)
    my_team(store)
    with connect(store, transport) as conn:
        public = conn.call(lambda: conn.api.lookup(username))
    mine = bytes(identity(acc).public_key)
    return Invitee(username, public, crypto.fingerprint(mine, public.identity_public_key))


def invite(store: Store, invitee: Invitee, role: protocol.Role = "member",
           transport: httpx.BaseTransport | None = None) -> protocol.Invitation:
    """Invite after the fingerprint check: every epoch's key goes, sealed to the invitee."""
    t = my_team(store)
    with store.reading() as s:
        keys = accounts.team_keys(s, t.team_id)
    with connect(store, transport) as conn:
        return conn.call(lambda: conn.api.invite(t.team_id, invitee.account, role, keys))


@dataclass(frozen=True)
class Offer:
    invitation: protocol.Invitation
    fingerprint: str


def invitations(store: Store, transport: httpx.BaseTransport | None = None) -> list[Offer]:
    acc = signed_in(store)
    mine = bytes(identity(acc).public_key)
    with connect(store, transport) as conn:
        found = conn.call(conn.api.invitations)
    return [Offer(i, crypto.fingerprint(mine, i.inviter_identity_public_key or b""))
            for i in found]


def accept(store: Store, offer: Offer, transport: httpx.BaseTransport | None = None
           ) -> protocol.Team:
    """Join after the fingerprint check; this laptop's records go to the team at the next sync."""
    acc = signed_in(store)
    with store.reading() as s:
        existing = accounts.team(s)
    if existing is not None and existing.team_id != offer.invitation.team_id:
        raise errors.TeamError(f"This profile already syncs with the team {existing.name!r}; "
                               "a profile syncs with one team. Use another profile.")
    ident = identity(acc)
    try:
        keys = {k.epoch: crypto.open_team_key(k.sealed_key, ident)
                for k in offer.invitation.keys}
    except crypto.CryptoError:
        raise errors.TeamError("The invitation's team keys were not sealed to your account, "
                               "so it was not accepted. Ask the admin to invite you again."
                               ) from None
    with connect(store, transport) as conn:
        joined = conn.call(lambda: conn.api.accept(offer.invitation.invitation_id))
    with store.writing() as w:
        accounts.join_team(w.session, joined.team_id, joined.name, joined.role, joined.epoch)
        accounts.save_team_keys(w.session, joined.team_id, keys)
    return joined


def use_team(store: Store, team: protocol.Team,
             transport: httpx.BaseTransport | None = None) -> None:
    """Bind this profile to a team the account is already in (a second laptop)."""
    with store.writing() as w:
        accounts.join_team(w.session, team.team_id, team.name, team.role, team.epoch)
    with connect(store, transport) as conn:
        refresh_keys(store, conn, my_team(store))


@dataclass(frozen=True)
class MemberView:
    account_id: str
    role: str
    has_current_key: bool
    me: bool
    fingerprint: str  #: with my identity key (empty for myself)


def members(store: Store, transport: httpx.BaseTransport | None = None) -> list[MemberView]:
    acc = signed_in(store)
    t = my_team(store)
    mine = bytes(identity(acc).public_key)
    with connect(store, transport) as conn:
        found = conn.call(lambda: conn.api.members(t.team_id))
    return [MemberView(m.account_id, m.role, m.has_current_key, m.account_id == acc.account_id,
                       "" if m.account_id == acc.account_id
                       else crypto.fingerprint(mine, m.identity_public_key)) for m in found]


def remove(store: Store, who: str, transport: httpx.BaseTransport | None = None) -> int:
    """Remove a member (user name or account id): their sessions end, a new epoch starts,
    and its key is sealed to those who stay. Returns the new epoch."""
    t = my_team(store)
    with connect(store, transport) as conn:
        account_id = who
        if "-" not in who or len(who) != 36:
            account_id = conn.call(lambda: conn.api.lookup(who)).account_id
        epoch = conn.call(lambda: conn.api.remove_member(t.team_id, account_id))
        with store.writing() as w:
            accounts.update_team(w.session, t.team_id, epoch=epoch)
        refresh_keys(store, conn, my_team(store))
    return epoch


def set_role(store: Store, who: str, role: protocol.Role,
             transport: httpx.BaseTransport | None = None) -> None:
    t = my_team(store)
    with connect(store, transport) as conn:
        account_id = who
        if "-" not in who or len(who) != 36:
            account_id = conn.call(lambda: conn.api.lookup(who)).account_id
        conn.call(lambda: conn.api.set_role(t.team_id, account_id, role))


def refresh_keys(store: Store, conn: Connection, t: accounts.Team) -> protocol.Team:
    """Bring role, epoch and keys up to date; an admin seals a missing current key.

    Raises RemovedError when the server no longer knows this member in the team
    (it answers 404 for a team one is not in).
    """
    acc = signed_in(store)
    try:
        info = conn.call(lambda: conn.api._call(protocol.Team, "GET", f"/teams/{t.team_id}"))
    except errors.RefusedError as exc:
        if exc.status != 404:
            raise
        with store.writing() as w:
            when = accounts.mark_removed(w.session, t.team_id)
        raise errors.RemovedError(t.name, when) from None
    with store.reading() as s:
        held = accounts.team_keys(s, t.team_id)
    known = set(held)

    def new_keys(keys: dict[int, bytes]) -> bool:
        return set(keys) != known

    if not set(range(1, info.epoch + 1)) <= set(held):
        held.update(_open_keys(conn, t.team_id, identity(acc), held))
    if info.epoch not in held and info.role == "admin":
        key = crypto.new_key()
        members = conn.call(lambda: conn.api.members(t.team_id))
        try:
            conn.call(lambda: conn.api.share_keys(t.team_id, info.epoch, key, members))
            held[info.epoch] = key
        except errors.RefusedError as exc:
            if exc.status != 409:
                raise
            # another admin sealed this epoch's key first: use theirs
            held.update(_open_keys(conn, t.team_id, identity(acc), held))
    if (info.name, info.role, info.epoch) != (t.name, t.role, t.epoch) or new_keys(held):
        with store.writing() as w:
            accounts.update_team(w.session, t.team_id, name=info.name, role=info.role,
                                 epoch=info.epoch)
            accounts.save_team_keys(w.session, t.team_id, held)
    return info


def _open_keys(conn: Connection, team_id: str, ident: PrivateKey,
               held: dict[int, bytes]) -> dict[int, bytes]:
    opened: dict[int, bytes] = {}
    for k in conn.call(lambda: conn.api._list(protocol.EpochKey, f"/teams/{team_id}/keys")):
        if k.epoch not in held:
            try:
                opened[k.epoch] = crypto.open_team_key(k.sealed_key, ident)
            except crypto.CryptoError:
                continue  # reported when a change under that epoch fails to open
    return opened


@dataclass(frozen=True)
class Status:
    server: str | None
    username: str | None
    team: str | None
    role: str | None
    epoch: int | None
    last_synced: datetime | None
    removed: datetime | None
    waiting: int
    needing_review: int
    unreadable: int


def status(store: Store) -> Status:
    """What the status bar and `eolcare team status` show; reads the laptop only."""
    with store.reading() as s:
        acc = accounts.account(s)
        t = accounts.team(s)
        return Status(
            acc.server_url if acc else None, acc.username if acc else None,
            t.name if t else None, t.role if t else None, t.epoch if t else None,
            t.last_synced_at if t else None, t.removed_at if t else None,
            inbox.pending_count(s), accounts.count_needing_review(s),
            len(accounts.failures(s, t.team_id)) if t else 0)



def pending_invitations(store: Store, transport: httpx.BaseTransport | None = None
                        ) -> list[protocol.TeamInvitation]:
    """The team's invitations not yet accepted (admins): to cancel or invite again."""
    t = my_team(store)
    with connect(store, transport) as conn:
        return conn.call(lambda: conn.api.team_invitations(t.team_id))


def cancel_invitation(store: Store, invitation_id: str,
                      transport: httpx.BaseTransport | None = None) -> None:
    t = my_team(store)
    with connect(store, transport) as conn:
        conn.call(lambda: conn.api.cancel_invitation(t.team_id, invitation_id))


def decline(store: Store, offer: Offer, transport: httpx.BaseTransport | None = None) -> None:
    with connect(store, transport) as conn:
        conn.call(lambda: conn.api.decline(offer.invitation.invitation_id))
