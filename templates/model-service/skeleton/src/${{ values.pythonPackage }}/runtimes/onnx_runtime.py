"""ONNX graphs (model.onnx) on ONNX Runtime: the graph names its inputs and outputs, their datatypes and
shapes (symbolic dimensions are variable), so no settings file is needed.

DEVICE=cuda runs on the CUDA execution provider (one session per visible GPU); ONNX_TENSORRT=1 puts
TensorRT first. ONNX Runtime quietly falls back to the CPU when its CUDA provider cannot load (missing
cuDNN, a driver too old): the session's providers are checked, and such a fallback fails start-up.
PRECISION=fp16 converts the graph's floats to fp16 at load (onnxconverter-common), keeping FP32 at its
inputs and outputs, so clients do not change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import numpy as np

from ..model import Model, ModelLoadError, ModelMetadata
from ..protocol import TensorSpec
from .artifacts import artifact_file, require_framework
from .device import cuda_index, driver_gpu_count, on_device, pick_devices, refuse
from .options import RuntimeOptions
from .out_of_memory import batch_memory
from .replicas import one_per_device

EXPORT_HINT = "export it with torch.onnx.export(model, sample, \"model.onnx\", dynamic_axes={...: {0: \"batch\"}}) " \
              "or your framework's ONNX converter"
#: ONNX Runtime's type names → Open Inference Protocol datatypes.
ONNX_DATATYPES = {
    "tensor(bool)": "BOOL", "tensor(uint8)": "UINT8", "tensor(uint16)": "UINT16", "tensor(uint32)": "UINT32",
    "tensor(uint64)": "UINT64", "tensor(int8)": "INT8", "tensor(int16)": "INT16", "tensor(int32)": "INT32",
    "tensor(int64)": "INT64", "tensor(float16)": "FP16", "tensor(float)": "FP32", "tensor(double)": "FP64",
    "tensor(string)": "BYTES",
}


def load(path: Path, options: RuntimeOptions) -> Model:
    ort = require_framework("onnxruntime", "onnxruntime (onnxruntime-gpu for DEVICE=cuda)", "onnx")
    file = artifact_file(path, "onnx", ("model.onnx",), EXPORT_HINT)
    framework = f"onnxruntime {ort.__version__}"
    cuda_build = "CUDAExecutionProvider" in ort.get_available_providers()
    devices = pick_devices(options.device, framework, cuda_build, driver_gpu_count())
    if options.precision == "bf16":
        raise ModelLoadError("PRECISION=bf16 is for MODEL_FORMAT=pytorch; ONNX Runtime runs fp16 (PRECISION=fp16) "
                             "or the graph's own types (fp32)")
    graph = _graph_bytes(file, options.precision)
    return one_per_device([OnnxModel(_session(ort, graph, file, device, options, framework), device, file)
                           for device in devices])


def _graph_bytes(file: Path, precision: str) -> bytes:
    if precision != "fp16":
        return file.read_bytes()
    onnx = require_framework("onnx", "onnx", "onnx")
    float16 = require_framework("onnxconverter_common.float16", "onnxconverter-common", "onnx")
    return float16.convert_float_to_float16(onnx.load(str(file)), keep_io_types=True).SerializeToString()


def _providers(device: str, tensorrt: bool, precision: str) -> List[Any]:
    if device == "cpu":
        return ["CPUExecutionProvider"]
    options = {"device_id": cuda_index(device) or 0}
    providers: List[Any] = [("CUDAExecutionProvider", options), "CPUExecutionProvider"]
    if tensorrt:
        providers.insert(0, ("TensorrtExecutionProvider", {**options, "trt_fp16_enable": precision == "fp16"}))
    return providers


def _session(ort: Any, graph: bytes, file: Path, device: str, options: RuntimeOptions, framework: str) -> Any:
    try:
        session = ort.InferenceSession(graph, providers=_providers(device, options.tensorrt, options.precision))
    except Exception as error:  # ONNX Runtime raises its own exception types, by release
        reason = str(error).strip().splitlines()[0]
        raise ModelLoadError(f"{file} is not an ONNX graph {framework} can run for MODEL_FORMAT=onnx ({reason}); "
                             f"{EXPORT_HINT}") from None
    if device != "cpu" and "CUDAExecutionProvider" not in session.get_providers():
        raise refuse(device, framework, "its CUDA execution provider failed to load (see the log lines above: "
                     "often cuDNN or a driver older than the CUDA build)", "Install the CUDA libraries "
                     "onnxruntime-gpu was built for")
    return session


def _specs(arguments: Any) -> List[TensorSpec]:
    return [TensorSpec(argument.name, ONNX_DATATYPES.get(argument.type, argument.type),
                       [dim if isinstance(dim, int) and dim > 0 else -1 for dim in argument.shape])
            for argument in arguments]


class OnnxModel(Model):
    def __init__(self, session: Any, device: str, file: Path) -> None:
        self.session, self.device = session, device
        self.devices, self.may_run_on_loop = on_device(device)
        inputs, outputs = _specs(session.get_inputs()), _specs(session.get_outputs())
        unknown = [spec for spec in [*inputs, *outputs] if spec.datatype not in ONNX_DATATYPES.values()]
        if unknown:
            raise ModelLoadError(f"{file}: the tensor {unknown[0].name} is a {unknown[0].datatype}, which the Open "
                                 "Inference Protocol cannot carry (use plain tensors at the graph's edges)")
        self.output_names = [spec.name for spec in outputs]
        self._metadata = ModelMetadata(platform="onnxruntime_onnx", inputs=inputs, outputs=outputs)

    @classmethod
    def load(cls, path: Path) -> Model:
        return load(path, RuntimeOptions(model_format="onnx"))

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    def predict(self, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        with batch_memory(self.device):
            produced = self.session.run(self.output_names, inputs)
        return dict(zip(self.output_names, produced))
