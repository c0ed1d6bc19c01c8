"""W3C Trace Context: the trace and span ids of a request, from its `traceparent` header (or gRPC metadata).

No tracing SDK: the ids go on every log line written while serving the request, and the header is echoed
in the response, so logs join the caller's trace in whatever backend collects both. A header that does not
follow https://www.w3.org/TR/trace-context/#traceparent-header is ignored, never an error: tracing must not
fail requests.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

# version-traceid-parentid-flags, lower-case hex; versions after 00 may append fields.
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
_ZERO_TRACE, _ZERO_SPAN = "0" * 32, "0" * 16


class Trace(NamedTuple):
    trace_id: str
    span_id: str
    traceparent: str  # as echoed back: the version-00 fields of the header received


def parse_traceparent(value: Optional[str]) -> Optional[Trace]:
    """The trace of a valid header, else None (missing, malformed, all-zero ids, version ff)."""
    if not value or len(value) > 512:
        return None
    match = _TRACEPARENT.fullmatch(value.strip(" \t"))
    if match is None:
        return None
    version, trace_id, span_id, flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest) or trace_id == _ZERO_TRACE or span_id == _ZERO_SPAN:
        return None
    return Trace(trace_id, span_id, f"00-{trace_id}-{span_id}-{flags}")
