"""A model that is slow or broken: the request gets 504 or 500 with an error, never a hang or a crash."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
from starlette.testclient import TestClient

from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.model_store import load_model

from conftest import INFER, features_request, wait_until_ready


def loader_with(predict):
    def load(uri, cache_dir):
        model, source = load_model("", cache_dir)
        model.run_in_thread = True  # like any real model: off the event loop, under the timeout
        model.predict = predict
        return model, source
    return load


def test_slow_inference_times_out_with_504(settings):
    release = threading.Event()

    def slow(inputs):
        if inputs["features"].sum() > 0:  # the warm-up calls (all zeros) return at once
            release.wait(10)
        return {"probabilities": np.zeros((1, 3), np.float32), "label": np.array(["x"], dtype=object),
                "class_index": np.zeros(1, np.int64)}

    app = create_app(dataclasses.replace(settings, request_timeout_seconds=0.05), loader_with(slow))
    with TestClient(app) as client:
        wait_until_ready(client)
        response = client.post(INFER, json=features_request([[1, 2, 3, 4]]))
        release.set()
    assert response.status_code == 504 and "REQUEST_TIMEOUT_SECONDS" in response.json()["error"]


def test_a_failing_model_gives_500_and_counts_an_internal_error(settings):
    def broken(inputs):
        if inputs["features"].sum() > 0:  # the warm-up input is all zeros
            raise RuntimeError("secret internal detail")
        return {"probabilities": np.zeros((1, 3), np.float32), "label": np.array(["x"], dtype=object),
                "class_index": np.zeros(1, np.int64)}

    with TestClient(create_app(settings, loader_with(broken)), raise_server_exceptions=False) as client:
        wait_until_ready(client)
        response = client.post(INFER, json=features_request([[1, 2, 3, 4]]))
        assert response.status_code == 500
        assert "secret" not in response.json()["error"] and "request id" in response.json()["error"]
        metrics = client.get("/metrics").text
    assert 'reason="internal"' in metrics
    assert [line for line in metrics.splitlines()
            if line.startswith("inference_errors_total") and 'reason="internal"' in line][0].endswith(" 1.0")
