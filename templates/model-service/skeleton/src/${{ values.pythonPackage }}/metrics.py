"""Prometheus metrics, with the names and labels the platform's dashboards and alerts expect.

Every series here changes on the event loop's thread only, so they are loop_metrics' lock-free kinds; the
process, platform and GC collectors come from prometheus_client.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, Tuple

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from .loop_metrics import Counter, Gauge, Histogram

# Inference can take minutes on large batches or cold GPUs: buckets reach 10 minutes.
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
                    120.0, 300.0, 600.0)
ERROR_REASONS = ("bad_request", "not_found", "not_ready", "too_large", "overloaded", "out_of_memory", "internal")
#: REST and gRPC share the model, the queue and the metrics; the protocol label tells them apart.
PROTOCOLS = ("rest", "grpc")
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
QUEUE_WAIT_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)


class DeviceMemory:
    """GPU memory per device, read from the model at each scrape (torch's allocator knows it; nothing is
    polled between scrapes). No series on the CPU."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.read: Callable[[], Dict[str, Tuple[int, int]]] = dict

    def collect(self) -> Iterator[GaugeMetricFamily]:
        used = GaugeMetricFamily("gpu_memory_used_bytes", "Device memory the model's tensors occupy now.",
                                 labels=["model", "device"])
        reserved = GaugeMetricFamily("gpu_memory_reserved_bytes", "Device memory the framework holds (in use and "
                                     "cached for reuse).", labels=["model", "device"])
        for device, (in_use, held) in sorted(self.read().items()):
            used.add_metric([self.model, device], in_use)
            reserved.add_metric([self.model, device], held)
        yield used
        yield reserved


class Metrics:
    """One registry per app, so tests can build several apps in one process."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, model: str, version: str, build_version: str, git_sha: str) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self._model, self._version = model, version

        self._requests = Counter("inference_requests", "Inference requests served, by HTTP status code (gRPC "
                                 "calls by the HTTP status their error maps to) and protocol.",
                                 ["model", "version", "code", "protocol"], self.registry)
        self._duration = Histogram("inference_request_duration_seconds",
                                   "Time from receiving an inference request to sending its response.",
                                   ["model", "version", "protocol"], self.registry, DURATION_BUCKETS)
        in_flight = Gauge("inference_requests_in_flight", "Inference requests being served now.", ["model"],
                          self.registry)
        self._errors = Counter("inference_errors", "Inference requests that failed, by reason and protocol.",
                               ["model", "version", "reason", "protocol"], self.registry)
        batch_size = Histogram("inference_batch_size", "Requests run together in one model call.",
                               ["model", "version"], self.registry, BATCH_SIZE_BUCKETS)
        queue_wait = Histogram("inference_queue_wait_seconds",
                               "Time an inference request waited in the batching queue before its model call.",
                               ["model", "version"], self.registry, QUEUE_WAIT_BUCKETS)
        queue_depth = Gauge("inference_queue_depth", "Inference requests waiting in the batching queue now.",
                            ["model"], self.registry)
        self._load_duration = Gauge("model_load_duration_seconds",
                                    "Seconds the last model load and warm-up took.", ["model", "version"],
                                    self.registry)
        self._ready = Gauge("model_ready", "1 when the model is loaded and warmed up, else 0.",
                            ["model", "version"], self.registry)
        self._info = Gauge("model_info", "The model served, and where it was loaded from.",
                           ["model", "version", "source"], self.registry)
        build_info = Gauge("service_build_info", "The build of this service.", ["version", "revision"],
                           self.registry)

        self.in_flight = in_flight.labels(model)
        #: Read at each scrape: the batching queue sets it to a function of its length.
        self.queue_depth = queue_depth.labels(model)
        self._batch_size = batch_size.labels(model, version)
        self._queue_wait = queue_wait.labels(model, version)
        self._duration_children = {protocol: self._duration.labels(model, version, protocol) for protocol in PROTOCOLS}
        self._code_children: Dict[Tuple[int, str], Any] = {}
        # Expose every series from the start, so rate() and absent() work before the first error.
        self._error_children = {(reason, protocol): self._errors.labels(model, version, reason, protocol)
                                for reason in ERROR_REASONS for protocol in PROTOCOLS}
        for protocol in PROTOCOLS:
            self._requests_child(200, protocol)
        self._ready.labels(model, version).set(0)
        build_info.labels(build_version, git_sha).set(1)
        self._device_memory = DeviceMemory(model)
        self.registry.register(self._device_memory)

    def _requests_child(self, code: int, protocol: str) -> Any:
        child = self._code_children.get((code, protocol))
        if child is None:
            child = self._code_children[code, protocol] = self._requests.labels(self._model, self._version,
                                                                                str(code), protocol)
        return child

    def observe_request(self, code: int, seconds: float, protocol: str = "rest") -> None:
        self._requests_child(code, protocol).inc()
        self._duration_children[protocol].observe(seconds)

    def count_error(self, reason: str, protocol: str = "rest") -> None:
        self._error_children[reason, protocol].inc()

    def observe_batch(self, size: int) -> None:
        self._batch_size.observe(size)

    def observe_queue_wait(self, seconds: float) -> None:
        self._queue_wait.observe(seconds)

    def model_loaded(self, source: str, seconds: float,
                     memory_by_device: Callable[[], Dict[str, Tuple[int, int]]] = dict) -> None:
        self._device_memory.read = memory_by_device
        self._load_duration.labels(self._model, self._version).set(seconds)
        self._info.labels(self._model, self._version, source).set(1)
        self._ready.labels(self._model, self._version).set(1)

    def model_unready(self) -> None:
        self._ready.labels(self._model, self._version).set(0)

    def render(self) -> Tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
