"""What a runtime is told at start-up: the format, the device, the precision and the trusted digest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class RuntimeOptions:
    model_format: str = "custom"
    #: auto | cpu | cuda | cuda:N (DEVICE)
    device: str = "cpu"
    #: fp32 | fp16 | bf16 (PRECISION): pytorch and onnx only
    precision: str = "fp32"
    #: The SHA-256 of the one pickle-based artifact its owner trusts (MODEL_SHA256), lower-case hex.
    sha256: Optional[str] = None
    #: ONNX Runtime: put the TensorRT execution provider before CUDA's (ONNX_TENSORRT=1).
    tensorrt: bool = False
