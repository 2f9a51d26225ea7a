"""A signed-in device's connection to its team server, with failures said plainly.

Wraps :class:`~eolcare.sync.client_api.SyncApi`: checks the address (https,
or plain http only to this computer), pins a CA bundle when given, checks
that a login challenge names the server it meant to reach, refreshes an
expired access token (and signs in again with the stored login key when the
refresh token is spent), and turns every network or HTTP failure into a
:class:`~eolcare.sync.errors.SyncError` with a plain sentence.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import certifi
import httpx
from nacl.signing import SigningKey

from eolcare.sync import errors, protocol
from eolcare.sync.client_api import ApiError, SyncApi

log = logging.getLogger(__name__)
T = TypeVar("T")
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """The server address without a trailing slash; refuses plain http off this computer."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise errors.SyncError("The server address must look like https://server.example.org.")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise errors.PlainHttpError()
    return url.strip().rstrip("/")


@functools.cache
def _tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """One verifying TLS context per CA bundle (loading certificates takes ~0.1 s)."""
    return ssl.create_default_context(cafile=ca_bundle or certifi.where())


def http_client(url: str, ca_bundle: str | None = None,
                transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An HTTP client for the server at ``url``; certificates verified (against the bundle)."""
    url = check_url(url)
    if ca_bundle and not Path(ca_bundle).is_file():
        raise errors.SyncError(f"The CA bundle {ca_bundle!r} does not exist.")
    return httpx.Client(base_url=url, verify=_tls_context(ca_bundle), timeout=TIMEOUT,
                        transport=transport)


class _CheckedApi(SyncApi):
    """A SyncApi that refuses a challenge bound to another host (a relayed challenge)."""

    def __init__(self, http: httpx.Client, url: str) -> None:
        super().__init__(http)
        parts = urlsplit(url)
        self._hosts = {parts.netloc, parts.hostname or ""}

    def challenge(self, action: protocol.Action) -> str:
        text = super().challenge(action)
        parts = text.split("|")
        if len(parts) != 5 or parts[0] != protocol.CHALLENGE_PREFIX or parts[1] not in self._hosts \
                or parts[2] != action:
            raise errors.SignInError(
                "The server answered with a sign-in challenge for another address, so nothing "
                "was signed. Check the server address.")
        return text


class Connection:
    """One device's session; ``on_tokens`` saves new tokens as soon as they are issued."""

    def __init__(self, url: str, ca_bundle: str | None = None, *,
                 tokens: protocol.TokenPair | None = None,
                 username: str | None = None, login_key: SigningKey | None = None,
                 on_tokens: Callable[[protocol.TokenPair], None] | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = check_url(url)
        self.http = http_client(self.url, ca_bundle, transport)
        self.api = _CheckedApi(self.http, self.url)
        self.api.tokens = tokens
        self.username = username
        self.login_key = login_key
        self.on_tokens = on_tokens

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def plain_errors(self) -> Iterator[None]:
        """Network and HTTP failures as plain-sentence SyncErrors."""
        try:
            yield
        except httpx.ConnectError as exc:
            if _is_tls(exc):
                raise errors.TlsError(self.url) from None
            raise errors.OfflineError(self.url) from None
        except httpx.TransportError:
            raise errors.OfflineError(self.url) from None
        except ApiError as exc:
            raise self.translate(exc) from None

    def translate(self, exc: ApiError) -> errors.SyncError:
        if exc.status == 429:
            return errors.RateLimitedError(exc.headers.get("retry-after", "a few"))
        if exc.status >= 500:
            return errors.ServerError(self.url, exc.status)
        if exc.status in (401, 403) and "sign-in failed" in exc.detail.lower():
            return errors.SignInError(
                "The server did not accept this account's sign-in: the user name or "
                "passphrase is not right, or the passphrase was changed on another device. "
                "Sign in again.")
        if exc.status == 401:
            return errors.SignInError("The server ended this device's session. Sign in again.")
        return errors.RefusedError(exc.status, exc.detail)

    def call(self, fn: Callable[[], T]) -> T:
        """Run one API call; on an expired session refresh (or sign in again) and retry once."""
        with self.plain_errors():
            try:
                return fn()
            except ApiError as exc:
                if exc.status != 401 or self.api.tokens is None:
                    raise
            self._renew()
            return fn()

    def _renew(self) -> None:
        try:
            tokens = self.api.refresh()
        except ApiError as exc:
            if exc.status != 401 or self.login_key is None or self.username is None:
                raise
            log.info("refresh token refused; signing in again with the stored login key")
            self.api.tokens = None
            tokens = self.api.login(self.username, self.login_key, "eolcare")
        if self.on_tokens is not None:
            self.on_tokens(tokens)


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
