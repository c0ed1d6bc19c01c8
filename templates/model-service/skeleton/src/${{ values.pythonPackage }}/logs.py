"""Structured JSON logs on stdout: one object per line, with the request id (and the W3C trace and span ids,
when the caller sent them) of the request being served.

Never log payloads, headers or query strings: they may carry personal data or credentials.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import datetime, timezone
from typing import NamedTuple, Optional

from .trace_context import Trace


class RequestIds(NamedTuple):
    request_id: str
    trace: Optional[Trace]


#: The request being served (REST or gRPC): one variable, set once per request.
request_var: "contextvars.ContextVar[Optional[RequestIds]]" = contextvars.ContextVar("request", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = request_var.get()
        if request is not None:
            entry["request_id"] = request.request_id
            if request.trace is not None:
                entry["trace_id"], entry["span_id"] = request.trace.trace_id, request.trace.span_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's own loggers go through the JSON handler; its access log is replaced by ours,
    # which carries the request id and the duration.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
