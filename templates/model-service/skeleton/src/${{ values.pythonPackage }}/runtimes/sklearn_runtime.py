"""scikit-learn estimators and pipelines, saved with joblib.dump(model, "model.joblib").

joblib files are pickles: they load only with MODEL_SHA256 (artifacts.require_trusted). The input width
comes from the fitted estimator (n_features_in_); outputs from a dry run: "predictions" (predict) and, for
classifiers that have it, "probabilities" (predict_proba). scikit-learn runs on the CPU only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np

from ..model import Model, ModelLoadError, ModelMetadata
from ..protocol import TensorSpec
from .artifacts import artifact_file, require_framework, require_trusted
from .device import cpu_only
from .model_settings import read_model_settings
from .options import RuntimeOptions
from .out_of_memory import batch_memory
from .tensors import batch_specs, servable

EXPORT_HINT = "save the fitted estimator or pipeline with joblib.dump(model, \"model.joblib\")"


def load(path: Path, options: RuntimeOptions) -> "SklearnModel":
    cpu_only(options.device, "scikit-learn")
    file = artifact_file(path, "sklearn", ("model.joblib", "model.pkl"), EXPORT_HINT)
    require_trusted(file, options.sha256, "a pickle (joblib)")
    require_framework("sklearn", "scikit-learn", "sklearn")
    joblib = require_framework("joblib", "joblib", "sklearn")
    try:
        estimator = joblib.load(file)
    except Exception as error:  # unpickling a damaged or foreign file raises anything
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelLoadError(f"{file} is not a model joblib can load for MODEL_FORMAT=sklearn ({type(error).__name__}: "
                             f"{reason}); {EXPORT_HINT} with the scikit-learn release this image pins") from None
    if not hasattr(estimator, "predict"):
        raise ModelLoadError(f"{file} holds a {type(estimator).__name__}, which has no predict(); {EXPORT_HINT}")
    return SklearnModel(estimator, read_model_settings(path), file)


class SklearnModel(Model):
    may_run_on_loop = True  # the CPU only: a fast estimator runs on the event loop (model_loading.py)

    def __init__(self, estimator: Any, settings: Optional[dict], file: Path) -> None:
        self.estimator = estimator
        features = getattr(estimator, "n_features_in_", None)
        declared = (settings or {}).get("inputs")
        if declared is None and features is None:
            raise ModelLoadError(f"{file}: the estimator does not say how many features it takes (no "
                                 "n_features_in_): declare its input in model-settings.json")
        if declared is not None and len(declared) != 1:
            raise ModelLoadError(f"{file}: a scikit-learn model takes one input tensor, model-settings.json "
                                 f"declares {len(declared)}")
        self.input = declared[0] if declared else TensorSpec("features", "FP32", [-1, features])
        self.methods = [("predictions", estimator.predict)]
        if hasattr(estimator, "predict_proba"):
            self.methods.append(("probabilities", estimator.predict_proba))
        sample = np.zeros([1, *[max(dim, 1) for dim in self.input.shape[1:]]], np.float32)
        produced = [servable(np.asarray(method(sample))) for _, method in self.methods]
        outputs = batch_specs([name for name, _ in self.methods], produced)
        renamed = (settings or {}).get("outputs")
        if renamed is not None:
            if len(renamed) != len(outputs):
                raise ModelLoadError(f"{file}: model-settings.json declares {len(renamed)} outputs, the estimator "
                                     f"produces {len(outputs)} ({', '.join(spec.name for spec in outputs)})")
            outputs = renamed
        self.output_names = [spec.name for spec in outputs]
        self._metadata = ModelMetadata(platform="sklearn", inputs=[self.input], outputs=outputs)

    @classmethod
    def load(cls, path: Path) -> "SklearnModel":
        return load(path, RuntimeOptions(model_format="sklearn"))

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    def predict(self, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        features = inputs[self.input.name]
        with batch_memory("cpu"):  # a batch too large for the host's memory fails alone too
            return {name: servable(np.asarray(method(features)))
                    for name, (_, method) in zip(self.output_names, self.methods)}
