"""DEVICE (auto | cpu | cuda | cuda:N) resolved against what the framework can really use.

A pod given a GPU it cannot use fails start-up naming the cause (a CPU-only build, no driver, too few
GPUs): a silent CPU fallback would serve at a fraction of the speed while the GPU is paid for. `auto` is the
one setting that may choose the CPU. `cuda` means every visible GPU: one model instance on each.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import List, Optional, Tuple

from ..model import ModelLoadError


def cuda_index(device: str) -> Optional[int]:
    """N for cuda:N, None for cuda (every GPU)."""
    return int(device.split(":", 1)[1]) if ":" in device else None


def refuse(device: str, framework: str, cause: str, fix: str) -> ModelLoadError:
    return ModelLoadError(f"DEVICE={device}, but {framework} cannot use a GPU here: {cause}. {fix}, or set DEVICE=cpu "
                          "to serve on the CPU on purpose")


def pick_devices(device: str, framework: str, cuda_build: bool, gpu_count: int) -> List[str]:
    """The devices to put one model instance on each: ["cpu"], ["cuda:N"] or every "cuda:i".

    cuda_build: the framework was built with CUDA; gpu_count: GPUs it can use now (0 without a driver)."""
    if device == "cpu" or (device == "auto" and (not cuda_build or gpu_count == 0)):
        return ["cpu"]
    if not cuda_build:
        raise refuse(device, framework, "the installed package is a CPU-only build",
                     "Build the image for the GPU (make image DEVICE=cuda installs the CUDA wheels)")
    if gpu_count == 0:
        raise refuse(device, framework, "no GPU is visible to the process (no NVIDIA driver in the pod, or no "
                     "nvidia.com/gpu resource)", "Check the pod's GPU limit and that `nvidia-smi` works in it")
    index = cuda_index(device)
    if index is None:
        return [f"cuda:{number}" for number in range(gpu_count)]
    if index >= gpu_count:
        raise refuse(device, framework, f"only {gpu_count} GPU(s) are visible (cuda:0 to cuda:{gpu_count - 1})",
                     f"Use DEVICE=cuda:{gpu_count - 1} or DEVICE=cuda")
    return [device]


def torch_devices(torch: ModuleType, device: str) -> List[str]:
    cuda_build = torch.version.cuda is not None
    count = torch.cuda.device_count() if cuda_build and torch.cuda.is_available() else 0
    return pick_devices(device, f"torch {torch.__version__}", cuda_build, count)


def driver_gpu_count() -> int:
    """GPUs the NVIDIA driver exposes to this container (/dev/nvidia0, /dev/nvidia1, …)."""
    return sum(1 for entry in Path("/dev").glob("nvidia[0-9]*") if entry.name[len("nvidia"):].isdigit())


def cpu_only(device: str, framework: str) -> List[str]:
    if device in ("cpu", "auto"):
        return ["cpu"]
    raise refuse(device, framework, "it runs on the CPU only", "Serve a GPU model with MODEL_FORMAT=pytorch, "
                 "onnx or xgboost")


def on_device(device: str) -> Tuple[List[str], bool]:
    """A runtime instance's Model.devices (its GPU, whose memory /metrics exports) and Model.may_run_on_loop
    (on the CPU only: a GPU call waits for the device, which the event loop must never do)."""
    return ([], True) if device == "cpu" else ([device], False)
