"""uvicorn's httptools protocol with a cap on the request line and headers.

httptools (llhttp) keeps a header in memory until its end, however long, and
uvicorn sets no limit: one 32 MB header grew the server by 60 MB. This
protocol counts the bytes received while a request's head is open and the
headers parsed, and answers 431 and closes the connection past
`limits.MAX_HEADER_BYTES` or `limits.MAX_HEADERS`. `serve` passes it to
uvicorn by its import string, so worker processes load it too.
"""

from __future__ import annotations

from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from eolcare.server.limits import MAX_HEADER_BYTES, MAX_HEADERS, headers_too_large_reply

#: How `serve` names this protocol to uvicorn.
IMPORT_STRING = "eolcare.server.http:LimitedHttpTools"


class _HeadTooLargeError(Exception):
    """Raised from a parser callback to stop parsing a head that is too large."""


class LimitedHttpTools(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_open = False
        self._head_bytes = 0  # the headers parsed so far
        self._head_received = 0  # the bytes received while the head was open
        self._header_count = 0

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_open = True
        self._head_bytes = self._head_received = self._header_count = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        self._head_bytes += len(name) + len(value)
        if self._header_count > MAX_HEADERS or self._head_bytes > MAX_HEADER_BYTES:
            raise _HeadTooLargeError
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_open = False
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            if isinstance(exc.__context__, _HeadTooLargeError):
                self._refuse()
                return
            self._invalid()
            return
        except httptools.HttpParserUpgrade:  # as uvicorn does
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError:
            self._invalid()
            return
        if self._head_open:
            # Bytes of a head not yet complete (the parser holds them): a header that
            # never ends is refused once it passes the limit, not when it ends.
            self._head_received += len(data)
            if self._head_received > MAX_HEADER_BYTES:
                self._refuse()

    def _invalid(self) -> None:
        msg = "Invalid HTTP request received."
        self.logger.warning(msg)
        self.send_400_response(msg)

    def _refuse(self) -> None:
        payload, headers = headers_too_large_reply()
        head = [b"HTTP/1.1 431 Request Header Fields Too Large\r\n"]
        head += [name + b": " + value + b"\r\n" for name, value in headers]
        self.transport.write(b"".join(head) + b"\r\n" + payload)
        self._head_open = False
        self.transport.close()
