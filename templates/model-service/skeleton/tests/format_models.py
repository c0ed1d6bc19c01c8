"""A tiny model of each built-in format, trained or exported inside the test in milliseconds (nothing
opaque is checked in), with the framework's own answers to compare the service's against, and a way to
make its framework call run out of memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import numpy as np

Outputs = Dict[str, np.ndarray]
LABELS = np.array(["setosa", "versicolor", "virginica"])


@dataclass
class Artifact:
    directory: Path
    #: The framework called directly on the same rows: what the service must answer.
    reference: Callable[[np.ndarray], Outputs]
    #: The file a pickle-based format loads (its digest goes in MODEL_SHA256); None for the others.
    pickle: Optional[Path] = None


def rows(count: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(count, 4)).astype(np.float32)


def training_set() -> tuple:
    features = rows(90)
    classes = (features[:, 0] > 0).astype(int) + (features[:, 1] > 0.5).astype(int)
    return features, classes


def sklearn_artifact(directory: Path) -> Artifact:
    import joblib
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    features, classes = training_set()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(features, LABELS[classes])
    joblib.dump(model, directory / "model.joblib")
    return Artifact(directory, lambda x: {"predictions": model.predict(x), "probabilities": model.predict_proba(x)},
                    directory / "model.joblib")


def xgboost_artifact(directory: Path) -> Artifact:
    import xgboost

    features, classes = training_set()
    booster = xgboost.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 2, "seed": 0,
                             "nthread": 1}, xgboost.DMatrix(features, label=classes), num_boost_round=4)
    booster.save_model(str(directory / "model.ubj"))
    return Artifact(directory, lambda x: {"predictions": booster.inplace_predict(x)})


def torch_net() -> Any:
    import torch
    from tiny_torch_net import TinyNet

    torch.manual_seed(0)
    return TinyNet().eval()


def torch_reference(net: Any, output: str) -> Callable[[np.ndarray], Outputs]:
    import torch

    def reference(x: np.ndarray) -> Outputs:
        with torch.no_grad():
            return {output: net(torch.from_numpy(x)).numpy()}
    return reference


def pytorch_artifact(directory: Path) -> Artifact:
    import torch

    net = torch_net()
    torch.jit.save(torch.jit.script(net), str(directory / "model.pt"))
    (directory / "model-settings.json").write_text(json.dumps(
        {"inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 4]}]}))
    return Artifact(directory, torch_reference(net, "output"))


def pytorch_pickle_artifact(directory: Path) -> Artifact:
    """A whole module pickled by torch.save: loads only with MODEL_SHA256."""
    import torch

    net = torch_net()
    torch.save(net, str(directory / "model.pt"))
    (directory / "model-settings.json").write_text(json.dumps(
        {"inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 4]}]}))
    return Artifact(directory, torch_reference(net, "output"), directory / "model.pt")


def onnx_artifact(directory: Path) -> Artifact:
    import onnxruntime
    import torch

    net = torch_net()
    torch.onnx.export(net, torch.zeros(1, 4), str(directory / "model.onnx"), input_names=["features"],
                      output_names=["probabilities"], dynamic_axes={"features": {0: "batch"},
                                                                    "probabilities": {0: "batch"}})
    session = onnxruntime.InferenceSession(str(directory / "model.onnx"), providers=["CPUExecutionProvider"])
    return Artifact(directory, lambda x: {"probabilities": session.run(None, {"features": x})[0]})


ARTIFACTS = {"sklearn": sklearn_artifact, "xgboost": xgboost_artifact, "pytorch": pytorch_artifact,
             "onnx": onnx_artifact}


class _Failing:
    """Wraps a framework object: the named call raises `error()` when any row's first feature is 666."""

    def __init__(self, inner: Any, method: Optional[str], error: Callable[[], BaseException],
                 rows_of: Callable[..., Any] = lambda first, *args: first) -> None:
        self.inner, self.method, self.error, self.rows_of = inner, method, error, rows_of
        self.failed_rows: List[int] = []

    def _call(self, call: Callable[..., Any], first: Any, *args: Any) -> Any:
        data = self.rows_of(first, *args)
        data = np.asarray(data.cpu() if hasattr(data, "cpu") else data)
        if (data[:, 0] == 666).any():
            self.failed_rows.append(len(data))
            raise self.error()
        return call(first, *args)

    def __call__(self, first: Any, *args: Any) -> Any:
        return self._call(self.inner, first, *args)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if name != self.method:
            return attribute
        return lambda first, *args, **kwargs: self._call(lambda *a: attribute(*a, **kwargs), first, *args)


def force_out_of_memory(model_format: str, model: Any) -> _Failing:
    """Makes the model's framework call fail as out of memory for batches holding a row starting with 666."""
    if model_format == "pytorch":
        import torch
        model.module = _Failing(model.module, None, lambda: torch.cuda.OutOfMemoryError(
            "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.75 GiB total capacity)"))
        return model.module
    if model_format == "xgboost":
        import xgboost
        model.booster = _Failing(model.booster, "inplace_predict", lambda: xgboost.core.XGBoostError(
            "[12:00:00] cudaErrorMemoryAllocation: out of memory"))
        return model.booster
    if model_format == "onnx":
        model.session = _Failing(model.session, "run", lambda: RuntimeError(
            "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Failed to allocate memory for requested buffer"),
            lambda names, feed: next(iter(feed.values())))
        return model.session
    failing = _Failing(None, None, MemoryError)
    model.methods = [(name, lambda x, method=method: failing._call(method, x)) for name, method in model.methods]
    return failing
