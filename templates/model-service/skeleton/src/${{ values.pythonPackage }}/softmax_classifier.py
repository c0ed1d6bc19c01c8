"""A linear softmax classifier in numpy: the bundled example model, and the "softmax-classifier/v1" format.

Artifact: a directory with model.json holding the feature names, class labels, one weight row per class
and one bias per class (see example_model/model.json).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import numpy as np

from .model import Model, ModelMetadata
from .protocol import TensorSpec

FORMAT = "softmax-classifier/v1"


class SoftmaxClassifier(Model):
    # A few multiply-adds per row: cheaper than handing the work to a thread.
    run_in_thread = False

    def __init__(self, features: list, classes: list, weights: np.ndarray, bias: np.ndarray) -> None:
        if weights.shape != (len(classes), len(features)) or bias.shape != (len(classes),):
            raise ValueError(f"weights must be {len(classes)}×{len(features)} and bias {len(classes)} long "
                             f"(one row per class, one column per feature), got {weights.shape} and {bias.shape}")
        self.features, self.classes = features, np.asarray(classes, dtype=object)
        self.weights, self.bias = weights.T.copy(), bias
        self._metadata = ModelMetadata(
            platform="numpy",
            inputs=[TensorSpec("features", "FP32", [-1, len(features)])],
            outputs=[
                TensorSpec("probabilities", "FP32", [-1, len(classes)]),
                TensorSpec("label", "BYTES", [-1]),
                TensorSpec("class_index", "INT64", [-1]),
            ],
        )

    @classmethod
    def load(cls, path: Path) -> "SoftmaxClassifier":
        document: Dict[str, Any] = json.loads((path / "model.json").read_text(encoding="utf-8"))
        return cls(
            features=list(document["features"]),
            classes=list(document["classes"]),
            weights=np.asarray(document["weights"], dtype=np.float32),
            bias=np.asarray(document["bias"], dtype=np.float32),
        )

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    def predict(self, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        logits = inputs["features"] @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)  # stable softmax
        odds = np.exp(logits)
        probabilities = odds / odds.sum(axis=1, keepdims=True)
        best = probabilities.argmax(axis=1)
        return {
            "probabilities": probabilities.astype(np.float32),
            "label": self.classes[best],
            "class_index": best.astype(np.int64),
        }
