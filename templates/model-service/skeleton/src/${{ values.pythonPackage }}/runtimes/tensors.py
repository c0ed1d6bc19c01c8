"""numpy arrays as Open Inference Protocol tensors: the datatype of an array, outputs in servable form."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..model import ModelLoadError
from ..protocol import DATATYPES, TensorSpec

_BY_DTYPE = {np.dtype(datatype.dtype): name for name, datatype in DATATYPES.items() if datatype.kind != "bytes"}


def datatype_of(array: np.ndarray) -> str:
    if array.dtype.kind in "USO":
        return "BYTES"
    try:
        return _BY_DTYPE[array.dtype]
    except KeyError:
        raise ModelLoadError(f"the model produces {array.dtype} arrays, which the Open Inference Protocol has no "
                             "datatype for") from None


def servable(array: np.ndarray) -> np.ndarray:
    """Strings as objects (BYTES); everything else unchanged."""
    return array.astype(object) if array.dtype.kind in "US" else array


def batch_specs(names: Sequence[str], arrays: Sequence[np.ndarray]) -> list:
    """Output specs from a dry run's arrays: a variable first (batch) dimension, the rest as produced."""
    return [TensorSpec(name, datatype_of(array), [-1, *array.shape[1:]]) for name, array in zip(names, arrays)]
