"""model.pt2: a torch.export program (torch.export.save) or an AOTInductor package
(torch._inductor.aoti_compile_and_package), loaded where the installed torch has the loader (feature
detection, never a version table).

Both are zip archives; an AOTInductor package holds compiled code under .../aotinductor/. Neither is inert:
torch.export.load unpickles the program's constants (current releases fall back to weights_only=False), and
an AOTInductor package is a shared library the process loads and runs. So a .pt2 loads only with
MODEL_SHA256, like a pickle.

Only documented entry points are used: torch.export.load (torch >= 2.1), torch.export.passes'
move_to_device_pass where it exists (else the module's .to()), and aoti_load_package (torch >= 2.6), which
torch's AOTInductor guide documents under torch._inductor; its device_index (a GPU other than cuda:0) is
used where the installed release takes it.
"""

from __future__ import annotations

import importlib
import inspect
import zipfile
from pathlib import Path
from typing import Any, Optional

from ..model import ModelLoadError
from .device import cuda_index

EXPORT_TORCH = "2.1"
AOTI_TORCH = "2.6"
EXPORT_HINT = ("export it with torch.export.save(torch.export.export(model.eval(), sample, dynamic_shapes=...), "
               "\"model.pt2\"), or compile it with torch._inductor.aoti_compile_and_package(program, "
               "package_path=\"model.pt2\") on the device it will serve from")


def is_aoti_package(file: Path) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return any("aotinductor/" in name for name in archive.namelist())
    except zipfile.BadZipFile:
        raise ModelLoadError(f"{file} is not a .pt2 archive (not a zip file), which MODEL_FORMAT=pytorch loads as "
                             f"a torch.export program or an AOTInductor package; {EXPORT_HINT}") from None


def needs_torch(torch: Any, file: Path, what: str, version: str) -> ModelLoadError:
    return ModelLoadError(f"{file} is {what}, which needs torch >= {version} to load (installed: torch "
                          f"{torch.__version__}): install a newer torch (requirements/pytorch-*.txt pins one), or "
                          "save the model as TorchScript: torch.jit.save(torch.jit.script(model), \"model.pt\")")


def _optional(module: str) -> Optional[Any]:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _failed(file: Path, what: str, error: Exception) -> ModelLoadError:
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return ModelLoadError(f"{file} could not be loaded as {what} (MODEL_FORMAT=pytorch): {reason}; {EXPORT_HINT}")


def require_loader(torch: Any, file: Path) -> None:
    """Refuses, before any byte is trusted, a .pt2 the installed torch has no loader for."""
    if is_aoti_package(file):
        inductor = _optional("torch._inductor")
        if getattr(inductor, "aoti_load_package", None) is None:
            raise needs_torch(torch, file, "an AOTInductor package", AOTI_TORCH)
    elif getattr(_optional("torch.export"), "load", None) is None:
        raise needs_torch(torch, file, "a torch.export program", EXPORT_TORCH)


def load_exported(torch: Any, file: Path, device: str) -> Any:
    """The program's module on the device; called like the model's forward()."""
    export = importlib.import_module("torch.export")
    try:
        program = export.load(str(file))
        move = getattr(_optional("torch.export.passes"), "move_to_device_pass", None)
        if device != "cpu" and move is not None:
            return move(program, device).module()
        # No .eval() on it: an exported module refuses train()/eval(); it was captured as exported.
        return program.module().to(device)
    except Exception as error:  # the loaders raise their own types, by release
        raise _failed(file, "a torch.export program", error) from None


def load_aoti(torch: Any, file: Path, device: str) -> Any:
    """The compiled model, on the device it was compiled for (cuda:N where the loader takes device_index)."""
    load = importlib.import_module("torch._inductor").aoti_load_package
    index = cuda_index(device) or 0 if device != "cpu" else None
    try:
        if index is not None and "device_index" in inspect.signature(load).parameters:
            return load(str(file), device_index=index)
        if index:
            raise ModelLoadError(f"{file}: torch {torch.__version__} loads an AOTInductor package on cuda:0 only; "
                                 "use DEVICE=cuda:0 or a torch whose aoti_load_package takes device_index")
        return load(str(file))
    except ModelLoadError:
        raise
    except Exception as error:
        raise _failed(file, "an AOTInductor package", error) from None
