"""FastAPI dependencies: the database, the caller and where the request came from."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from eolcare.server import auth, gate
from eolcare.server.config import Settings
from eolcare.server.db import Database
from eolcare.sync import protocol

_bearer = HTTPBearer(auto_error=False, description="An access token from /v1/auth/login")


# The small dependencies are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, and a thread hop costs more than they do.


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


#: What a non-IP peer may be called in the audit log and rate-limit keys (e.g. the test
#: client's "testclient"); anything else is recorded as "invalid".
_PLAIN_HOST = re.compile(r"[A-Za-z0-9._-]{1,64}")


@lru_cache(maxsize=4096)
def _canonical_address(host: str) -> str:
    """An address fit for the audit column (64) and rate-limit keys: canonical when it is
    an IP address. Behind a trusted proxy it comes from X-Forwarded-For, so a proxy that
    passes on whatever a client wrote must not make it a 500 or a forged column."""
    try:
        return str(ipaddress.ip_address(host))[:64]
    except ValueError:
        return host if _PLAIN_HOST.fullmatch(host) else "invalid"


async def client_address(request: Request) -> str:
    """The client's address: the TCP peer, or, when that peer is a trusted proxy
    (`Settings.trusted_proxies`, applied by uvicorn's proxy-headers middleware), the
    last address in X-Forwarded-For that the trusted proxies did not add."""
    return _canonical_address(request.client.host) if request.client else "unknown"


async def request_host(request: Request) -> str:
    """The host bound into challenges: configured, or what the client says it connected to."""
    configured: str = request.app.state.settings.public_host
    return configured or request.headers.get("host", "")


async def principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> auth.Principal:
    """The authenticated caller, as the gate found them before the body was read
    (`gate.Authenticate`: a missing, expired or revoked token is a 401 there).
    `_credentials` only puts the bearer scheme into the OpenAPI document."""
    found: auth.Principal | None = request.scope.get(gate.PRINCIPAL)
    if found is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, auth.NOT_SIGNED_IN,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


DbDep = Annotated[Database, Depends(get_db)]
#: Ids in paths are UUIDs: anything else is a 422 before any query runs.
IdPath = Annotated[str, Path(pattern=protocol.UUID_PATTERN)]
UsernameQuery = Annotated[
    str, Query(min_length=3, max_length=64, pattern=protocol.USERNAME_PATTERN)
]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PrincipalDep = Annotated[auth.Principal, Depends(principal)]
async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The access token, not yet checked: for routes that authenticate in their own
    transaction (push and pull, `changelog.caller`). A missing one is a 401 already here."""
    if credentials is None or len(credentials.credentials) > gate.MAX_TOKEN:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, auth.NOT_SIGNED_IN,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return credentials.credentials


#: The bearer token unchecked; the route must authenticate it (changelog.caller).
BearerDep = Annotated[str, Depends(bearer_token)]
AddressDep = Annotated[str, Depends(client_address)]
HostDep = Annotated[str, Depends(request_host)]
