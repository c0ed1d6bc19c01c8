"""The model abstraction: what the service needs from any model it serves.

To serve your own model, subclass Model (load, metadata, predict), register its artifact format in
model_store.MODEL_FORMATS, and point MODEL_URI at the artifact.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Sequence

import numpy as np

from .protocol import DATATYPES, TensorSpec


@dataclass(frozen=True)
class ModelMetadata:
    platform: str
    inputs: Sequence[TensorSpec]
    outputs: Sequence[TensorSpec]


class Model(abc.ABC):
    #: Run predict() in a worker thread, so a slow model never blocks the event loop (health checks,
    #: metrics, other requests). A model that answers in microseconds may set it False to save the hop.
    run_in_thread: bool = True

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

    def warm_up(self) -> None:
        """Runs one prediction on a small input, so the first real request pays no first-call costs."""
        sample = {}
        for spec in self.metadata.inputs:
            shape = [1 if dim < 0 else dim for dim in spec.shape]
            datatype = DATATYPES[spec.datatype]
            sample[spec.name] = np.full(shape, "", dtype=object) if datatype.kind == "bytes" \
                else np.zeros(shape, dtype=datatype.dtype)
        self.predict(sample)
