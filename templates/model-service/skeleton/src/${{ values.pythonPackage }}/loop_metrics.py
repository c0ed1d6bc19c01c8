"""Counter, Gauge and Histogram with prometheus_client's API and output, for metrics that change only on
the event loop's thread (request handlers, the batching queue, the model's load being published there).

prometheus_client's own take a lock and run several checks on every update: about 5 µs per inference,
as much as the rest of the service's bookkeeping. These keep plain numbers (one thread: nothing to lock)
and build the samples only when /metrics is scraped. Names, types, labels and buckets are what
prometheus_client would expose, less the optional `_created` series.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString


class _Value:
    __slots__ = ("value", "function")

    def __init__(self) -> None:
        self.value = 0.0
        self.function: Optional[Callable[[], float]] = None

    def inc(self, amount: float = 1) -> None:
        self.value += amount

    def dec(self, amount: float = 1) -> None:
        self.value -= amount

    def set(self, value: float) -> None:
        self.value = float(value)

    def set_function(self, function: Callable[[], float]) -> None:
        """The value is read from `function` at each scrape (e.g. a queue's length): no update to make."""
        self.function = function

    def get(self) -> float:
        return float(self.function()) if self.function is not None else self.value


class _Buckets:
    __slots__ = ("bounds", "counts", "sum")

    def __init__(self, bounds: Tuple[float, ...]) -> None:
        self.bounds, self.counts, self.sum = bounds, [0] * (len(bounds) + 1), 0.0

    def observe(self, amount: float) -> None:
        # The first bucket whose upper bound is ≥ amount ("le"); the last one is +Inf.
        self.counts[bisect_left(self.bounds, amount)] += 1
        self.sum += amount


class _Family:
    kind = ""

    def __init__(self, name: str, documentation: str, labelnames: Sequence[str], registry: CollectorRegistry) -> None:
        self.name, self.documentation, self.labelnames = name, documentation, list(labelnames)
        self._children: Dict[Tuple[str, ...], Any] = {}
        registry.register(self)

    def labels(self, *values: Any) -> Any:
        key = tuple(str(value) for value in values)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self._new_child()
        return child

    def _new_child(self) -> Any:
        return _Value()

    def collect(self) -> Iterator[Metric]:
        family = self._family()
        for key, child in self._children.items():
            self._add(family, list(key), child)
        yield family

    def _family(self) -> Any:
        raise NotImplementedError

    def _add(self, family: Any, labels: List[str], child: Any) -> None:
        family.add_metric(labels, child.get())


class Counter(_Family):
    def _family(self) -> CounterMetricFamily:
        return CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)


class Gauge(_Family):
    def _family(self) -> GaugeMetricFamily:
        return GaugeMetricFamily(self.name, self.documentation, labels=self.labelnames)


class Histogram(_Family):
    def __init__(self, name: str, documentation: str, labelnames: Sequence[str], registry: CollectorRegistry,
                 buckets: Sequence[float]) -> None:
        self.bounds = tuple(float(bound) for bound in buckets)
        super().__init__(name, documentation, labelnames, registry)

    def _new_child(self) -> _Buckets:
        return _Buckets(self.bounds)

    def _family(self) -> HistogramMetricFamily:
        return HistogramMetricFamily(self.name, self.documentation, labels=self.labelnames)

    def _add(self, family: Any, labels: List[str], child: Any) -> None:
        cumulative, buckets = 0, []
        for bound, count in zip([*self.bounds, float("inf")], child.counts, strict=True):
            cumulative += count
            buckets.append((floatToGoString(bound), cumulative))
        family.add_metric(labels, buckets, child.sum)
