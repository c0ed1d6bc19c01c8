"""Readiness follows the model's load and the shutdown drain; a failed load is reported, not served."""

from __future__ import annotations

import threading
import time

from starlette.testclient import TestClient

from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.model_store import ModelLoadError, load_model

from conftest import INFER, MODEL, features_request, wait_until_ready


def test_live_at_once_ready_only_after_load(settings):
    release = threading.Event()

    def slow_loader(uri, cache_dir):
        release.wait(10)
        return load_model(uri, cache_dir)

    with TestClient(create_app(settings, loader=slow_loader)) as client:
        assert client.get("/v2/health/live").status_code == 200
        not_ready = client.get("/v2/health/ready")
        assert not_ready.status_code == 503 and not_ready.json()["ready"] is False
        assert "loading" in not_ready.json()["error"]
        assert client.post(INFER, json=features_request([[1, 2, 3, 4]])).status_code == 503
        assert client.get(f"/v2/models/{MODEL}").status_code == 503
        release.set()
        wait_until_ready(client)


def test_draining_turns_readiness_false_but_keeps_serving(client):
    client.app.state.service.draining = True
    assert client.get("/v2/health/ready").status_code == 503
    assert client.get(f"/v2/models/{MODEL}/ready").json()["ready"] is False
    assert client.post(INFER, json=features_request([[5.1, 3.5, 1.4, 0.2]])).status_code == 200


def test_failed_load_is_reported(settings):
    def broken_loader(uri, cache_dir):
        raise ModelLoadError("MODEL_URI names /nowhere, which is not a directory on this machine")

    app = create_app(settings, loader=broken_loader)
    with TestClient(app) as client:
        deadline = time.monotonic() + 10
        while app.state.service.load_error is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert "/nowhere" in client.get("/v2/health/ready").json()["error"]
