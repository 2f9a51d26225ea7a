"""Authenticate before reading: a protected route's request without a valid access
token is a 401 before its body is read, parsed or validated.

Every route under /v1 is protected except the few a signed-out laptop needs
(`PUBLIC`). For them all but push and pull, the gate's check is the request's
authentication: it leaves the caller in the scope for `deps.principal`. Push
and pull (the hot path) authenticate and authorise in one query of their own
(`changelog.caller`), so for them the gate only has to keep out tokens it has
not seen valid: a token this process found valid in the last `SEEN_FOR`
seconds passes without a query, any other is checked first. A token revoked
within that time gets its 401 from the route's own query (or, with a malformed
body, from `recheck`), never a 422.
"""

from __future__ import annotations

import json
import re
import time

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from eolcare.server import auth, errors
from eolcare.server.db import Database
from eolcare.sync import crypto, protocol

#: Routes anyone may call (besides everything outside /v1: /health and the docs).
PUBLIC = frozenset(f"{protocol.API_PREFIX}{p}" for p in (
    "/auth/challenge", "/auth/kdf", "/auth/register", "/auth/login", "/auth/refresh"))
#: Push and pull, which authenticate in their own single query.
HOT_PATH = re.compile(rf"^{protocol.API_PREFIX}/teams/[^/]+/changes$")
#: Seconds a token found valid lets a push or pull through the gate without a query.
SEEN_FOR = 30.0
#: Most tokens remembered; the memory is emptied when full.
SEEN_MOST = 20_000
#: Where the gate leaves the caller for `deps.principal`.
PRINCIPAL = "eolcare.principal"
#: Set when the gate let a hot-path request through on a remembered token.
REMEMBERED = "eolcare.remembered"
#: Longest access token looked at; longer ones are not ours.
MAX_TOKEN = 128


def bearer(scope: Scope) -> str | None:
    """The bearer token of the Authorization header, or None."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            if scheme.lower() == "bearer" and 0 < len(token) <= MAX_TOKEN:
                return token
            return None
    return None


def is_protected(path: str) -> bool:
    return path.startswith(protocol.API_PREFIX + "/") and path not in PUBLIC


def _authenticate(db: Database, token: str) -> auth.Principal | None:
    with db.reading.begin() as session:
        return auth.authenticate(session, token)


class Authenticate:
    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db
        self.seen: dict[bytes, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        token = bearer(scope)
        if token is None:
            await refuse(scope, send)
            return
        hot = HOT_PATH.match(scope["path"]) is not None
        if hot:
            key = crypto.token_hash(token)
            if self.seen.get(key, 0.0) > time.monotonic():
                scope[REMEMBERED] = True
                await self.app(scope, receive, send)
                return
        try:
            found = await run_in_threadpool(_authenticate, self.db, token)
        except SQLAlchemyError as exc:
            errors.log_database_error(exc, "authentication")
            await errors.database_reply(exc)(scope, receive, send)
            return
        if found is None:
            await refuse(scope, send)
            return
        if hot:
            if len(self.seen) >= SEEN_MOST:
                self.seen.clear()
            self.seen[key] = time.monotonic() + SEEN_FOR
        scope[PRINCIPAL] = found
        await self.app(scope, receive, send)


async def recheck(request: Request, db: Database) -> bool:
    """For a request the gate let through on a remembered token: is it still valid?"""
    if not request.scope.get(REMEMBERED):
        return True
    token = bearer(request.scope)
    return token is not None and await run_in_threadpool(_authenticate, db, token) is not None


async def refuse(scope: Scope, send: Send) -> None:
    """The 401, sent without reading the body; a connection whose request has a body
    is then closed, so no unread body is taken for the next request."""
    body = json.dumps({"detail": auth.NOT_SIGNED_IN}).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode()),
               (b"www-authenticate", b"Bearer")]
    if any(name in (b"content-length", b"transfer-encoding") and value not in (b"0",)
           for name, value in scope["headers"]):
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})
