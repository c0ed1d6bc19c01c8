"""model-settings.json: what an artifact cannot say about itself, declared beside it and checked.

{
  "inputs":  [{"name": "pixels", "datatype": "FP32", "shape": [-1, 3, 224, 224]}],
  "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 1000]}]
}
A TorchScript archive keeps argument names but no shapes or datatypes; every format may rename outputs.
-1 marks a variable dimension; a first dimension of -1 everywhere lets the batcher stack requests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

from ..model import ModelLoadError
from ..protocol import DATATYPES, TensorSpec

FILE_NAME = "model-settings.json"
EXAMPLE = '{"inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 4]}]}'


def read_model_settings(directory: Path) -> Optional[dict]:
    """The parsed file, with "inputs"/"outputs" as TensorSpec lists (or None), or None without a file."""
    path = directory / FILE_NAME
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ModelLoadError(f"{path} is not valid JSON ({error}); e.g. {EXAMPLE}") from None
    if not isinstance(document, dict):
        raise ModelLoadError(f"{path} must be a JSON object; e.g. {EXAMPLE}")
    unknown = sorted(set(document) - {"inputs", "outputs"})
    if unknown:
        raise ModelLoadError(f"{path} has unknown fields {unknown}: only \"inputs\" and \"outputs\"; e.g. {EXAMPLE}")
    return {key: _tensors(path, key, document[key]) if key in document else None for key in ("inputs", "outputs")}


def _tensors(path: Path, key: str, value: Any) -> List[TensorSpec]:
    if not isinstance(value, list) or not value:
        raise ModelLoadError(f"{path}: \"{key}\" must be a non-empty array of tensors; e.g. {EXAMPLE}")
    specs = []
    for index, item in enumerate(value):
        where = f"{path}: {key}[{index}]"
        if not isinstance(item, dict) or set(item) != {"name", "datatype", "shape"}:
            raise ModelLoadError(f"{where} must be an object with name, datatype and shape; e.g. {EXAMPLE}")
        name, datatype, shape = item["name"], item["datatype"], item["shape"]
        if not isinstance(name, str) or not name:
            raise ModelLoadError(f"{where}.name must be a non-empty string (e.g. \"features\")")
        if datatype not in DATATYPES:
            raise ModelLoadError(f"{where}.datatype must be one of {', '.join(DATATYPES)}, got {datatype!r} "
                                 "(e.g. FP32)")
        if not isinstance(shape, list) or not all(isinstance(dim, int) and not isinstance(dim, bool) and dim >= -1
                                                  and dim != 0 for dim in shape):
            raise ModelLoadError(f"{where}.shape must be a list of positive sizes or -1 (variable), got {shape!r} "
                                 "(e.g. [-1, 4])")
        specs.append(TensorSpec(name, datatype, shape))
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise ModelLoadError(f"{path}: \"{key}\" names a tensor twice ({names})")
    return specs
