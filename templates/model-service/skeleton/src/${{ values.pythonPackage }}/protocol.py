"""Open Inference Protocol (V2) REST payloads: parsing and checking requests, encoding responses.

Spec: https://github.com/kserve/open-inference-protocol (specification/protocol/inference_rest.md).
Plain dicts and numpy, no pydantic: this is the hot path, and it must run on pydantic 1 and 2 alike.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np


@dataclass(frozen=True)
class Datatype:
    name: str
    kind: str  # bool | int | float | bytes
    dtype: Any
    low: Optional[float] = None  # the datatype's range: ints exactly, floats up to the largest finite
    high: Optional[float] = None


def _int(name: str, dtype: Any) -> Datatype:
    info = np.iinfo(dtype)
    return Datatype(name, "int", dtype, int(info.min), int(info.max))


def _float(name: str, dtype: Any) -> Datatype:
    largest = float(np.finfo(dtype).max)
    return Datatype(name, "float", dtype, -largest, largest)


DATATYPES: Dict[str, Datatype] = {
    "BOOL": Datatype("BOOL", "bool", np.bool_),
    "UINT8": _int("UINT8", np.uint8),
    "UINT16": _int("UINT16", np.uint16),
    "UINT32": _int("UINT32", np.uint32),
    "UINT64": _int("UINT64", np.uint64),
    "INT8": _int("INT8", np.int8),
    "INT16": _int("INT16", np.int16),
    "INT32": _int("INT32", np.int32),
    "INT64": _int("INT64", np.int64),
    "FP16": _float("FP16", np.float16),
    "FP32": _float("FP32", np.float32),
    "FP64": _float("FP64", np.float64),
    "BYTES": Datatype("BYTES", "bytes", object),
}
DATATYPE_NAMES = ", ".join(DATATYPES)


class ProtocolError(Exception):
    """A request the service refuses; becomes {"error": message} with this status."""

    #: Seconds after which a retry may succeed (503s: a full queue, a batch out of GPU memory): sent as
    #: Retry-After (REST) or retry-after trailing metadata (gRPC).
    retry_after: Optional[int] = None

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message


def bad_request(message: str) -> ProtocolError:
    return ProtocolError(400, "bad_request", message)


@dataclass(frozen=True)
class TensorSpec:
    """A model input or output as metadata describes it; -1 marks a variable dimension."""

    name: str
    datatype: str
    shape: Sequence[int]

    def to_json(self) -> Dict[str, Any]:
        return {"name": self.name, "datatype": self.datatype, "shape": list(self.shape)}


@dataclass
class InferenceRequest:
    id: Optional[str]
    inputs: Dict[str, np.ndarray]
    outputs: Optional[List[str]]
    parameters: Dict[str, Any] = field(default_factory=dict)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# One decoder for every request (json.loads with options builds a new one per call); it refuses the
# NaN/Infinity literals Python's json would otherwise accept.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json(body: bytes) -> Any:
    try:
        return _DECODER.decode(body.decode("utf-8"))
    except RecursionError:
        raise bad_request("the request body nests too deeply") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(f"the request body is not valid JSON: {error}") from None


def parse_inference_request(payload: Any, inputs: Sequence[TensorSpec],
                            outputs: Sequence[TensorSpec]) -> InferenceRequest:
    """Checks an $inference_request against the model's metadata and decodes its tensors."""
    if not isinstance(payload, dict):
        raise bad_request('the request body must be a JSON object with an "inputs" array')
    request_id = payload.get("id")
    if request_id is not None and not isinstance(request_id, str):
        raise bad_request('"id" must be a string')
    parameters = payload.get("parameters", {})
    if not isinstance(parameters, dict):
        raise bad_request('"parameters" must be an object')
    raw_inputs = payload.get("inputs")
    if not isinstance(raw_inputs, list) or not raw_inputs:
        raise bad_request('"inputs" must be a non-empty array of tensors ({"name", "shape", "datatype", "data"})')

    expected = {spec.name: spec for spec in inputs}
    decoded: Dict[str, np.ndarray] = {}
    for index, raw in enumerate(raw_inputs):
        where = f"inputs[{index}]"
        name, array = decode_tensor(raw, where)
        spec = expected.get(name)
        if spec is None:
            raise bad_request(f"{where} is named {name!r}, which the model does not take: "
                              f"its inputs are {', '.join(expected)}")
        if name in decoded:
            raise bad_request(f"{where} repeats the input {name!r}")
        check_against(spec, raw["datatype"], array.shape, where)
        decoded[name] = array
    missing = [name for name in expected if name not in decoded]
    if missing:
        raise bad_request(f"the request lacks the model input(s) {', '.join(missing)}")

    raw_outputs = payload.get("outputs")
    requested = None if raw_outputs is None else parse_requested_outputs(raw_outputs, [spec.name for spec in outputs])
    return InferenceRequest(request_id, decoded, requested, parameters)


