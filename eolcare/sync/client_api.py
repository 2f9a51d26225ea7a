"""A thin HTTP client of the sync API: what a real client sends, with no local store.

The client sync engine (a later layer) builds on this; the server tests use it
exactly as a laptop would.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import httpx
from nacl.public import PrivateKey
from nacl.signing import SigningKey
from pydantic import BaseModel, TypeAdapter

from eolcare.sync import crypto, protocol

M = TypeVar("M", bound=BaseModel)
ACCOUNT_KEY_CONTEXT = b"eolcare-account-key-v1"
IDENTITY_KEY_CONTEXT = b"eolcare-identity-key-v1"


class ApiError(Exception):
    """The server said no; `detail` is its plain-sentence reason."""

    def __init__(self, status: int, detail: str, headers: httpx.Headers) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.headers = headers


@dataclass(frozen=True)
class AccountKeys:
    """Everything a device holds after unlocking: none of it is sent in clear."""

    username: str
    kdf: crypto.KdfParams
    login_key: SigningKey
    master_key: bytes
    account_key: bytes
    identity: PrivateKey

    @classmethod
    def create(cls, username: str, passphrase: str, kdf: crypto.KdfParams) -> AccountKeys:
        derived = crypto.derive_keys(passphrase, kdf)
        return cls(username, kdf, derived.login_key, derived.master_key, crypto.new_key(),
                   crypto.new_identity())

    def with_passphrase(self, passphrase: str,
                        kdf: crypto.KdfParams | None = None) -> AccountKeys:
        """The same account key and identity under a new passphrase.

        A fresh salt (with the current costs unless `kdf` says otherwise) gives a
        new master key, which wraps the same account key, and a new login key.
        """
        kdf = kdf or crypto.KdfParams.new(self.kdf.opslimit, self.kdf.memlimit)
        if kdf.salt == self.kdf.salt:
            raise ValueError("a new passphrase needs a new salt")
        derived = crypto.derive_keys(passphrase, kdf)
        return replace(self, kdf=kdf, login_key=derived.login_key,
                       master_key=derived.master_key)

    @property
    def identity_public_key(self) -> bytes:
        return bytes(self.identity.public_key)

    @property
    def login_public_key(self) -> bytes:
        return bytes(self.login_key.verify_key)

    def kdf_message(self) -> protocol.KdfParamsMsg:
        return protocol.KdfParamsMsg(salt=self.kdf.salt, opslimit=self.kdf.opslimit,
                                     memlimit=self.kdf.memlimit)

    def wrapped_account_key(self) -> bytes:
        """The account key wrapped by this passphrase's master key."""
        return crypto.wrap(self.master_key, self.account_key, ACCOUNT_KEY_CONTEXT)

    def registration(self, challenge: str) -> protocol.RegisterRequest:
        return protocol.RegisterRequest(
            username=self.username,
            login_public_key=self.login_public_key,
            kdf=self.kdf_message(),
            wrapped_account_key=self.wrapped_account_key(),
            identity_public_key=self.identity_public_key,
            wrapped_identity_key=crypto.wrap(self.account_key, bytes(self.identity),
                                             IDENTITY_KEY_CONTEXT),
            challenge=challenge,
            signature=crypto.sign(self.login_key, challenge),
        )

    def passphrase_change(self, new: AccountKeys, challenge: str) -> protocol.PassphraseChange:
        """Move this account to `new`'s passphrase: signed by this (current) login key
        and by the new one, over a `rekey` challenge bound to the new credentials."""
        if (new.account_key, bytes(new.identity)) != (self.account_key, bytes(self.identity)):
            raise ValueError("the new keys must keep the same account key and identity")
        kdf, wrapped = new.kdf_message(), new.wrapped_account_key()
        statement = protocol.rekey_statement(challenge, new.login_public_key, kdf, wrapped)
        return protocol.PassphraseChange(
            challenge=challenge,
            signature=crypto.sign(self.login_key, statement),
            login_public_key=new.login_public_key,
            new_key_signature=crypto.sign(new.login_key, statement),
            kdf=kdf,
            wrapped_account_key=wrapped,
        )


