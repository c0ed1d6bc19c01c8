"""A bound on how long a client may take to send a request's headers (HEADER_TIMEOUT_SECONDS).

Uvicorn times out idle keep-alive connections, but not a request whose headers arrive slowly: without
this, a few hundred clients trickling header bytes hold as many connections open for as long as they like
(slowloris). The timer starts when a connection opens, or when the first byte of a further request
arrives on a kept-alive one, and stops once the headers are complete; if it fires first, the connection is
closed. Request bodies are not timed here: the handler reads them, and REQUEST_TIMEOUT_SECONDS and
MAX_REQUEST_BYTES bound the rest.
"""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any, Optional, Type


def base_protocol() -> Type[Any]:
    """Uvicorn's HTTP/1.1 protocol as "auto" picks it: httptools when installed, else h11."""
    if importlib.util.find_spec("httptools") is not None:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
        return HttpToolsProtocol
    from uvicorn.protocols.http.h11_impl import H11Protocol
    return H11Protocol


def header_timeout_protocol(seconds: float, base: Optional[Type[Any]] = None) -> Type[Any]:
    """Uvicorn's protocol class, closing connections whose request headers take longer than `seconds`."""

    class HeaderTimeoutProtocol(base or base_protocol()):  # type: ignore[misc, valid-type]
        _header_timer: Optional[asyncio.TimerHandle] = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._header_timer is None and self._awaiting_headers():
                self._arm()
            super().data_received(data)
            if self._header_timer is not None and not self._awaiting_headers():
                self._header_timer.cancel()
                self._header_timer = None

        def connection_lost(self, exc: Optional[Exception]) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
            super().connection_lost(exc)

        def _awaiting_headers(self) -> bool:
            # Uvicorn starts a request/response cycle once a request's headers are complete.
            cycle = self.cycle
            return cycle is None or cycle.response_complete

        def _arm(self) -> None:
            self._header_timer = self.loop.call_later(seconds, self._headers_too_slow)

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self._awaiting_headers() and not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutProtocol
