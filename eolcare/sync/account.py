"""The coordinator's account on a team server: register, sign in, sign out, passphrase.

One passphrase for the profile and the account: the commands unlock the
profile with it, and the account's keys are derived from the same text
(Argon2id, NFC-normalised). The passphrase never leaves the laptop; what the
server holds is public, wrapped or sealed (see DESIGN.md "Sync"). The
account's keys and tokens are kept in the encrypted profile
(:mod:`eolcare.store.accounts`), never in a plain file.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import nacl.pwhash
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from eolcare.store import accounts, inbox, vault
from eolcare.store.database import Store
from eolcare.sync import crypto, errors, protocol
from eolcare.sync.client_api import ACCOUNT_KEY_CONTEXT, IDENTITY_KEY_CONTEXT, AccountKeys
from eolcare.sync.connection import Connection


@dataclass(frozen=True)
class KdfPolicy:
    """Argon2id costs for a new account, and the least this client accepts from a server.

    A server (or someone in the middle) offering weaker costs would make the
    passphrase cheap to guess from what it stores; such an offer is refused.
    """

    opslimit: int = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
    memlimit: int = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE * 2
    min_opslimit: int = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
    min_memlimit: int = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE

    def check(self, params: crypto.KdfParams) -> None:
        if params.opslimit < self.min_opslimit or params.memlimit < self.min_memlimit:
            raise errors.WeakKdfError()


DEFAULT_KDF = KdfPolicy()
#: The cheapest Argon2id, for tests only (hidden CLI flag --fast-kdf-for-tests).
FAST_KDF_FOR_TESTS = KdfPolicy(1, 8192, 1, 8192)


def _tokens(acc: accounts.Account) -> protocol.TokenPair:
    return protocol.TokenPair(access_token=acc.access_token, refresh_token=acc.refresh_token,
                              access_expires_in=0, refresh_expires_in=0,
                              account_id=acc.account_id, device_id=acc.device_id)


def signed_in(store: Store) -> accounts.Account:
    with store.reading() as s:
        acc = accounts.account(s)
    if acc is None:
        raise errors.NotSignedInError()
    return acc


def connect(store: Store, transport: httpx.BaseTransport | None = None) -> Connection:
    """A connection for this profile's account; new tokens are saved as they come."""
    acc = signed_in(store)

    def save(t: protocol.TokenPair) -> None:
        with store.writing() as w:
            accounts.save_tokens(w.session, t.access_token, t.refresh_token, t.device_id)

    return Connection(acc.server_url, acc.ca_bundle, tokens=_tokens(acc),
                      username=acc.username, login_key=SigningKey(acc.login_seed),
                      on_tokens=save, transport=transport)


def identity(acc: accounts.Account) -> PrivateKey:
    return PrivateKey(acc.identity_key)


def _save(store: Store, url: str, ca_bundle: str | None, keys: AccountKeys,
          tokens: protocol.TokenPair) -> None:
    with store.writing() as w:
        accounts.save_account(w.session, accounts.Account(
            server_url=url, ca_bundle=ca_bundle, username=keys.username,
            account_id=tokens.account_id, device_id=tokens.device_id,
            kdf_salt=keys.kdf.salt, kdf_opslimit=keys.kdf.opslimit,
            kdf_memlimit=keys.kdf.memlimit, login_seed=bytes(keys.login_key),
            account_key=keys.account_key, identity_key=bytes(keys.identity),
            access_token=tokens.access_token, refresh_token=tokens.refresh_token))


def _not_yet_signed_in(store: Store) -> None:
    with store.reading() as s:
        acc = accounts.account(s)
    if acc is not None:
        raise errors.SyncError(
            f"This profile is already signed in as {acc.username!r}. Sign out first.")


def register(store: Store, url: str, username: str, passphrase: str, *,
             ca_bundle: str | None = None, policy: KdfPolicy = DEFAULT_KDF,
             label: str = "eolcare", transport: httpx.BaseTransport | None = None
             ) -> accounts.Account:
    """A new account on the server at ``url``, signed in on this profile."""
    _not_yet_signed_in(store)
    keys = AccountKeys.create(username, passphrase,
                              crypto.KdfParams.new(policy.opslimit, policy.memlimit))
    with Connection(url, ca_bundle, transport=transport) as conn:
        conn.call(lambda: conn.api.register(keys))
        tokens = conn.call(lambda: conn.api.login(username, keys.login_key, label))
    _save(store, conn.url, ca_bundle, keys, tokens)
    return signed_in(store)


