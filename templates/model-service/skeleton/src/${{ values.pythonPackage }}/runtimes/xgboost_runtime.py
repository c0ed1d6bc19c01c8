"""XGBoost Boosters in the library's own formats: model.ubj (UBJSON) or model.json, from
booster.save_model(); model.bst (the legacy binary format) for releases that still read it.

None of them is a pickle, so no digest is needed. The input width is the booster's num_features(); the
output's shape comes from a dry run (one value per row, or one per class for multi:softprob).
Placement differs by release: xgboost >= 2 takes device="cuda:N"; 1.x takes gpu_id and the GPU predictor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np

from ..model import Model, ModelLoadError, ModelMetadata
from ..protocol import TensorSpec
from .artifacts import artifact_file, require_framework
from .device import cuda_index, driver_gpu_count, on_device, pick_devices
from .model_settings import read_model_settings
from .options import RuntimeOptions
from .out_of_memory import batch_memory
from .replicas import one_per_device
from .tensors import batch_specs

EXPORT_HINT = "save it with booster.save_model(\"model.ubj\") (a scikit-learn-style XGBClassifier: " \
              "model.get_booster().save_model(\"model.ubj\"))"


def load(path: Path, options: RuntimeOptions) -> Model:
    xgboost = require_framework("xgboost", "xgboost", "xgboost")
    file = artifact_file(path, "xgboost", ("model.ubj", "model.json", "model.bst"), EXPORT_HINT)
    cuda_build = bool(xgboost.build_info().get("USE_CUDA"))
    devices = pick_devices(options.device, f"xgboost {xgboost.__version__}", cuda_build, driver_gpu_count())
    settings = read_model_settings(path)
    return one_per_device([XGBoostModel(_booster(xgboost, file, device), device, settings, file)
                           for device in devices])


def _booster(xgboost: Any, file: Path, device: str) -> Any:
    try:
        booster = xgboost.Booster(model_file=str(file))
    except Exception as error:  # XGBoostError, or UnicodeDecodeError: xgboost 1.7 cannot decode its own message
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelLoadError(f"{file} is not an XGBoost model xgboost {xgboost.__version__} can read for "
                             f"MODEL_FORMAT=xgboost ({reason}); "
                             f"{EXPORT_HINT}") from None
    if device != "cpu":
        if int(xgboost.__version__.split(".")[0]) >= 2:
            booster.set_param({"device": device})
        else:
            booster.set_param({"gpu_id": cuda_index(device) or 0, "predictor": "gpu_predictor"})
    return booster


class XGBoostModel(Model):
    def __init__(self, booster: Any, device: str, settings: Optional[dict], file: Path) -> None:
        self.booster, self.device = booster, device
        self.devices, self.may_run_on_loop = on_device(device)
        declared = (settings or {}).get("inputs")
        if declared is not None and len(declared) != 1:
            raise ModelLoadError(f"{file}: an XGBoost model takes one input tensor, model-settings.json declares "
                                 f"{len(declared)}")
        self.input = declared[0] if declared else TensorSpec("features", "FP32", [-1, booster.num_features()])
        produced = self._predict(np.zeros((1, booster.num_features()), np.float32))
        outputs = (settings or {}).get("outputs") or batch_specs(["predictions"], [produced])
        if len(outputs) != 1:
            raise ModelLoadError(f"{file}: an XGBoost model produces one output, model-settings.json declares "
                                 f"{len(outputs)}")
        self.output = outputs[0].name
        self._metadata = ModelMetadata(platform="xgboost", inputs=[self.input], outputs=outputs)

    @classmethod
    def load(cls, path: Path) -> Model:
        return load(path, RuntimeOptions(model_format="xgboost"))

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    def _predict(self, features: np.ndarray) -> np.ndarray:
        with batch_memory(self.device):
            return self.booster.inplace_predict(features)

    def predict(self, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        return {self.output: self._predict(inputs[self.input.name])}
