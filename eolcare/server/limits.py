"""Refuse oversized requests with a clear 413 (body) or 431 (headers) before they are used.

Headers are capped twice: while uvicorn parses them (`http.LimitedHttpTools`, so a
32 MB header never sits in memory) and here, for any other server the app runs in.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The request line and all headers together, in bytes (a reverse proxy's usual buffer).
MAX_HEADER_BYTES = 16 * 1024
#: Headers in one request.
MAX_HEADERS = 64
HEADERS_TOO_LARGE = (f"request headers over {MAX_HEADER_BYTES} bytes or {MAX_HEADERS} "
                     "headers; send fewer or shorter headers")


def headers_too_large_reply() -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The 431's body and headers (the connection is closed after it)."""
    payload = json.dumps({"detail": HEADERS_TOO_LARGE}).encode()
    return payload, [(b"content-type", b"application/json"),
                     (b"content-length", str(len(payload)).encode()),
                     (b"connection", b"close")]


class HeaderLimit:
    """431 for a request with more than MAX_HEADERS headers or MAX_HEADER_BYTES of them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = scope["headers"]
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            if len(headers) > MAX_HEADERS or size + sum(
                    len(n) + len(v) + 4 for n, v in headers) > MAX_HEADER_BYTES:
                payload, reply_headers = headers_too_large_reply()
                await send({"type": "http.response.start", "status": 431,
                            "headers": reply_headers})
                await send({"type": "http.response.body", "body": payload})
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """Buffers up to `max_bytes` of a body; more, declared or streamed, is a 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._too_large(send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        payload = json.dumps({
            "detail": f"request body over {self.max_bytes} bytes; send fewer operations at once"
        }).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": payload})
