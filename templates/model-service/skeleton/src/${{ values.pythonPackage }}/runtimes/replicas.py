"""One model instance per device, batches spread over them: with DEVICE=cuda every visible GPU serves.

Each instance is used by one batch at a time (a GPU runs one batch's kernels best alone); the batcher runs
up to `concurrency` batches at once, and each takes whichever instance is free.
"""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

from ..model import Model, ModelMetadata


class Replicas(Model):
    run_in_thread = True

    def __init__(self, instances: List[Model]) -> None:
        self.instances = instances
        self.concurrency = len(instances)
        self._free: "queue.SimpleQueue[Model]" = queue.SimpleQueue()
        for instance in instances:
            self._free.put(instance)

    @classmethod
    def load(cls, path: Path) -> "Replicas":
        raise TypeError("Replicas are built from loaded instances: one_per_device(instances)")

    @property
    def metadata(self) -> ModelMetadata:
        return self.instances[0].metadata

    def predict(self, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        instance = self._free.get()
        try:
            return instance.predict(inputs)
        finally:
            self._free.put(instance)

    def warm_up(self, batch_sizes: Sequence[int] = (1,)) -> None:
        for instance in self.instances:
            instance.warm_up(batch_sizes)

    def memory_by_device(self) -> Dict[str, Tuple[int, int]]:
        return {device: usage for instance in self.instances for device, usage in instance.memory_by_device().items()}


def one_per_device(instances: List[Model]) -> Model:
    return instances[0] if len(instances) == 1 else Replicas(instances)
