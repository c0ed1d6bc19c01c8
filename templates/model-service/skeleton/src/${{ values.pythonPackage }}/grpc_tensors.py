"""Open Inference Protocol gRPC tensors: ModelInferRequest inputs to numpy arrays, and outputs back.

Inputs come either as typed `contents` or, for every input at once, as `raw_input_contents` (little-endian
row-major bytes; BYTES elements each prefixed by their 4-byte little-endian length). The answer uses the
request's form: raw outputs for raw inputs, typed contents otherwise (raw for FP16, which has no typed field).
The checks and messages are the REST ones (protocol.py), so both protocols refuse the same requests alike.
"""

from __future__ import annotations

import math
import struct
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .protocol import DATATYPE_NAMES, DATATYPES, Datatype, TensorSpec, bad_request, check_against

#: The typed field of InferTensorContents that holds each datatype; FP16 travels only as raw bytes.
CONTENTS_FIELD = {
    "BOOL": "bool_contents", "UINT8": "uint_contents", "UINT16": "uint_contents", "UINT32": "uint_contents",
    "UINT64": "uint64_contents", "INT8": "int_contents", "INT16": "int_contents", "INT32": "int_contents",
    "INT64": "int64_contents", "FP16": None, "FP32": "fp32_contents", "FP64": "fp64_contents",
    "BYTES": "bytes_contents",
}


def decode_inputs(request: Any, specs: Sequence[TensorSpec]) -> Dict[str, np.ndarray]:
    """The request's inputs as arrays, checked against the model's input specs (400 on any mismatch)."""
    raw = request.raw_input_contents
    if raw and len(raw) != len(request.inputs):
        raise bad_request(f"raw_input_contents has {len(raw)} entries for {len(request.inputs)} inputs: "
                          "send one per input, in the order of inputs, or none")
    if raw:
        typed = [index for index, tensor in enumerate(request.inputs) if tensor.HasField("contents")]
        if typed:
            raise bad_request(f"inputs[{typed[0]}] has contents while the request has raw_input_contents: the Open "
                              "Inference Protocol allows one or the other, not both (raw_input_contents means no "
                              "input has contents): send every input in raw_input_contents, or every one in contents")
    expected = {spec.name: spec for spec in specs}
    decoded: Dict[str, np.ndarray] = {}
    if not request.inputs:
        raise bad_request("inputs must hold at least one tensor (name, datatype, shape, contents)")
    for index, tensor in enumerate(request.inputs):
        where = f"inputs[{index}]"
        spec = expected.get(tensor.name)
        if spec is None:
            raise bad_request(f"{where} is named {tensor.name!r}, which the model does not take: "
                              f"its inputs are {', '.join(expected)}")
        if tensor.name in decoded:
            raise bad_request(f"{where} repeats the input {tensor.name!r}")
        datatype = DATATYPES.get(tensor.datatype)
        if datatype is None:
            raise bad_request(f"{where}.datatype {tensor.datatype!r} is not an Open Inference Protocol datatype: "
                              f"use one of {DATATYPE_NAMES}")
        shape = list(tensor.shape)
        if any(dim < 0 for dim in shape):
            raise bad_request(f"{where}.shape must be whole numbers ≥ 0, e.g. [1, 4]")
        check_against(spec, tensor.datatype, shape, where)
        array = _from_raw(raw[index], datatype, shape, where) if raw else _from_contents(tensor, datatype, shape, where)
        decoded[tensor.name] = array
    missing = [name for name in expected if name not in decoded]
    if missing:
        raise bad_request(f"the request lacks the model input(s) {', '.join(missing)}")
    return decoded


