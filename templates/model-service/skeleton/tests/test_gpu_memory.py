"""GPU memory per device on /metrics for every format, read from NVML (a fake one here: no GPU, no driver),
and no series at all on the CPU."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from ${{ values.pythonPackage }} import gpu_memory
from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.model_store import BUNDLED_MODEL_DIR
from ${{ values.pythonPackage }}.softmax_classifier import SoftmaxClassifier

from conftest import MODEL, wait_until_ready

GIB = 1 << 30


class FakeNvml:
    """pynvml's calls the exporter makes, over GPUs given as (uuid, device used bytes, {pid: bytes})."""

    class NVMLError(Exception):
        pass

    def __init__(self, gpus):
        self.gpus, self.broken = gpus, False

    def _gpu(self, gpu):
        if self.broken:
            raise self.NVMLError("GPU is lost")
        return gpu

    def nvmlDeviceGetHandleByIndex(self, index):
        return self._gpu(self.gpus[index])

    def nvmlDeviceGetHandleByUUID(self, uuid):
        return self._gpu(next(gpu for gpu in self.gpus if gpu[0] == uuid))

    def nvmlDeviceGetMemoryInfo(self, gpu):
        return SimpleNamespace(used=gpu[1], total=24 * GIB, free=24 * GIB - gpu[1])

    def nvmlDeviceGetComputeRunningProcesses(self, gpu):
        return [SimpleNamespace(pid=pid, usedGpuMemory=used) for pid, used in gpu[2].items()]


GPUS = [("GPU-aaa", 3 * GIB, {4242: 2 * GIB, 99: GIB}), ("GPU-bbb", 5 * GIB, {77: 5 * GIB}),
        ("GPU-ccc", 1 * GIB, {})]


def test_the_process_share_of_each_device_is_read_and_the_device_total_stands_in_when_the_pid_is_hidden():
    usage = gpu_memory.memory_by_device(["cuda:0", "cuda:1"], FakeNvml(GPUS), {}, pid=4242)
    assert usage == {"cuda:0": (2 * GIB, 2 * GIB),  # this process's share, not the other process's
                     "cuda:1": (5 * GIB, 5 * GIB)}  # its PID is not listed (a container): the device's used


def test_cuda_numbers_follow_cuda_visible_devices_by_index_or_uuid():
    usage = gpu_memory.memory_by_device(["cuda:0", "cuda:1"], FakeNvml(GPUS),
                                        {"CUDA_VISIBLE_DEVICES": "2,GPU-aaa"}, pid=1)
    assert usage == {"cuda:0": (GIB, GIB), "cuda:1": (3 * GIB, 3 * GIB)}


def test_the_cpu_has_no_series_and_nvml_is_not_touched():
    untouchable = SimpleNamespace()  # any NVML call would raise AttributeError
    assert gpu_memory.memory_by_device([], untouchable) == {}
    assert gpu_memory.memory_by_device(["cpu"], untouchable) == {}


def test_a_failing_gpu_drops_the_series_for_that_scrape():
    nvml = FakeNvml(GPUS)
    nvml.broken = True
    assert gpu_memory.memory_by_device(["cuda:0"], nvml, {}, pid=1) == {}


def test_without_nvml_there_are_no_series_and_one_warning(monkeypatch, caplog):
    monkeypatch.setattr(gpu_memory, "_session", None)
    monkeypatch.setitem(sys.modules, "pynvml", None)  # import pynvml raises ImportError
    assert gpu_memory.memory_by_device(["cuda:0"]) == {}
    assert gpu_memory.memory_by_device(["cuda:0"]) == {}
    assert len([r for r in caplog.records if "NVML is unavailable" in r.getMessage()]) == 1


def scrape(settings, model) -> dict:
    """(series name, device) → value of every GPU memory sample on /metrics."""
    with TestClient(create_app(settings, lambda uri, cache_dir: (model, "bundled"))) as client:
        wait_until_ready(client)
        text = client.get("/metrics").text
    return {(family.name, sample.labels["device"]): sample.value for family in text_string_to_metric_families(text)
            if family.name.startswith("gpu_memory_") for sample in family.samples
            if sample.labels["model"] == MODEL}


def test_metrics_export_any_models_gpu_memory_and_none_on_the_cpu(settings, monkeypatch):
    monkeypatch.setattr(gpu_memory, "_session", FakeNvml(GPUS))
    on_gpus = SoftmaxClassifier.load(BUNDLED_MODEL_DIR)
    on_gpus.devices = ["cuda:0", "cuda:1"]  # a custom model says where it runs; the runtimes say it themselves
    assert scrape(settings, on_gpus) == {(f"gpu_memory_{kind}_bytes", f"cuda:{index}"): GPUS[index][1]
                                         for kind in ("used", "reserved") for index in (0, 1)}
    assert scrape(settings, SoftmaxClassifier.load(BUNDLED_MODEL_DIR)) == {}  # absent, not zero
