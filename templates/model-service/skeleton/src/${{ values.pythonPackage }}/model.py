"""The model abstraction: what the service needs from any model it serves.

The built-in runtimes (runtimes/: pytorch, onnx, xgboost, sklearn) are Models too. To serve a model no
runtime loads, set MODEL_FORMAT=custom, subclass Model (load, metadata, predict), register its artifact
format in model_store.MODEL_FORMATS, and point MODEL_URI at the artifact.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Sequence, Tuple

import numpy as np

from . import gpu_memory
from .protocol import DATATYPES, TensorSpec


class ModelLoadError(RuntimeError):
    """The model cannot be fetched or built; the message names the file, the format and the fix."""


@dataclass(frozen=True)
class ModelMetadata:
    platform: str
    inputs: Sequence[TensorSpec]
    outputs: Sequence[TensorSpec]


class Model(abc.ABC):
    #: Run predict() in a worker thread, so a slow model never blocks the event loop (health checks,
    #: metrics, other requests). A model that answers in microseconds may set it False to save the hop.
    run_in_thread: bool = True
    #: How many batches may run at once: one per device for a model with an instance on each GPU.
    concurrency: int = 1
    #: Let start-up choose run_in_thread by timing the largest batch after warm-up: a model whose batch
    #: takes under a millisecond then runs on the event loop (the hand-off to a thread, and the GIL passed
    #: back and forth, would cost more than the call). The built-in runtimes on the CPU set it.
    may_run_on_loop: bool = False
    #: The GPU devices the model runs on ("cuda:0", …): their memory is exported on /metrics. A custom
    #: model on a GPU sets it; none (the CPU) exports no GPU series.
    devices: Sequence[str] = ()

    @classmethod
    @abc.abstractmethod
    def load(cls, path: Path) -> "Model":
        """Builds the model from its artifact directory (already local)."""

    @property
    @abc.abstractmethod
    def metadata(self) -> ModelMetadata:
        """The framework and the tensors the model takes and produces."""

    @abc.abstractmethod
    def predict(self, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        """Maps input name → array to output name → array. Must be thread-safe."""

    def warm_up(self, batch_sizes: Sequence[int] = (1,)) -> None:
        """Runs a prediction for each batch size the batcher may form, so no real request pays first-call
        costs (CUDA kernels chosen and compiled per shape, memory pools grown). Open non-batch dimensions
        get 1."""
        for rows in batch_sizes:
            sample = {}
            for spec in self.metadata.inputs:
                shape = [(rows if index == 0 else 1) if dim < 0 else dim for index, dim in enumerate(spec.shape)]
                datatype = DATATYPES[spec.datatype]
                sample[spec.name] = np.full(shape, "", dtype=object) if datatype.kind == "bytes" \
                    else np.zeros(shape, dtype=datatype.dtype)
            self.predict(sample)

    def memory_by_device(self) -> Dict[str, Tuple[int, int]]:
        """Device name → (bytes in use, bytes reserved) for /metrics, read at each scrape: NVML's count for
        `devices` (gpu_memory.py); empty for a model on the CPU."""
        return gpu_memory.memory_by_device(self.devices)