def _from_contents(tensor: Any, datatype: Datatype, shape: List[int], where: str) -> np.ndarray:
    field = CONTENTS_FIELD[datatype.name]
    if field is None:
        raise bad_request(f"{where} is FP16, which has no typed contents field: send it in raw_input_contents")
    values = list(getattr(tensor.contents, field))
    count = math.prod(shape)
    if len(values) != count:
        raise bad_request(f"{where} has shape {shape} ({count} elements) but its contents.{field} has {len(values)}")
    if datatype.kind == "bytes":
        array = np.empty(count, dtype=object)
        array[:] = [_text(value) for value in values]
        return array.reshape(shape)
    if values and datatype.kind == "int" and (min(values) < datatype.low or max(values) > datatype.high):
        raise bad_request(f"{where}.contents holds a value outside {datatype.name}'s range "
                          f"{datatype.low}..{datatype.high}")
    array = np.asarray(values, dtype=datatype.dtype).reshape(shape)
    _check_finite(array, datatype, where)
    return array


def _from_raw(raw: bytes, datatype: Datatype, shape: List[int], where: str) -> np.ndarray:
    count = math.prod(shape)
    if datatype.kind == "bytes":
        elements, offset = [], 0
        while offset < len(raw):
            if offset + 4 > len(raw):
                raise bad_request(f"{where}: raw BYTES contents end inside a 4-byte length prefix")
            (length,) = struct.unpack_from("<I", raw, offset)
            offset += 4
            if offset + length > len(raw):
                raise bad_request(f"{where}: raw BYTES element {len(elements)} is longer than the bytes sent")
            elements.append(_text(raw[offset:offset + length]))
            offset += length
        if len(elements) != count:
            raise bad_request(f"{where} has shape {shape} ({count} elements) but its raw contents hold {len(elements)}")
        array = np.empty(count, dtype=object)
        array[:] = elements
        return array.reshape(shape)
    dtype = np.dtype(datatype.dtype).newbyteorder("<")
    if len(raw) != count * dtype.itemsize:
        raise bad_request(f"{where} has shape {shape} ({count} {datatype.name} elements, {count * dtype.itemsize} "
                          f"bytes) but its raw contents are {len(raw)} bytes")
    array = np.frombuffer(raw, dtype=dtype).astype(datatype.dtype).reshape(shape)
    _check_finite(array, datatype, where)
    return array


def _check_finite(array: np.ndarray, datatype: Datatype, where: str) -> None:
    # JSON cannot carry NaN or infinities, so REST never sees them; refuse them here too.
    if datatype.kind == "float" and array.size and not np.isfinite(array).all():
        raise bad_request(f"{where} holds NaN or an infinity, which {datatype.name} inputs may not")


def _text(value: bytes) -> Any:
    # REST delivers BYTES as JSON strings: give the model str too whenever the bytes are UTF-8.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value


def encode_outputs(response: Any, specs: Sequence[TensorSpec], outputs: Dict[str, np.ndarray],
                   wanted: Optional[List[str]], raw: bool) -> None:
    """Fills response.outputs (and raw_output_contents) with the model's outputs, in the metadata's order."""
    chosen = [spec for spec in specs if wanted is None or spec.name in wanted]
    raw = raw or any(CONTENTS_FIELD[spec.datatype] is None for spec in chosen)
    for spec in chosen:
        array = outputs[spec.name]
        tensor = response.outputs.add(name=spec.name, datatype=spec.datatype, shape=list(array.shape))
        if raw:
            response.raw_output_contents.append(_to_raw(spec.datatype, array))
        elif spec.datatype == "BYTES":
            tensor.contents.bytes_contents.extend(_bytes(value) for value in array.reshape(-1).tolist())
        else:
            getattr(tensor.contents, CONTENTS_FIELD[spec.datatype]).extend(array.reshape(-1).tolist())


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _to_raw(datatype: str, array: np.ndarray) -> bytes:
    if datatype == "BYTES":
        parts = [_bytes(value) for value in array.reshape(-1).tolist()]
        return b"".join(struct.pack("<I", len(part)) + part for part in parts)
    dtype = np.dtype(DATATYPES[datatype].dtype).newbyteorder("<")
    return np.ascontiguousarray(array, dtype=dtype).tobytes()