class SyncApi:
    """One device's session with a server. Not thread-safe: one per thread."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.tokens: protocol.TokenPair | None = None

    # --- plumbing --------------------------------------------------------

    def request(self, method: str, path: str, *, json: Any = None,
                params: dict[str, Any] | None = None, auth: bool = True) -> httpx.Response:
        """Send one request; raise ApiError on any 4xx or 5xx."""
        headers = {}
        if auth and self.tokens is not None:
            headers["Authorization"] = f"Bearer {self.tokens.access_token}"
        response = self.http.request(method, protocol.API_PREFIX + path, json=json,
                                     params=params, headers=headers)
        if response.status_code >= 400:
            try:
                detail = str(response.json().get("detail"))
            except ValueError:
                detail = response.text
            raise ApiError(response.status_code, detail, response.headers)
        return response

    def _call(self, model: type[M], method: str, path: str, body: BaseModel | None = None,
              **kw: Any) -> M:
        json = body.model_dump(mode="json") if body is not None else None
        # parsed and validated in one pass by pydantic-core (a page of 1,000 changes: the
        # standard library's parse and then validation took twice as long)
        return model.model_validate_json(self.request(method, path, json=json, **kw).content)

    def _list(self, model: type[M], path: str) -> list[M]:
        return TypeAdapter(list[model]).validate_python(  # type: ignore[valid-type]
            self.request("GET", path).json())

    # --- accounts --------------------------------------------------------

    def challenge(self, action: protocol.Action) -> str:
        return self._call(protocol.ChallengeResponse, "POST", "/auth/challenge",
                          protocol.ChallengeRequest(action=action), auth=False).challenge

    def register(self, keys: AccountKeys) -> str:
        request = keys.registration(self.challenge("register"))
        return self._call(protocol.RegisterResponse, "POST", "/auth/register", request,
                          auth=False).account_id

    def login_request(self, username: str, login_key: SigningKey,
                      challenge: str | None = None, label: str = "") -> protocol.LoginRequest:
        text = challenge if challenge is not None else self.challenge("login")
        return protocol.LoginRequest(username=username, challenge=text,
                                     signature=crypto.sign(login_key, text), device_label=label)

    def login(self, username: str, login_key: SigningKey, label: str = "") -> protocol.TokenPair:
        request = self.login_request(username, login_key, label=label)
        self.tokens = self._call(protocol.TokenPair, "POST", "/auth/login", request, auth=False)
        return self.tokens

    def unlock(self, username: str, passphrase: str, label: str = "") -> AccountKeys:
        """What a new device does: fetch KDF parameters, derive, log in, unwrap the keys."""
        kdf_msg = self._call(protocol.KdfParamsMsg, "GET", "/auth/kdf",
                             params={"username": username}, auth=False)
        kdf = crypto.KdfParams(kdf_msg.salt, kdf_msg.opslimit, kdf_msg.memlimit)
        derived = crypto.derive_keys(passphrase, kdf)
        self.login(username, derived.login_key, label)
        info = self._call(protocol.AccountInfo, "GET", "/account")
        account_key = crypto.unwrap(derived.master_key, info.wrapped_account_key,
                                    ACCOUNT_KEY_CONTEXT)
        identity = PrivateKey(crypto.unwrap(account_key, info.wrapped_identity_key,
                                            IDENTITY_KEY_CONTEXT))
        return AccountKeys(username, kdf, derived.login_key, derived.master_key, account_key,
                           identity)

    def change_passphrase(self, old_keys: AccountKeys, new_keys: AccountKeys) -> None:
        """Change the account's passphrase (see `AccountKeys.with_passphrase`).

        Needs this device signed in and the current passphrase's keys. The
        device, and the account's other devices, stay signed in.
        """
        request = old_keys.passphrase_change(new_keys, self.challenge("rekey"))
        self.request("POST", "/account/passphrase", json=request.model_dump(mode="json"))

    def refresh(self) -> protocol.TokenPair:
        assert self.tokens is not None
        body = protocol.RefreshRequest(refresh_token=self.tokens.refresh_token)
        self.tokens = self._call(protocol.TokenPair, "POST", "/auth/refresh", body, auth=False)
        return self.tokens

    def lookup(self, username: str) -> protocol.AccountPublic:
        return self._call(protocol.AccountPublic, "GET", "/accounts/lookup",
                          params={"username": username})

    # --- teams -----------------------------------------------------------

    def create_team(self, name: str, identity_public_key: bytes) -> tuple[protocol.Team, bytes]:
        """A new team and its first epoch key (which only this client ever sees in clear)."""
        team_key = crypto.new_key()
        body = protocol.TeamCreate(name=name,
                                   sealed_key=crypto.seal_team_key(team_key, identity_public_key))
        return self._call(protocol.Team, "POST", "/teams", body), team_key

    def invite(self, team_id: str, invitee: protocol.AccountPublic, role: protocol.Role,
               keys: dict[int, bytes]) -> protocol.Invitation:
        sealed = [protocol.EpochKey(epoch=e, sealed_key=crypto.seal_team_key(
            k, invitee.identity_public_key)) for e, k in sorted(keys.items())]
        body = protocol.InvitationCreate(account_id=invitee.account_id, role=role, keys=sealed)
        return self._call(protocol.Invitation, "POST", f"/teams/{team_id}/invitations", body)

    def invitations(self) -> list[protocol.Invitation]:
        return self._list(protocol.Invitation, "/invitations")

    def accept(self, invitation_id: str) -> protocol.Team:
        return self._call(protocol.Team, "POST", f"/invitations/{invitation_id}/accept")

    def decline(self, invitation_id: str) -> None:
        self.request("DELETE", f"/invitations/{invitation_id}")

    def team_invitations(self, team_id: str) -> list[protocol.TeamInvitation]:
        """The team's pending invitations (admins only)."""
        return self._list(protocol.TeamInvitation, f"/teams/{team_id}/invitations")

    def cancel_invitation(self, team_id: str, invitation_id: str) -> None:
        """Cancel any pending invitation of the team (admins only)."""
        self.request("DELETE", f"/teams/{team_id}/invitations/{invitation_id}")

    def members(self, team_id: str) -> list[protocol.Member]:
        return self._list(protocol.Member, f"/teams/{team_id}/members")

    def team_keys(self, team_id: str, identity: PrivateKey) -> dict[int, bytes]:
        """The caller's team keys, opened, by epoch."""
        return {k.epoch: crypto.open_team_key(k.sealed_key, identity)
                for k in self._list(protocol.EpochKey, f"/teams/{team_id}/keys")}

    def remove_member(self, team_id: str, account_id: str) -> int:
        return self._call(protocol.Epoch, "DELETE",
                          f"/teams/{team_id}/members/{account_id}").epoch

    def set_role(self, team_id: str, account_id: str, role: protocol.Role) -> protocol.Member:
        return self._call(protocol.Member, "PATCH", f"/teams/{team_id}/members/{account_id}",
                          protocol.RoleChange(role=role))

    def share_keys(self, team_id: str, epoch: int, team_key: bytes,
                   members: list[protocol.Member]) -> None:
        keys = [protocol.MemberKey(epoch=epoch, account_id=m.account_id,
                                   sealed_key=crypto.seal_team_key(team_key,
                                                                   m.identity_public_key))
                for m in members]
        self.request("POST", f"/teams/{team_id}/keys",
                     json=protocol.KeysUpload(keys=keys).model_dump(mode="json"))

    # --- the change log --------------------------------------------------

    def push(self, team_id: str, ops: list[protocol.Op]) -> protocol.PushResponse:
        return self._call(protocol.PushResponse, "POST", f"/teams/{team_id}/changes",
                          protocol.PushRequest(ops=ops))

    def pull(self, team_id: str, after: int = 0, limit: int = 500) -> protocol.PullResponse:
        return protocol.PullResponse.model_validate_json(self.pull_content(team_id, after, limit))

    def pull_content(self, team_id: str, after: int = 0, limit: int = 500) -> bytes:
        """A page of changes as the server sent it (a :class:`protocol.PullResponse`'s JSON),
        for a caller that reads it elsewhere."""
        return self.request("GET", f"/teams/{team_id}/changes",
                            params={"after": after, "limit": limit}).content

    def pull_all(self, team_id: str, after: int = 0,
                 limit: int = protocol.MAX_PULL_LIMIT) -> list[protocol.Change]:
        changes: list[protocol.Change] = []
        while True:
            page = self.pull(team_id, after, limit)
            changes += page.changes
            if page.changes:
                after = page.changes[-1].seq
            if not page.more:
                return changes

    def digest(self, team_id: str, at: int | None = None) -> protocol.Digest:
        params = {} if at is None else {"at": at}
        return self._call(protocol.Digest, "GET", f"/teams/{team_id}/digest", params=params)


def seal_op(team_id: str, team_key: bytes, epoch: int, payload: bytes,
            record_id: str | None = None, *, op_id: str | None = None) -> protocol.Op:
    """Encrypt one operation the way the client engine does.

    An operation's own ``op_id`` is kept when given (idempotent pushes depend
    on it); a new one is made only for payloads that have none.
    """
    op_id, record = op_id or str(uuid.uuid4()), record_id or str(uuid.uuid4())
    aad = crypto.op_aad(team_id, record, op_id, epoch)
    return protocol.Op(op_id=op_id, record_id=record, epoch=epoch,
                       blob=crypto.encrypt_op(team_key, payload, aad))


def open_change(team_id: str, team_key: bytes, change: protocol.Change) -> bytes:
    aad = crypto.op_aad(team_id, change.record_id, change.op_id, change.epoch)
    return crypto.decrypt_op(team_key, change.blob, aad)
