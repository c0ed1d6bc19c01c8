"""Bounds on how long a client may take to send a request: its headers (HEADER_TIMEOUT_SECONDS) and then its
body (BODY_TIMEOUT_SECONDS).

Uvicorn times out idle keep-alive connections, but not a request whose bytes arrive slowly: without these,
a few hundred clients trickling header or body bytes hold as many connections (and request handlers) open
for as long as they like (slowloris). The header timer starts when a connection opens, or when the first
byte of a further request arrives on a kept-alive one, and stops once the headers are complete; if it fires
first, the connection is closed. The body timer starts when the headers are complete and stops once the body
is; if it fires first, the client gets 408 (when no answer has started) and the connection is closed.
`cut_off_body` also serves the shutdown, which closes connections still sending a body when its drain ends.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from http import HTTPStatus
from typing import Any, Optional, Tuple, Type

#: Set in the ASGI scope's extensions when a body was cut off: (status, message). The handler reading the
#: body then sees the disconnect and reports this status, so logs and metrics count the request as it ended.
CUT_OFF = "idp.body_cut_off"


def base_protocol() -> Type[Any]:
    """Uvicorn's HTTP/1.1 protocol as "auto" picks it: httptools when installed, else h11."""
    if importlib.util.find_spec("httptools") is not None:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
        return HttpToolsProtocol
    from uvicorn.protocols.http.h11_impl import H11Protocol
    return H11Protocol


def body_timeout_message(seconds: float) -> str:
    return (f"the request body did not arrive within {seconds:g} s of its headers (BODY_TIMEOUT_SECONDS): "
            "send the whole body at once")


def slow_client_protocol(header_seconds: float, body_seconds: float, base: Optional[Type[Any]] = None) -> Type[Any]:
    """Uvicorn's protocol class, cutting off requests whose headers or body take longer than allowed."""

    class SlowClientProtocol(base or base_protocol()):  # type: ignore[misc, valid-type]
        _header_timer: Optional[asyncio.TimerHandle] = None
        _body_timer: Optional[asyncio.TimerHandle] = None
        _timed_cycle: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._header_timer = self.loop.call_later(header_seconds, self._headers_too_slow)

        def data_received(self, data: bytes) -> None:
            if self._header_timer is None and self._awaiting_headers():
                self._header_timer = self.loop.call_later(header_seconds, self._headers_too_slow)
            super().data_received(data)
            if not self._awaiting_headers():
                self._cancel_header_timer()
                self._time_body()

        def connection_lost(self, exc: Optional[Exception]) -> None:
            self._cancel_header_timer()
            self._cancel_body_timer()
            super().connection_lost(exc)

        def reading_body(self) -> bool:
            """A request's headers are in and its body is still arriving."""
            cycle = self.cycle
            return cycle is not None and not cycle.response_complete and cycle.more_body

        def cut_off_body(self, status: int, message: str) -> None:
            """Answers `status` (unless an answer has started) and closes the connection, if still reading a body."""
            self._cancel_body_timer()
            if not self.reading_body() or self.transport.is_closing():
                return
            cycle = self.cycle
            cycle.scope.setdefault("extensions", {})[CUT_OFF] = (status, message)
            if not cycle.response_started:
                self.transport.write(_closing_response(status, message))
            self.transport.close()

        def _awaiting_headers(self) -> bool:
            # Uvicorn starts a request/response cycle once a request's headers are complete.
            cycle = self.cycle
            return cycle is None or cycle.response_complete

        def _time_body(self) -> None:
            # Once per request, from when its headers are in (a pipelined one's, from its next bytes read).
            if not self.reading_body():
                self._cancel_body_timer()
            elif self._timed_cycle is not self.cycle:
                self._cancel_body_timer()
                self._timed_cycle = self.cycle
                self._body_timer = self.loop.call_later(
                    body_seconds, self.cut_off_body, 408, body_timeout_message(body_seconds))

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self._awaiting_headers() and not self.transport.is_closing():
                self.transport.close()

        def _cancel_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _cancel_body_timer(self) -> None:
            if self._body_timer is not None:
                self._body_timer.cancel()
                self._body_timer = None

    return SlowClientProtocol


def cut_off(scope: dict) -> Optional[Tuple[int, str]]:
    """(status, message) when this request's body was cut off by the server, else None."""
    return scope.get("extensions", {}).get(CUT_OFF)


def _closing_response(status: int, message: str) -> bytes:
    # Written past uvicorn's HTTP machinery, which is mid-request: the connection closes right after it.
    body = json.dumps({"error": message}).encode("utf-8")
    head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
    return head.encode("latin-1") + body
