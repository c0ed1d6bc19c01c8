"""The built-in model runtimes: each loads what its framework saves (MODEL_FORMAT), on DEVICE.

A runtime's module imports its framework when the service starts with that format, so an image carries
only the framework it serves (requirements/<format>.txt).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..model import Model
from .options import RuntimeOptions

#: MODEL_FORMAT → the module whose load(path, options) builds the model. "custom" is model_store's own.
RUNTIME_MODULES = {
    "pytorch": "pytorch_runtime",
    "onnx": "onnx_runtime",
    "xgboost": "xgboost_runtime",
    "sklearn": "sklearn_runtime",
}
MODEL_FORMATS = ("custom", *RUNTIME_MODULES)


def load_runtime(path: Path, options: RuntimeOptions) -> Model:
    module = importlib.import_module(f".{RUNTIME_MODULES[options.model_format]}", __name__)
    return module.load(path, options)
