"""Error replies that name what is wrong and never echo what was sent.

- A malformed body or query (FastAPI's RequestValidationError) is a 422 with a
  plain sentence naming each field, never its value: the default reply echoed
  the input, refresh tokens included, and failed with a 500 on values JSON
  cannot carry back (NaN, Infinity, a lone surrogate).
- A database error is never a 500: a constraint another request broke first is
  a 409 (try again), anything else a 503 (the database is busy or away). The
  log gets the exception's type, SQLSTATE and stack, never its message, which
  carries the statement's parameters (ids) and, on PostgreSQL, key values.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from eolcare.server.auth import NOT_SIGNED_IN
from eolcare.server.logs import log

#: Plain words for the usual problems (pydantic's error types); others use its message,
#: which names a rule (a pattern, a length), never the input.
_PLAIN = {
    "json_invalid": "is not valid JSON",
    "missing": "is missing",
    "extra_forbidden": "is not a field of this request",
    "string_type": "must be a string",
    "string_unicode": "must be valid Unicode text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "model_attributes_type": "must be an object",
    "string_pattern_mismatch": "has characters or a form that is not allowed here",
    "literal_error": "is not one of the allowed values",
    "uuid_parsing": "must be an id (a UUID)",
}
#: At most this many fields are named in one reply.
_MOST = 5


def field_name(loc: Sequence[int | str]) -> str:
    """`("body", "ops", 0, "blob")` -> `ops[0].blob`; where it came from if not the body."""
    where, *path = loc
    if where == "body" and (not path or isinstance(path[0], int)):
        return "the request body"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text if where == "body" else f"{text} (in the {where})"


def validation_detail(errors: Sequence[Any]) -> str:
    """One sentence naming each field wrong and how, never a value."""
    parts = []
    for error in errors[:_MOST]:
        what = _PLAIN.get(error.get("type", ""))
        if what is None:
            msg = str(error.get("msg", "is not valid"))
            what = msg[:1].lower() + msg[1:] if msg else "is not valid"
        parts.append(f"{field_name(error.get('loc', ('body',)))}: {what}")
    more = len(errors) - _MOST
    tail = f" (and {more} more)" if more > 0 else ""
    return "the request is not valid: " + "; ".join(parts) + tail


def database_reply(exc: SQLAlchemyError) -> JSONResponse:
    """409 for a constraint (something changed at the same moment), else 503."""
    if isinstance(exc, IntegrityError):
        return JSONResponse({"detail": "this clashed with a change made at the same moment; "
                                       "try again"}, status.HTTP_409_CONFLICT)
    return JSONResponse({"detail": "the server's database is busy or unavailable; try "
                                   "again in a minute"},
                        status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "30"})


def log_database_error(exc: SQLAlchemyError, route: str) -> None:
    orig = getattr(exc, "orig", None)
    log.warning("database error", extra={"fields": {
        "exception": type(exc).__name__,
        "driver_error": type(orig).__name__ if orig is not None else None,
        "sqlstate": getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None),
        "route": route,
    }}, exc_info=exc)


def install(app: FastAPI, signed_in: Callable[[Request], Awaitable[bool]]) -> None:
    """The handlers. `signed_in` tells whether the request's caller is still signed in,
    so a malformed request from someone who is not gets the 401, not the 422."""

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        if not await signed_in(request):
            return JSONResponse({"detail": NOT_SIGNED_IN}, status.HTTP_401_UNAUTHORIZED,
                                headers={"WWW-Authenticate": "Bearer"})
        return JSONResponse({"detail": validation_detail(exc.errors())},
                            status.HTTP_422_UNPROCESSABLE_CONTENT)

    async def on_database(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, SQLAlchemyError)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        log_database_error(exc, route)
        return database_reply(exc)

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(SQLAlchemyError, on_database)
