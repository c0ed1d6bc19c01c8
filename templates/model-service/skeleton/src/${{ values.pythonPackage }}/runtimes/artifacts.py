"""Finding the framework's file in the artifact directory, and refusing pickles nobody vouched for.

Unpickling runs whatever code the file names (joblib, pickle, full-module torch.load): a tampered
artifact owns the pod. So a pickle-based file loads only when MODEL_SHA256 names its exact bytes, checked
before it is opened by the framework.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from types import ModuleType
from typing import Optional, Sequence

from ..model import ModelLoadError


def artifact_file(directory: Path, model_format: str, names: Sequence[str], export_hint: str) -> Path:
    """The first of `names` present in the directory, or an error naming what to put there and how."""
    for name in names:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    present = sorted(entry.name for entry in directory.iterdir())[:10] if directory.is_dir() else []
    raise ModelLoadError(f"{directory} holds no {' or '.join(names)}, which MODEL_FORMAT={model_format} loads "
                         f"(it holds: {', '.join(present) or 'nothing'}); {export_hint}")


def require_trusted(file: Path, expected_sha256: Optional[str], what: str) -> None:
    """Returns only if MODEL_SHA256 is set and equals the file's SHA-256; refuses with the fix otherwise."""
    digest = sha256_of(file)
    if expected_sha256 is None:
        raise ModelLoadError(f"{file} is {what}: loading it runs any code it holds, so it is refused unless "
                             f"you trust this exact file; set MODEL_SHA256={digest} (sha256sum {file.name}) "
                             "or export to a format that holds no code")
    if digest != expected_sha256:
        raise ModelLoadError(f"{file} has the SHA-256 {digest}, not MODEL_SHA256={expected_sha256}: the file is "
                             "not the one you trusted; refusing to unpickle it (set MODEL_SHA256 to the new "
                             "file's digest if you changed it on purpose)")


def sha256_of(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def require_framework(module: str, package: str, model_format: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelLoadError(f"MODEL_FORMAT={model_format} needs the Python package {package}, which is not "
                             f"installed: install requirements/{model_format}-cpu.txt (make install), or "
                             f"requirements/{model_format}-cuda.txt for a GPU image (make image DEVICE=cuda); a "
                             f"service made for another format gets them with idp upgrade --set "
                             f"modelFormat={model_format}") from None
