"""W3C traceparent: valid ids are logged on every line of the request and echoed; anything else is ignored."""

from __future__ import annotations

import pytest

from ${{ values.pythonPackage }}.trace_context import parse_traceparent

from conftest import INFER, features_request

TRACE_ID, SPAN_ID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
VALID = f"00-{TRACE_ID}-{SPAN_ID}-01"

MALFORMED = {
    "upper case": VALID.upper(),
    "short trace id": f"00-{TRACE_ID[:-1]}-{SPAN_ID}-01",
    "zero trace id": f"00-{'0' * 32}-{SPAN_ID}-01",
    "zero span id": f"00-{TRACE_ID}-{'0' * 16}-01",
    "version ff": f"ff-{TRACE_ID}-{SPAN_ID}-01",
    "version 00 with more fields": f"{VALID}-extra",
    "not hex": f"00-{TRACE_ID[:-1]}g-{SPAN_ID}-01",
    "empty": "",
    "garbage": "hello",
    "huge": "00-" + "a" * 5000,
}


def test_valid_header_parses_and_later_versions_may_add_fields():
    assert parse_traceparent(VALID) == (TRACE_ID, SPAN_ID, VALID)
    assert parse_traceparent(f"01-{TRACE_ID}-{SPAN_ID}-00-future") == (TRACE_ID, SPAN_ID, f"00-{TRACE_ID}-{SPAN_ID}-00")
    assert parse_traceparent(None) is None


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_headers_are_ignored_never_an_error(client, logged, header):
    assert parse_traceparent(header) is None
    response = client.post(INFER, json=features_request([[5.1, 3.5, 1.4, 0.2]]), headers={"traceparent": header})
    assert response.status_code == 200 and "traceparent" not in response.headers
    assert logged.lines and not any("trace_id" in line for line in logged.lines)


def test_valid_ids_are_on_every_line_of_the_request_and_echoed(client, logged):
    response = client.post(INFER, content=b"{", headers={"content-type": "application/json", "traceparent": VALID,
                                                         "x-request-id": "traced-1"})
    assert response.status_code == 400 and response.headers["traceparent"] == VALID
    mine = [line for line in logged.lines if line.get("request_id") == "traced-1"]
    assert mine and all((line["trace_id"], line["span_id"]) == (TRACE_ID, SPAN_ID) for line in mine)
    # The next request, without the header, carries no trace.
    logged.lines.clear()
    plain = client.post(INFER, content=b"{", headers={"content-type": "application/json"})
    assert "traceparent" not in plain.headers
    assert logged.lines and not any("trace_id" in line for line in logged.lines)
