"""PyTorch models: TorchScript archives (torch.jit.save) as model.pt; and, only with MODEL_SHA256, a full
module pickled by torch.save, or a model.pt2 (a torch.export program or an AOTInductor package, where the
installed torch loads them: pytorch_programs.py).

A TorchScript archive keeps forward()'s argument names (the input names) but no shapes or datatypes:
those come from model-settings.json (else FP32 with open dimensions). With the inputs known, a dry run
gives the outputs' shapes and datatypes. DEVICE=cuda puts one instance on every visible GPU;
PRECISION=fp16/bf16 casts the weights and the floating-point inputs, and answers in FP32.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

from ..model import Model, ModelLoadError, ModelMetadata
from ..protocol import DATATYPES, TensorSpec
from .artifacts import artifact_file, require_framework, require_trusted
from .device import torch_devices
from .model_settings import read_model_settings
from .options import RuntimeOptions
from .out_of_memory import batch_memory
from .pytorch_programs import is_aoti_package, load_aoti, load_exported, require_loader
from .replicas import one_per_device
from .tensors import batch_specs

log = logging.getLogger(__name__)

EXPORT_HINT = "export it with torch.jit.save(torch.jit.script(model), \"model.pt\") (or torch.jit.trace)"
#: What each kind of artifact is called in the metadata's platform.
PLATFORMS = {"torchscript": "pytorch_torchscript", "pickle": "pytorch", "exported": "pytorch_exported_program",
             "aoti": "pytorch_aotinductor"}


def load(path: Path, options: RuntimeOptions) -> Model:
    torch = require_framework("torch", "torch", "pytorch")
    devices = torch_devices(torch, options.device)
    if options.precision == "fp16" and devices == ["cpu"]:
        raise ModelLoadError("PRECISION=fp16 needs a GPU (DEVICE=cuda): CPUs run fp16 slowly or not at all; use "
                             "PRECISION=bf16 or fp32 on the CPU")
    file = artifact_file(path, "pytorch", ("model.pt", "model.pt2"), EXPORT_HINT)
    settings = read_model_settings(path) or {}
    if file.suffix == ".pt2":
        require_loader(torch, file)
        require_trusted(file, options.sha256, "a torch.export program or AOTInductor package (its constants are "
                        "unpickled; an AOTInductor package is a compiled library)")
    return one_per_device([TorchModel(torch, *_module(torch, file, device, options), device, options.precision,
                                      settings, file) for device in devices])


def _module(torch: Any, file: Path, device: str, options: RuntimeOptions) -> Tuple[Any, str]:
    """The loaded model and its kind (a key of PLATFORMS)."""
    if file.suffix == ".pt2":
        if is_aoti_package(file):
            if options.precision != "fp32":
                raise ModelLoadError(f"{file} is an AOTInductor package, compiled in its own precision: "
                                     f"PRECISION={options.precision} cannot change it (compile it in "
                                     f"{options.precision}, or unset PRECISION)")
            return load_aoti(torch, file, device), "aoti"
        return load_exported(torch, file, device), "exported"
    try:
        return torch.jit.load(str(file), map_location=device), "torchscript"
    except RuntimeError as error:
        reason = str(error).strip().splitlines()[0]
    if not _saved_by_torch(file):  # neither a zip archive nor a legacy pickle: damaged, or another file
        raise ModelLoadError(f"{file} is not a TorchScript archive MODEL_FORMAT=pytorch can load ({reason}), nor a "
                             f"torch.save file: it is damaged or something else; {EXPORT_HINT}")
    log.info("%s is not a TorchScript archive (%s): trying it as a torch.save pickle", file, reason)
    require_trusted(file, options.sha256, "not a TorchScript archive but a torch.save pickle")
    try:
        module = torch.load(str(file), map_location=device, weights_only=False)
    except Exception as error:  # unpickling a damaged or foreign file raises anything
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelLoadError(f"{file} is neither a TorchScript archive nor a torch.save module MODEL_FORMAT=pytorch "
                             f"can load ({type(error).__name__}: {reason}); {EXPORT_HINT}") from None
    if not isinstance(module, torch.nn.Module):
        raise ModelLoadError(f"{file} holds a {type(module).__name__}, not a module (a state_dict needs the code "
                             f"of its model); {EXPORT_HINT}")
    return module.eval(), "pickle"


def _saved_by_torch(file: Path) -> bool:
    """torch.save writes a zip archive (torch >= 1.6) or, before that, a pickle (protocol 2+ starts with 0x80)."""
    with file.open("rb") as stream:
        head = stream.read(4)
    return head == b"PK\x03\x04" or head[:1] == b"\x80"


def argument_names(module: Any) -> List[str]:
    """forward()'s parameters, as TorchScript records them (or Python, for an eager or exported module); none
    for an AOTInductor package, whose inputs model-settings.json declares."""
    forward = getattr(module, "forward", None)
    schema = getattr(forward, "schema", None)
    if schema is not None:
        return [argument.name for argument in schema.arguments[1:]]
    if forward is None:
        return []
    return [name for name, parameter in inspect.signature(forward).parameters.items()
            if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)]


class TorchModel(Model):
    def __init__(self, torch: Any, module: Any, kind: str, device: str, precision: str, settings: dict,
                 file: Path) -> None:
        self.torch, self.device = torch, device
        self.dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision)
        self.module = module.eval() if kind == "torchscript" else module  # the others are loaded as they serve
        if self.dtype is not None:
            self.module = self.module.to(self.dtype)
        names = argument_names(module)
        inputs = settings.get("inputs") or [TensorSpec(name, "FP32", [-1, -1]) for name in names]
        if not inputs:
            raise ModelLoadError(f"{file} does not say what its inputs are called: declare them in "
                                 "model-settings.json, e.g. {\"inputs\": [{\"name\": \"features\", \"datatype\": "
                                 "\"FP32\", \"shape\": [-1, 4]}]}")
        if names and [spec.name for spec in inputs] != names:
            raise ModelLoadError(f"{file}: model-settings.json declares the inputs {[spec.name for spec in inputs]}, "
                                 f"but forward() takes {names}: list them in forward()'s order")
        self.input_names = [spec.name for spec in inputs]
        #: Shapes known beyond the batch dimension: warm-up and the outputs' dry run can make samples.
        self.shapes_known = all(dim > 0 for spec in inputs for dim in spec.shape[1:])
        self.may_run_on_loop = device == "cpu" and self.shapes_known  # timed after warm-up (model_loading.py)
        outputs = settings.get("outputs")
        if outputs is None:
            outputs = [TensorSpec("output", "FP32", [-1, -1])]
            if self.shapes_known:
                produced = self._run({spec.name: np.zeros([1, *spec.shape[1:]], DATATYPES[spec.datatype].dtype)
                                      for spec in inputs})
                outputs = batch_specs(["output"] if len(produced) == 1
                                      else [f"output_{index}" for index in range(len(produced))], produced)
        self.output_names = [spec.name for spec in outputs]
        self._metadata = ModelMetadata(platform=PLATFORMS[kind], inputs=inputs, outputs=outputs)

    @classmethod
    def load(cls, path: Path) -> Model:
        return load(path, RuntimeOptions(model_format="pytorch"))

    @property
    def metadata(self) -> ModelMetadata:
        return self._metadata

    def _tensor(self, array: np.ndarray) -> Any:
        if not array.flags.writeable:  # a view of the request body: torch wants memory it may write
            array = array.copy()
        tensor = self.torch.from_numpy(array).to(self.device, non_blocking=True)
        return tensor.to(self.dtype) if self.dtype is not None and tensor.is_floating_point() else tensor

    def _run(self, inputs: Dict[str, np.ndarray]) -> List[np.ndarray]:
        release = self.torch.cuda.empty_cache if self.device != "cpu" else None
        with batch_memory(self.device, release), self.torch.inference_mode():
            result = self.module(*[self._tensor(inputs[name]) for name in self.input_names])
            tensors = list(result.values()) if isinstance(result, dict) else \
                list(result) if isinstance(result, (tuple, list)) else [result]
            return [(tensor.float() if self.dtype is not None and tensor.is_floating_point() else tensor)
                    .cpu().numpy() for tensor in tensors]

    def predict(self, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        produced = self._run(inputs)
        if len(produced) != len(self.output_names):
            raise ValueError(f"the model returned {len(produced)} tensors, its metadata names "
                             f"{len(self.output_names)} outputs: declare them in model-settings.json")
        return dict(zip(self.output_names, produced))

    def warm_up(self, batch_sizes: Sequence[int] = (1,)) -> None:
        if not self.shapes_known:
            log.warning("warm-up skipped: the input shapes are unknown; declare them in model-settings.json so the "
                        "first requests do not pay for CUDA's kernel selection")
            return
        super().warm_up(batch_sizes)

    def memory_by_device(self) -> Dict[str, Tuple[int, int]]:
        if self.device == "cpu":
            return {}
        cuda = self.torch.cuda
        return {self.device: (cuda.memory_allocated(self.device), cuda.memory_reserved(self.device))}
