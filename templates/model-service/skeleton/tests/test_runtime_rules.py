"""The rules every built-in runtime shares, without any framework installed: device placement, trusted
pickles, model-settings.json, the settings, warm-up sizes, one instance per GPU, GPU memory on /metrics."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.batching import Batcher
from ${{ values.pythonPackage }}.config import ConfigError, Settings
from ${{ values.pythonPackage }}.model import ModelLoadError
from ${{ values.pythonPackage }}.model_loading import LOOP_CALL_BUDGET_SECONDS, place_calls, warm_up_batch_sizes
from ${{ values.pythonPackage }}.model_store import BUNDLED_MODEL_DIR
from ${{ values.pythonPackage }}.runtimes import load_runtime
from ${{ values.pythonPackage }}.runtimes.artifacts import require_trusted, sha256_of
from ${{ values.pythonPackage }}.runtimes.device import pick_devices
from ${{ values.pythonPackage }}.runtimes.model_settings import read_model_settings
from ${{ values.pythonPackage }}.runtimes.options import RuntimeOptions
from ${{ values.pythonPackage }}.runtimes.out_of_memory import is_out_of_memory
from ${{ values.pythonPackage }}.runtimes.replicas import Replicas, one_per_device
from ${{ values.pythonPackage }}.softmax_classifier import SoftmaxClassifier

from conftest import wait_until_ready
from test_batching import Recording, metrics, run, x


def test_devices_follow_the_setting_and_never_fall_back_silently():
    assert pick_devices("cpu", "torch 2", True, 2) == ["cpu"]
    assert pick_devices("auto", "torch 2", False, 0) == ["cpu"]
    assert pick_devices("auto", "torch 2", True, 2) == ["cuda:0", "cuda:1"]
    assert pick_devices("cuda", "torch 2", True, 2) == ["cuda:0", "cuda:1"]  # every GPU serves
    assert pick_devices("cuda:1", "torch 2", True, 2) == ["cuda:1"]
    for build, count, cause in [(False, 2, "CPU-only build"), (True, 0, "no GPU is visible"),
                                (True, 1, "only 1 GPU(s) are visible")]:
        with pytest.raises(ModelLoadError) as refused:
            pick_devices("cuda:1", "torch 2", build, count)
        assert cause in str(refused.value) and "DEVICE=cuda:1" in str(refused.value)
        assert "DEVICE=cpu" in str(refused.value)


def test_a_pickle_is_refused_without_its_digest_and_with_a_wrong_one(tmp_path):
    file = tmp_path / "model.joblib"
    file.write_bytes(b"any bytes")
    digest = sha256_of(file)
    with pytest.raises(ModelLoadError, match=f"MODEL_SHA256={digest}"):
        require_trusted(file, None, "a pickle")
    with pytest.raises(ModelLoadError, match="not the one you trusted"):
        require_trusted(file, "f" * 64, "a pickle")
    require_trusted(file, digest, "a pickle")


@pytest.mark.parametrize("text, fragment", [
    ("[1]", "must be a JSON object"),
    ('{"inputs": [], "extra": 1}', "unknown fields ['extra']"),
    ('{"inputs": [{"name": "a", "datatype": "FLOAT", "shape": [-1]}]}', "inputs[0].datatype must be one of"),
    ('{"inputs": [{"name": "a", "datatype": "FP32", "shape": [0]}]}', "inputs[0].shape must be"),
    ('{"outputs": [{"name": "a", "datatype": "FP32", "shape": [-1]}, {"name": "a", "datatype": "FP32", '
     '"shape": [-1]}]}', "names a tensor twice"),
])
def test_model_settings_are_checked_with_the_file_and_field_named(tmp_path, text, fragment):
    (tmp_path / "model-settings.json").write_text(text)
    with pytest.raises(ModelLoadError) as refused:
        read_model_settings(tmp_path)
    assert fragment in str(refused.value) and "model-settings.json" in str(refused.value)


def test_model_settings_are_read(tmp_path):
    assert read_model_settings(tmp_path) is None
    (tmp_path / "model-settings.json").write_text('{"inputs": [{"name": "a", "datatype": "FP16", "shape": [-1, 3]}]}')
    settings = read_model_settings(tmp_path)
    assert settings["outputs"] is None and [(s.name, s.datatype, list(s.shape)) for s in settings["inputs"]] == [
        ("a", "FP16", [-1, 3])]


def test_runtime_settings_are_read_and_checked():
    settings = Settings.from_env({"MODEL_FORMAT": "PyTorch", "MODEL_URI": "s3://m/1", "DEVICE": "cuda:1",
                                  "PRECISION": "bf16", "MODEL_SHA256": "a" * 64, "ONNX_TENSORRT": "1"})
    assert settings.runtime_options() == RuntimeOptions("pytorch", "cuda:1", "bf16", "a" * 64, True)
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"MODEL_FORMAT": "keras", "DEVICE": "gpu", "PRECISION": "int4", "MODEL_SHA256": "abc"})
    for fragment in ["MODEL_FORMAT must be one of custom, pytorch, onnx, xgboost, sklearn", "DEVICE must be auto, cpu",
                     "PRECISION must be one of fp32, fp16, bf16", "MODEL_SHA256 must be the artifact file's SHA-256"]:
        assert fragment in str(raised.value)

    @dataclass(frozen=True)
    class GeneratedWithoutUri(Settings):
        model_uri: str = ""

    with pytest.raises(ConfigError, match="MODEL_URI must name the artifact directory when MODEL_FORMAT is xgboost"):
        GeneratedWithoutUri.from_env({"MODEL_FORMAT": "xgboost"})


def test_warm_up_runs_the_batch_sizes_the_batcher_forms():
    assert warm_up_batch_sizes(1) == [1]
    assert warm_up_batch_sizes(32) == [1, 2, 4, 8, 16, 32]
    assert warm_up_batch_sizes(24) == [1, 2, 4, 8, 16, 24]
    shapes = []

    class Recorded(SoftmaxClassifier):
        def predict(self, inputs):
            shapes.append(inputs["features"].shape)
            return super().predict(inputs)

    Recorded.load(BUNDLED_MODEL_DIR).warm_up([1, 2, 4])
    assert shapes == [(1, 4), (2, 4), (4, 4)]


def test_a_model_that_lets_start_up_choose_runs_on_the_loop_only_when_its_largest_batch_is_fast():
    # The test's own clock: each call costs what the model says, so a busy machine cannot decide.
    now = [0.0]

    class Timed(SoftmaxClassifier):
        run_in_thread, may_run_on_loop, seconds = True, True, 0.0

        def predict(self, inputs):
            now[0] += self.seconds
            return super().predict(inputs)

    fast, slow, fixed = (Timed.load(BUNDLED_MODEL_DIR) for _ in range(3))
    fast.seconds = LOOP_CALL_BUDGET_SECONDS / 10
    slow.seconds = 2 * LOOP_CALL_BUDGET_SECONDS
    fixed.may_run_on_loop, fixed.seconds = False, 0  # e.g. a GPU instance: the loop never waits for a device
    for model in (fast, slow, fixed):
        place_calls(model, 32, clock=lambda: now[0])
    assert (fast.run_in_thread, slow.run_in_thread, fixed.run_in_thread) == (False, True, True)


def test_a_custom_model_written_for_0_2_warms_up_as_written(settings):
    calls = []

    class OldStyle(SoftmaxClassifier):
        def warm_up(self):  # 0.2.x's signature: no batch sizes
            calls.append("warm")

    with TestClient(create_app(settings, lambda uri, cache_dir: (OldStyle.load(BUNDLED_MODEL_DIR), "bundled"))) as client:
        wait_until_ready(client)
    assert calls == ["warm"]


def test_with_an_instance_per_device_batches_run_at_once_on_free_instances():
    both_running = threading.Barrier(2, timeout=5)  # broken (an error) unless two calls overlap

    class OnDevice(Recording):
        def predict(self, inputs):
            both_running.wait()
            return super().predict(inputs)

    instances = [OnDevice(), OnDevice()]
    model, batcher = one_per_device(instances), Batcher(metrics(), 2, 0, 64)
    assert isinstance(model, Replicas) and model.concurrency == 2 and one_per_device(instances[:1]) is instances[0]

    async def scenario():
        return await asyncio.gather(*[batcher.submit(model, x(1, start=i), {}, 10) for i in range(4)])
    results = run(batcher, scenario)
    assert [result["y"][0, 0] for result in results] == [0, 2, 4, 6]
    assert all(instance.calls for instance in instances)  # both instances served


def test_gpu_memory_per_device_is_exported(settings):
    class OnGpus(SoftmaxClassifier):
        def memory_by_device(self):
            return {"cuda:0": (1024, 4096), "cuda:1": (0, 2048)}

    app = create_app(settings, lambda uri, cache_dir: (OnGpus.load(BUNDLED_MODEL_DIR), "bundled"))
    with TestClient(app) as client:
        wait_until_ready(client)
        text = client.get("/metrics").text
    lines = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
             if line.startswith("gpu_memory_")}
    assert sorted(lines.values()) == [0, 1024, 2048, 4096] and all('device="cuda:' in key for key in lines)


def test_out_of_memory_errors_are_recognised_by_their_framework_messages():
    assert is_out_of_memory(MemoryError())
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    assert is_out_of_memory(RuntimeError("Failed to allocate memory for requested buffer of size 1"))
    assert not is_out_of_memory(ValueError("shape mismatch"))


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is not None, reason="onnxruntime is installed here")
def test_a_missing_framework_names_the_requirements_to_install(tmp_path: Path):
    with pytest.raises(ModelLoadError) as refused:
        load_runtime(tmp_path, RuntimeOptions("onnx", "cpu"))
    assert "MODEL_FORMAT=onnx needs the Python package onnxruntime" in str(refused.value)
    assert "requirements/onnx-cpu.txt" in str(refused.value)
