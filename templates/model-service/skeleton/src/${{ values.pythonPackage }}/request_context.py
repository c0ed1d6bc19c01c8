"""ASGI middleware: a request id for every request (X-Request-ID, or a new one) and the caller's W3C
trace (traceparent, when valid), echoed in the response and attached to every log line written while
serving it; and an access-log line per request.

Successful requests are logged at DEBUG, failed ones (status ≥ 400) at INFO or WARNING: a log line
costs about as much CPU as serving a small inference, and metrics already count every request. Set
LOG_LEVEL=DEBUG to log them all. Plain ASGI rather than BaseHTTPMiddleware: microseconds, not a task.
"""

from __future__ import annotations

import logging
import random
import re
import time
from typing import Any, Callable, Iterable, Tuple

from .logs import RequestIds, request_var
from .trace_context import parse_traceparent

# Ids from clients end up in logs: accept only short, printable ones.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")

access_log = logging.getLogger("access")


class RequestContextMiddleware:
    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> Any:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        ids = request_ids(scope["headers"])
        token = request_var.set(ids)
        echoed = [(b"x-request-id", ids.request_id.encode("ascii"))]
        if ids.trace is not None:
            echoed.append((b"traceparent", ids.trace.traceparent.encode("ascii")))
        status = 500
        start = time.perf_counter()

        async def send_with_id(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *echoed]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = scope["path"]
            level = logging.DEBUG if status < 400 else logging.INFO if status < 500 else logging.WARNING
            if access_log.isEnabledFor(level):
                access_log.log(level, "%s %s %d", scope["method"], path, status, extra={"fields": {
                    "method": scope["method"], "path": path, "status": status,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 3)}})
            request_var.reset(token)


def request_ids(headers: Iterable[Tuple[bytes, bytes]]) -> RequestIds:
    """The request id (the client's if valid, else a new one) and trace from HTTP headers or gRPC metadata."""
    request_id = trace = None
    for name, value in headers:
        if name == b"x-request-id":
            candidate = value.decode("latin-1") if isinstance(value, bytes) else value
            if REQUEST_ID_PATTERN.match(candidate):
                request_id = candidate
        elif name == b"traceparent":
            trace = parse_traceparent(value.decode("latin-1") if isinstance(value, bytes) else value)
    # Unique, not secret: a PRNG is enough and costs no system call.
    return RequestIds(request_id or f"{random.getrandbits(128):032x}", trace)