def login(store: Store, url: str, username: str, passphrase: str, *,
          ca_bundle: str | None = None, policy: KdfPolicy = DEFAULT_KDF,
          label: str = "eolcare", transport: httpx.BaseTransport | None = None
          ) -> list[protocol.Team]:
    """Sign this profile in to an existing account (a second laptop); returns its teams.

    The key parameters come from the server and are checked against the
    policy's minimum before the passphrase is used with them.
    """
    _not_yet_signed_in(store)
    with Connection(url, ca_bundle, transport=transport) as conn:
        msg = conn.call(lambda: conn.api._call(protocol.KdfParamsMsg, "GET", "/auth/kdf",
                                               params={"username": username}, auth=False))
        kdf = crypto.KdfParams(msg.salt, msg.opslimit, msg.memlimit)
        policy.check(kdf)
        derived = crypto.derive_keys(passphrase, kdf)
        tokens = conn.call(lambda: conn.api.login(username, derived.login_key, label))
        info = conn.call(lambda: conn.api._call(protocol.AccountInfo, "GET", "/account"))
        try:
            account_key = crypto.unwrap(derived.master_key, info.wrapped_account_key,
                                        ACCOUNT_KEY_CONTEXT)
            ident = PrivateKey(crypto.unwrap(account_key, info.wrapped_identity_key,
                                             IDENTITY_KEY_CONTEXT))
        except crypto.CryptoError:
            raise errors.SignInError(
                "The account's keys on the server do not open with this passphrase. "
                "Nothing was saved; tell whoever runs the server.") from None
        if bytes(ident.public_key) != info.identity_public_key:
            raise errors.SignInError("The account's identity key on the server does not match "
                                     "its public key. Nothing was saved.")
        teams = conn.call(lambda: conn.api._list(protocol.Team, "/teams"))
    keys = AccountKeys(username, kdf, derived.login_key, derived.master_key, account_key, ident)
    _save(store, conn.url, ca_bundle, keys, tokens)
    return teams


@dataclass(frozen=True)
class Unsynced:
    """What signing out would lose: operations not yet on the server, changes not opened."""

    waiting: int
    unreadable: int

    def warning(self) -> str | None:
        if not self.waiting and not self.unreadable:
            return None
        parts = []
        if self.waiting:
            parts.append(f"{self.waiting} change(s) made on this laptop have not been sent to "
                         "the team server and would be lost")
        if self.unreadable:
            parts.append(f"{self.unreadable} change(s) from the team could not be opened")
        return "; ".join(parts) + "."


def unsynced(store: Store) -> Unsynced:
    with store.reading() as s:
        t = accounts.team(s)
        return Unsynced(inbox.pending_count(s),
                        len(accounts.failures(s, t.team_id)) if t else 0)


def sign_out(store: Store, transport: httpx.BaseTransport | None = None) -> None:
    """Sign out and remove the team's records and keys from this laptop.

    The caller shows :func:`unsynced`'s warning and asks first. The server is
    told (this device's tokens end) when it can be reached; the laptop's data
    goes either way.
    """
    try:
        with connect(store, transport) as conn:
            conn.call(lambda: conn.api.request("POST", "/auth/logout"))
    except errors.SyncError:
        pass  # offline or already signed out: the local copy goes all the same
    with store.writing() as w:
        accounts.forget_team_data(w.session)


def change_passphrase(store: Store, old: str | None, new: str, *,
                      recovery_key: str | None = None,
                      policy: KdfPolicy = DEFAULT_KDF,
                      transport: httpx.BaseTransport | None = None) -> bool:
    """Change the one passphrase: the profile's vault and, when signed in, the account.

    ``old`` is the current passphrase; for a forgotten one pass ``old=None``
    and the ``recovery_key`` instead (the account's keys are in the profile, so
    the server's part needs no old passphrase). Either is checked against the
    vault first; then the server (needs a connection), then the vault. Returns
    whether the account changed too. If the server refuses, nothing changed.
    """
    profile = store.profile
    if old is not None:
        vault.unlock(profile.vault_path, old, profile_id=profile.id)  # WrongPassphraseError
    elif recovery_key is not None:
        vault.unlock_with_recovery_key(profile.vault_path, recovery_key, profile_id=profile.id)
    else:
        raise ValueError("change_passphrase needs the old passphrase or the recovery key")
    vault.require_acceptable(new)  # refused here, before the server is changed
    with store.reading() as s:
        acc = accounts.account(s)
    if acc is not None:
        current = AccountKeys(acc.username, crypto.KdfParams(acc.kdf_salt, acc.kdf_opslimit,
                                                             acc.kdf_memlimit),
                              SigningKey(acc.login_seed), b"", acc.account_key,
                              identity(acc))
        fresh = current.with_passphrase(
            new, crypto.KdfParams.new(max(policy.opslimit, acc.kdf_opslimit),
                                      max(policy.memlimit, acc.kdf_memlimit)))
        with connect(store, transport) as conn:
            conn.call(lambda: conn.api.change_passphrase(current, fresh))
        with store.writing() as w:
            accounts.save_passphrase_keys(w.session, fresh.kdf.salt, fresh.kdf.opslimit,
                                          fresh.kdf.memlimit, bytes(fresh.login_key))
    # this open store holds the profile's lock, as database.change_passphrase would
    if old is not None:
        vault.change_passphrase(profile.vault_path, old, new, profile_id=profile.id)
    else:
        assert recovery_key is not None
        vault.reset_passphrase(profile.vault_path, recovery_key, new, profile_id=profile.id)
    return acc is not None
