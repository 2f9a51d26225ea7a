"""Structured logs: one JSON object a line, never a payload, token, name or query string,
nor an exception's message (`describe_exception`)."""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from types import TracebackType
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("eolcare.server")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["traceback"] = describe_exception(record.exc_info)
        return json.dumps(entry)


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def describe_exception(exc_info: ExcInfo) -> str:
    """A traceback without messages: each exception's type (and SQLSTATE) and the frames.

    Messages stay out of the log because some carry data: a database error's
    carries its statement's parameters and, on PostgreSQL, the key values of a
    violated constraint (ids); a validation error's, the input.
    """
    exc = exc_info[1]
    lines: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        orig = getattr(exc, "orig", None)
        state = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        lines.append(f"{type(exc).__module__}.{type(exc).__qualname__}"
                     + (f" (sqlstate {state})" if state else "") + ", message withheld\n")
        lines.extend(traceback.format_tb(exc.__traceback__))
        exc = exc.__cause__ or exc.__context__
    return "".join(lines)


def configure(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class AccessLog:
    """Logs method, route template, status and time; the template hides ids and queries."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            log.info("request", extra={"fields": {
                "method": scope["method"],
                "route": getattr(route, "path", "unmatched"),
                "status": status,
                "ms": round((time.perf_counter() - start) * 1000, 1),
            }})
