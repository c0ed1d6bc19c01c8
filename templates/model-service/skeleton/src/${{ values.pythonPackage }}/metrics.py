"""Prometheus metrics, with the names and labels the platform's dashboards and alerts expect."""

from __future__ import annotations

from typing import Dict, Tuple

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

# Inference can take minutes on large batches or cold GPUs: buckets reach 10 minutes.
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
                    120.0, 300.0, 600.0)
ERROR_REASONS = ("bad_request", "not_found", "not_ready", "too_large", "internal")


class Metrics:
    """One registry per app, so tests can build several apps in one process."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, model: str, version: str, build_version: str, git_sha: str) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self._model, self._version = model, version

        self._requests = Counter("inference_requests", "Inference requests served, by HTTP status code.",
                                 ["model", "version", "code"], registry=self.registry)
        self._duration = Histogram("inference_request_duration_seconds",
                                   "Time from receiving an inference request to sending its response.",
                                   ["model", "version"], buckets=DURATION_BUCKETS, registry=self.registry)
        in_flight = Gauge("inference_requests_in_flight", "Inference requests being served now.", ["model"],
                          registry=self.registry)
        self._errors = Counter("inference_errors", "Inference requests that failed, by reason.",
                               ["model", "version", "reason"], registry=self.registry)
        self._load_duration = Gauge("model_load_duration_seconds",
                                    "Seconds the last model load and warm-up took.", ["model", "version"],
                                    registry=self.registry)
        self._ready = Gauge("model_ready", "1 when the model is loaded and warmed up, else 0.",
                            ["model", "version"], registry=self.registry)
        self._info = Gauge("model_info", "The model served, and where it was loaded from.",
                           ["model", "version", "source"], registry=self.registry)
        build_info = Gauge("service_build_info", "The build of this service.", ["version", "revision"],
                           registry=self.registry)

        self.in_flight = in_flight.labels(model)
        self._duration_child = self._duration.labels(model, version)
        self._code_children: Dict[int, Counter] = {}
        self._error_children: Dict[str, Counter] = {}
        # Expose every series from the start, so rate() and absent() work before the first error.
        for reason in ERROR_REASONS:
            self._error_children[reason] = self._errors.labels(model, version, reason)
        self._requests_child(200)
        self._ready.labels(model, version).set(0)
        build_info.labels(build_version, git_sha).set(1)

    def _requests_child(self, code: int) -> Counter:
        child = self._code_children.get(code)
        if child is None:
            child = self._code_children[code] = self._requests.labels(self._model, self._version, str(code))
        return child

    def observe_request(self, code: int, seconds: float) -> None:
        self._requests_child(code).inc()
        self._duration_child.observe(seconds)

    def count_error(self, reason: str) -> None:
        self._error_children[reason].inc()

    def model_loaded(self, source: str, seconds: float) -> None:
        self._load_duration.labels(self._model, self._version).set(seconds)
        self._info.labels(self._model, self._version, source).set(1)
        self._ready.labels(self._model, self._version).set(1)

    def model_unready(self) -> None:
        self._ready.labels(self._model, self._version).set(0)

    def render(self) -> Tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
