"""Dynamic batching and backpressure: the queue, driven directly with asyncio, and through the REST API."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.batching import Batcher, Overloaded
from ${{ values.pythonPackage }}.metrics import Metrics
from ${{ values.pythonPackage }}.model import Model, ModelMetadata
from ${{ values.pythonPackage }}.model_store import BUNDLED_MODEL_DIR
from ${{ values.pythonPackage }}.protocol import TensorSpec
from ${{ values.pythonPackage }}.softmax_classifier import SoftmaxClassifier

from conftest import INFER, MODEL, VERSION, assert_close_as, features_request, wait_until_ready

ROWS = [[5.1, 3.5, 1.4, 0.2], [5.9, 3.0, 4.2, 1.5], [6.7, 3.0, 5.2, 2.3], [4.9, 3.1, 1.5, 0.1], [6.3, 2.9, 5.6, 1.8]]


class Recording(Model):
    """Doubles its input; records the shape of every call; may hold calls until released."""

    run_in_thread = True

    def __init__(self, shape=(-1, -1), gate: "threading.Event | None" = None, rows_out=None) -> None:
        self.calls: list = []
        self.gate, self.rows_out = gate, rows_out
        self._metadata = ModelMetadata("numpy", [TensorSpec("x", "FP32", list(shape))],
                                       [TensorSpec("y", "FP32", list(shape))])

    @classmethod
    def load(cls, path: Path) -> "Recording":
        return cls()

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    def predict(self, inputs):
        if self.gate is not None:
            assert self.gate.wait(10)
        self.calls.append(inputs["x"].shape)
        y = inputs["x"] * 2
        return {"y": y[:1] if self.rows_out == "one" else y}


def metrics() -> Metrics:
    return Metrics(MODEL, VERSION, "0", "x")


def run(batcher: Batcher, coroutine_factory):
    async def main():
        batcher.start()
        try:
            return await coroutine_factory()
        finally:
            await batcher.stop()
    return asyncio.run(main())


def x(rows: int, width: int = 4, start: float = 0) -> dict:
    return {"x": np.arange(start, start + rows * width, dtype=np.float32).reshape(rows, width)}


def test_concurrent_requests_share_one_call_and_get_their_own_rows_back_in_order():
    model, batcher = Recording(), Batcher(metrics(), 32, 0, 64)
    requests = [x(rows, start=100 * i) for i, rows in enumerate([1, 3, 2, 1, 4])]
    results = run(batcher, lambda: asyncio.gather(*(batcher.submit(model, r, {}, 5) for r in requests)))
    assert model.calls == [(11, 4)]
    for request, result in zip(requests, results, strict=True):
        np.testing.assert_array_equal(result["y"], request["x"] * 2)


def test_requests_that_cannot_share_a_call_are_not_mixed():
    model, batcher = Recording(), Batcher(metrics(), 32, 0, 64)
    submits = [(x(1, 4), {}), (x(2, 3), {}), (x(1, 4), {"temperature": 0.5}), (x(2, 4), {}), (x(1, 3), {}),
               ({"x": x(1, 4)["x"].astype(np.float64)}, {})]
    results = run(batcher, lambda: asyncio.gather(*(batcher.submit(model, i, p, 5) for i, p in submits)))
    # Oldest first; each call holds one kind: width 4 (3 rows), width 3 (3 rows), the parameters, float64.
    assert model.calls == [(3, 4), (3, 3), (1, 4), (1, 4)]
    for (inputs, _), result in zip(submits, results, strict=True):
        np.testing.assert_array_equal(result["y"], inputs["x"] * 2)


def test_batches_hold_at_most_max_batch_size_requests():
    model, batcher = Recording(), Batcher(metrics(), 4, 0, 64)
    run(batcher, lambda: asyncio.gather(*(batcher.submit(model, x(1), {}, 5) for _ in range(10))))
    assert model.calls == [(4, 4), (4, 4), (2, 4)]


def test_max_batch_size_1_turns_batching_off():
    model, batcher = Recording(), Batcher(metrics(), 1, 0, 64)
    run(batcher, lambda: asyncio.gather(*(batcher.submit(model, x(2), {}, 5) for _ in range(3))))
    assert model.calls == [(2, 4)] * 3


def test_the_delay_waits_for_later_requests():
    model, batcher = Recording(), Batcher(metrics(), 8, 0.2, 64)

    async def staggered():
        first = asyncio.ensure_future(batcher.submit(model, x(1), {}, 5))
        await asyncio.sleep(0.02)
        return await asyncio.gather(first, batcher.submit(model, x(1), {}, 5))
    run(batcher, staggered)
    assert model.calls == [(2, 4)]


def test_models_without_a_free_batch_dimension_run_alone():
    model, batcher = Recording(shape=(2, 4)), Batcher(metrics(), 32, 0, 64)
    run(batcher, lambda: asyncio.gather(*(batcher.submit(model, x(2), {}, 5) for _ in range(3))))
    assert model.calls == [(2, 4)] * 3


def test_a_model_that_cannot_batch_says_so_when_it_turns_ready(settings, logged):
    def loader(uri, cache_dir):
        return Recording(shape=(3, 4)), "bundled"  # a fixed first dimension: no batching

    with TestClient(create_app(settings, loader)) as client:
        wait_until_ready(client)
    said = [line for line in logged.lines if "cannot batch" in line["message"]]
    assert len(said) == 1 and said[0]["level"] == "warning"
    assert "x, y" in said[0]["message"] and "one per call" in said[0]["message"]
    with TestClient(create_app(settings, lambda uri, cache_dir: (Recording(), "bundled"))) as client:
        wait_until_ready(client)
    assert len([line for line in logged.lines if "cannot batch" in line["message"]]) == 1  # a batching model: quiet


def test_outputs_that_do_not_split_by_rows_fall_back_to_one_call_each():
    model, batcher = Recording(rows_out="one"), Batcher(metrics(), 32, 0, 64)
    results = run(batcher, lambda: asyncio.gather(*(batcher.submit(model, x(2, start=i), {}, 5) for i in range(2))))
    assert model.calls == [(4, 4), (2, 4), (2, 4)]
    assert [r["y"].shape for r in results] == [(1, 4), (1, 4)]


def test_a_model_error_reaches_every_request_of_the_batch():
    class Broken(Recording):
        def predict(self, inputs):
            raise RuntimeError("boom")
    batcher = Batcher(metrics(), 32, 0, 64)
    results = run(batcher, lambda: asyncio.gather(*(batcher.submit(Broken(), x(1), {}, 5) for _ in range(3)),
                                                  return_exceptions=True))
    assert [str(r) for r in results] == ["boom"] * 3


def test_a_request_cancelled_while_queued_on_the_loop_is_dropped():
    model, batcher = Recording(), Batcher(metrics(), 32, 0, 64)
    model.run_in_thread = False  # the on-loop path: each request yields once before its batch runs

    async def scenario():
        first = asyncio.ensure_future(batcher.submit(model, x(1), {}, 5))
        second = asyncio.ensure_future(batcher.submit(model, x(1, start=7), {}, 5))
        await asyncio.sleep(0)  # both have queued and yielded
        assert batcher.depth == 2
        first.cancel()
        result = await second
        assert first.cancelled() and batcher.depth == 0
        return result
    result = run(batcher, scenario)
    assert model.calls == [(1, 4)]
    np.testing.assert_array_equal(result["y"], x(1, start=7)["x"] * 2)


def test_a_full_queue_refuses_at_once_and_timed_out_requests_are_skipped():
    gate = threading.Event()
    model, batcher = Recording(gate=gate), Batcher(metrics(), 1, 0, 2)

    async def scenario():
        running = asyncio.ensure_future(batcher.submit(model, x(1), {}, 5))
        await asyncio.sleep(0.05)  # the worker holds it in the (gated) model call
        queued = [asyncio.ensure_future(batcher.submit(model, x(1), {}, 0.2)) for _ in range(2)]
        await asyncio.sleep(0)
        assert batcher.depth == 2
        started = time.perf_counter()
        with pytest.raises(Overloaded) as refused:
            await batcher.submit(model, x(1), {}, 5)
        assert time.perf_counter() - started < 0.05 and refused.value.status == 503
        assert refused.value.retry_after >= 1 and "MAX_QUEUE_LENGTH" in refused.value.message
        timed_out = await asyncio.gather(*queued, return_exceptions=True)
        gate.set()
        await running
        return timed_out
    outcomes = run(batcher, scenario)
    assert all(isinstance(outcome, asyncio.TimeoutError) for outcome in outcomes)
    assert model.calls == [(1, 4)]  # the timed-out requests never reached the model


def rest_client(settings, **overrides):
    return TestClient(create_app(replace(settings, **overrides)), raise_server_exceptions=False)


def test_rest_answers_equal_the_unbatched_ones_for_mixed_shapes_and_paths(settings):
    model = SoftmaxClassifier.load(BUNDLED_MODEL_DIR)
    # Unversioned, versioned, and other models' (or versions') paths, interleaved.
    paths = [INFER, f"/v2/models/{MODEL}/versions/{VERSION}/infer", "/v2/models/other/infer",
             f"/v2/models/{MODEL}/versions/other/infer"]
    bodies = [features_request(ROWS[i % 5:i % 5 + 1 + i % 3], id=f"r{i}") for i in range(32)]
    with rest_client(settings, max_batch_size=16, max_batch_delay_ms=50) as client:
        wait_until_ready(client)
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(lambda i: client.post(paths[i % 4], json=bodies[i]), range(len(bodies))))
        histogram = client.get("/metrics").text
    assert [answer.status_code for answer in answers[2::4] + answers[3::4]] == [404] * 16
    bodies = bodies[0::4] + bodies[1::4]
    answers = answers[0::4] + answers[1::4]
    for body, answer in zip(bodies, answers, strict=True):
        assert answer.status_code == 200
        got = {output["name"]: output for output in answer.json()["outputs"]}
        assert answer.json()["id"] == body["id"]
        alone = model.predict({"features": np.asarray(body["inputs"][0]["data"], dtype=np.float32)})
        assert got["label"]["data"] == alone["label"].tolist()
        assert got["class_index"]["data"] == alone["class_index"].tolist()
        assert_close_as("FP32", got["probabilities"]["data"], alone["probabilities"].reshape(-1))
    # Batching happened: fewer model calls than requests.
    count = next(float(line.split()[-1]) for line in histogram.splitlines()
                 if line.startswith("inference_batch_size_count"))
    assert 0 < count < len(bodies)


def test_rest_full_queue_is_503_with_retry_after_and_readiness_stays_true(settings):
    gate, entered = threading.Event(), threading.Event()

    class Gated(SoftmaxClassifier):
        run_in_thread = True

        def predict(self, inputs):
            entered.set()
            assert gate.wait(10)
            return super().predict(inputs)

    def loader(uri, cache_dir):
        model = Gated.load(BUNDLED_MODEL_DIR)
        gate.set()  # let the warm-up through
        return model, "bundled"

    def wait_for(condition):
        deadline = time.monotonic() + 5
        while not condition():
            assert time.monotonic() < deadline
            time.sleep(0.005)

    app = create_app(replace(settings, max_batch_size=1, max_queue_length=2), loader=loader)
    with TestClient(app, raise_server_exceptions=False) as client:
        wait_until_ready(client)
        gate.clear()
        entered.clear()
        batcher = app.state.inference.batcher
        with ThreadPoolExecutor(3) as pool:
            held = [pool.submit(client.post, INFER, json=features_request(ROWS[:1]))]
            wait_for(entered.is_set)  # the first request is in the model call
            held += [pool.submit(client.post, INFER, json=features_request(ROWS[:1])) for _ in range(2)]
            wait_for(lambda: batcher.depth == 2)  # and two wait: the queue is full
            started = time.monotonic()
            refused = client.post(INFER, json=features_request(ROWS[:1]))
            elapsed = time.monotonic() - started
            ready = client.get("/v2/health/ready").status_code
            gate.set()
            assert [future.result().status_code for future in held] == [200, 200, 200]
    assert refused.status_code == 503 and elapsed < 1
    assert refused.headers["retry-after"] == "1"
    assert set(refused.json()) == {"error"} and "MAX_QUEUE_LENGTH" in refused.json()["error"]
    assert ready == 200
