"""Shared fixtures: a settings object, a test client whose model has loaded, and the log lines written."""

from __future__ import annotations

import json
import logging
import time
from typing import Iterator, List

import numpy as np
import pytest
from starlette.testclient import TestClient

from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.config import Settings
from ${{ values.pythonPackage }}.logs import JsonFormatter
from ${{ values.pythonPackage }}.protocol import DATATYPES

MODEL = Settings().model_name
VERSION = Settings().model_version
INFER = f"/v2/models/{MODEL}/infer"


def wait_until_ready(client: TestClient, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while client.get("/v2/health/ready").status_code != 200:
        assert time.monotonic() < deadline, "the model did not load in time"
        time.sleep(0.01)


@pytest.fixture
def settings() -> Settings:
    # The bundled example model, whatever MODEL_URI the service was generated with; no gRPC port (the gRPC
    # tests open their own).
    return Settings(model_uri="", max_request_bytes=64 * 1024, grpc_port=0)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        wait_until_ready(test_client)
        yield test_client


def assert_close_as(datatype: str, got: object, expected: object) -> None:
    """Equal within what the datatype can tell apart. A batched matrix product is not bit-identical to a
    single-row one on any real BLAS or GPU (summation order, denormals), so exact equality would test the
    machine's BLAS; a wrong row still differs by far more than a few units in the last place. The error of
    a small entry scales with the largest one it was computed with (a softmax's 2e-4 beside its 0.9998), so
    the absolute tolerance is relative to the tensor's largest magnitude."""
    info = np.finfo(DATATYPES[datatype].dtype)
    rtol = 256 * float(info.eps)
    scale = float(np.max(np.abs(np.asarray(expected, dtype=np.float64)), initial=0.0))
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=max(rtol * scale, float(info.tiny)))


def features_request(rows: list, **extra: object) -> dict:
    return {"inputs": [{"name": "features", "shape": [len(rows), 4], "datatype": "FP32", "data": rows}], **extra}


class Lines(logging.Handler):
    """Formats each record as the service would, while the request's context is current."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: List[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def logged() -> Iterator[Lines]:
    handler, root = Lines(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)
