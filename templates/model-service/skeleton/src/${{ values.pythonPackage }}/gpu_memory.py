"""GPU memory per device from NVIDIA's management library (NVML, the `pynvml` module of nvidia-ml-py, which
the GPU image pins), for every model whose framework keeps no count we can read: ONNX Runtime, XGBoost, a
custom model. (PyTorch's allocator counts its own tensors: pytorch_runtime reads it instead.)

What a device reports is what this process holds there (NVML's per-process count, which includes the CUDA
context and the framework's memory pool). In a container NVML may list host PIDs the process cannot match;
the device's used memory then stands for it: a pod's GPU is its own unless GPUs are shared. The frameworks
do not say how much of their pool holds live tensors, so "in use" and "reserved" are that same number.

Read at each /metrics scrape, never polled. No GPU device, no series: absent, never a zero. NVML numbers GPUs
as the driver does, CUDA as CUDA_VISIBLE_DEVICES lists them: cuda:N is that list's N-th entry (an index or a
GPU-/MIG- UUID) when it is set.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

log = logging.getLogger(__name__)

#: The pynvml module once nvmlInit() succeeded; False once it failed (logged once, then no series).
_session: Any = None


def nvml_session() -> Optional[Any]:
    global _session
    if _session is None:
        try:
            nvml = importlib.import_module("pynvml")
            nvml.nvmlInit()
            _session = nvml
        except Exception as error:  # ImportError, or pynvml's NVMLError (no driver): the same outcome
            log.warning("GPU memory is not exported on /metrics: NVML is unavailable (%s); the GPU image installs "
                        "nvidia-ml-py (requirements/*-cuda.txt)", error)
            _session = False
    return _session or None


def nvml_index(device: str, environ: Mapping[str, str]) -> str:
    """The driver's name for cuda:N: an index ("3") or a UUID, through CUDA_VISIBLE_DEVICES when it is set."""
    number = int(device.split(":", 1)[1]) if ":" in device else 0
    visible = [entry.strip() for entry in environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if entry.strip()]
    return visible[number] if number < len(visible) else str(number)


def memory_by_device(devices: Sequence[str], nvml: Optional[Any] = None, environ: Optional[Mapping[str, str]] = None,
                     pid: Optional[int] = None) -> Dict[str, Tuple[int, int]]:
    """Device name → (bytes in use, bytes reserved) for the GPU devices among `devices`; {} on the CPU."""
    gpus = [device for device in devices if device.startswith("cuda")]
    if not gpus:
        return {}
    nvml = nvml or nvml_session()
    if nvml is None:
        return {}
    environ, pid = os.environ if environ is None else environ, os.getpid() if pid is None else pid
    usage = {}
    try:
        for device in gpus:
            name = nvml_index(device, environ)
            handle = nvml.nvmlDeviceGetHandleByIndex(int(name)) if name.isdigit() \
                else nvml.nvmlDeviceGetHandleByUUID(name)
            held = next((process.usedGpuMemory for process in nvml.nvmlDeviceGetComputeRunningProcesses(handle)
                         if process.pid == pid and process.usedGpuMemory is not None), None)
            if held is None:
                held = nvml.nvmlDeviceGetMemoryInfo(handle).used
            usage[device] = (int(held), int(held))
    except nvml.NVMLError as error:  # a GPU gone bad: the scrape goes on without these series
        log.warning("GPU memory could not be read from NVML: %s", error)
        return {}
    return usage
