"""loop_metrics exposes exactly what prometheus_client's own Counter, Gauge and Histogram would."""

from __future__ import annotations

import prometheus_client
from prometheus_client import CollectorRegistry, generate_latest

from ${{ values.pythonPackage }} import loop_metrics


def exposition(module) -> list:
    registry = CollectorRegistry()
    if module is prometheus_client:
        counter = module.Counter("jobs", "Jobs.", ["kind"], registry=registry)
        gauge = module.Gauge("depth", "Depth.", ["kind"], registry=registry)
        histogram = module.Histogram("wait_seconds", "Wait.", ["kind"], registry=registry, buckets=(0.1, 1, 10))
    else:
        counter = module.Counter("jobs", "Jobs.", ["kind"], registry)
        gauge = module.Gauge("depth", "Depth.", ["kind"], registry)
        histogram = module.Histogram("wait_seconds", "Wait.", ["kind"], registry, (0.1, 1, 10))
    counter.labels("a").inc()
    counter.labels("a").inc(2)
    counter.labels("b")
    gauge.labels("a").set(3)
    gauge.labels("a").dec()
    gauge.labels("b").set_function(lambda: 7)
    for value in (0.05, 0.1, 0.5, 1, 99):
        histogram.labels("a").observe(value)
    lines = generate_latest(registry).decode().splitlines()
    return [line for line in lines if "_created" not in line]  # loop_metrics has no _created series


def test_the_same_exposition_as_prometheus_client():
    assert exposition(loop_metrics) == exposition(prometheus_client)