def decode_tensor(raw: Any, where: str) -> "tuple[str, np.ndarray]":
    """A $request_input as a numpy array: datatype known, values of that type, shape × data agreeing."""
    if not isinstance(raw, dict):
        raise bad_request(f"{where} must be an object with name, shape, datatype and data")
    name, shape, datatype_name, data = raw.get("name"), raw.get("shape"), raw.get("datatype"), raw.get("data")
    if not isinstance(name, str) or not name:
        raise bad_request(f'{where}.name must be a non-empty string')
    if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
        raise bad_request(f"{where}.shape must be an array of whole numbers ≥ 0, e.g. [1, 4]")
    datatype = DATATYPES.get(datatype_name) if isinstance(datatype_name, str) else None
    if datatype is None:
        raise bad_request(f"{where}.datatype {datatype_name!r} is not an Open Inference Protocol datatype: "
                          f"use one of {DATATYPE_NAMES}")
    if not isinstance(data, list):
        raise bad_request(f"{where}.data must be an array, flat or nested, in row-major order")

    flat = _flatten(data, shape, where)
    count = math.prod(shape)
    if len(flat) != count:
        raise bad_request(f"{where} has shape {shape} ({count} elements) but its data has {len(flat)}; "
                          "send the elements in row-major order, flat or nested to match the shape")
    _check_values(flat, datatype, where)
    if datatype.kind == "bytes":
        array = np.empty(len(flat), dtype=object)
        array[:] = flat
    else:
        array = np.asarray(flat, dtype=datatype.dtype)
    return name, array.reshape(shape)


def _flatten(data: list, shape: Sequence[int], where: str) -> list:
    # set(map(...)) and chain run in C: this is per request, per element.
    if not data or type(data[0]) is not list:
        if list in set(map(type, data)):
            index = next(i for i, value in enumerate(data) if type(value) is list)
            raise bad_request(f"{where}.data[{index}] is an array in flat data: nest every level or none")
        return data
    # Nested: flatten one level at a time, each level's arrays as long as that dimension.
    nodes: list = [data]
    for dim in shape:
        if set(map(type, nodes)) != {list} or set(map(len, nodes)) != {dim}:
            path, depth = _first_mismatch(data, shape)
            raise bad_request(f"{where}.data{path} must be an array of {shape[depth]} to match the shape {list(shape)}")
        nodes = list(chain.from_iterable(nodes))
    if list in set(map(type, nodes)):
        raise bad_request(f"{where}.data nests deeper than the shape {list(shape)}")
    return nodes


def _first_mismatch(node: Any, shape: Sequence[int], path: str = "", depth: int = 0) -> Optional[Tuple[str, int]]:
    """Where the first array whose length disagrees with the shape is (for the error message)."""
    if type(node) is not list or len(node) != shape[depth]:
        return path, depth
    if depth + 1 < len(shape):
        for index, child in enumerate(node):
            found = _first_mismatch(child, shape, f"{path}[{index}]", depth + 1)
            if found is not None:
                return found
    return None


_VALUE_RULES = {
    "bool": (frozenset([bool]), "true or false"),
    "int": (frozenset([int]), "whole numbers"),
    "float": (frozenset([int, float]), "numbers"),
    "bytes": (frozenset([str]), "strings"),
}


def _check_values(flat: list, datatype: Datatype, where: str) -> None:
    allowed, description = _VALUE_RULES[datatype.kind]
    # Exact types rather than isinstance(): a JSON true must not pass as the number 1.
    if not set(map(type, flat)) <= allowed:
        index = next(i for i, value in enumerate(flat) if type(value) not in allowed)
        raise bad_request(f"{where}.data element {index} is {json.dumps(flat[index])}, but {datatype.name} "
                          f"takes {description}")
    # Range checks in Python, before numpy would wrap an integer or turn a float into inf.
    if flat and datatype.low is not None and (min(flat) < datatype.low or max(flat) > datatype.high):
        bounds = f"{datatype.low}..{datatype.high}" if datatype.kind == "int" else f"±{datatype.high:g}"
        raise bad_request(f"{where}.data holds a value outside {datatype.name}'s range {bounds}")


def check_against(spec: TensorSpec, datatype: str, shape: Sequence[int], where: str) -> None:
    if datatype != spec.datatype:
        raise bad_request(f"{where} ({spec.name}) has datatype {datatype}, but the model takes {spec.datatype}")
    if len(shape) != len(spec.shape) or any(want not in (-1, got) for want, got in zip(spec.shape, shape, strict=True)):
        raise bad_request(f"{where} ({spec.name}) has shape {list(shape)}, but the model takes "
                          f"{list(spec.shape)} (-1: any size)")


def parse_requested_outputs(raw: Any, names: List[str]) -> Optional[List[str]]:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise bad_request('"outputs" must be an array of {"name": ...} objects')
    requested = []
    for index, item in enumerate(raw):
        name = item.get("name") if isinstance(item, dict) else None
        if name not in names:
            raise bad_request(f"outputs[{index}] asks for {name!r}, which the model does not produce: "
                              f"its outputs are {', '.join(names)}")
        requested.append(name)
    return requested


def encode_output(spec: TensorSpec, array: np.ndarray) -> Dict[str, Any]:
    """A $response_output: flat row-major data, shape and datatype."""
    data = array.reshape(-1).tolist()
    if spec.datatype == "BYTES":
        data = [value.decode("utf-8") if isinstance(value, bytes) else str(value) for value in data]
    return {"name": spec.name, "datatype": spec.datatype, "shape": list(array.shape), "data": data}
