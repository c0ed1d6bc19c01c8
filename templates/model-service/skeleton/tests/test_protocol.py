"""Tensor decoding against the Open Inference Protocol's datatypes."""

from __future__ import annotations

import numpy as np
import pytest

from ${{ values.pythonPackage }}.protocol import DATATYPES, ProtocolError, decode_tensor


@pytest.mark.parametrize("datatype, data, dtype", [
    ("BOOL", [True, False], np.bool_),
    ("UINT8", [0, 255], np.uint8),
    ("UINT16", [0, 65535], np.uint16),
    ("UINT32", [0, 4294967295], np.uint32),
    ("UINT64", [0, 18446744073709551615], np.uint64),
    ("INT8", [-128, 127], np.int8),
    ("INT16", [-32768, 32767], np.int16),
    ("INT32", [-2147483648, 2147483647], np.int32),
    ("INT64", [-9223372036854775808, 9223372036854775807], np.int64),
    ("FP16", [0.5, 1], np.float16),
    ("FP32", [0.5, 1], np.float32),
    ("FP64", [0.5, 1], np.float64),
    ("BYTES", ["a", "é"], object),
])
def test_every_datatype_decodes(datatype, data, dtype):
    name, array = decode_tensor({"name": "x", "shape": [2], "datatype": datatype, "data": data}, "inputs[0]")
    assert name == "x" and array.dtype == dtype and array.tolist() == data


@pytest.mark.parametrize("datatype, value", [("UINT8", 256), ("UINT8", -1), ("INT8", 128), ("INT64", 2**63),
                                             ("BOOL", 1), ("INT32", 1.5), ("BYTES", 3), ("FP16", 70000.0)])
def test_values_outside_the_datatype_are_refused(datatype, value):
    with pytest.raises(ProtocolError) as raised:
        decode_tensor({"name": "x", "shape": [1], "datatype": datatype, "data": [value]}, "inputs[0]")
    assert raised.value.status == 400 and datatype in raised.value.message


def test_nested_data_must_match_the_shape():
    _, array = decode_tensor({"name": "x", "shape": [2, 2], "datatype": "INT32", "data": [[1, 2], [3, 4]]}, "in")
    assert array.tolist() == [[1, 2], [3, 4]]
    with pytest.raises(ProtocolError, match="must be an array of 2"):
        decode_tensor({"name": "x", "shape": [2, 2], "datatype": "INT32", "data": [[1, 2, 3], [4]]}, "in")


def test_all_thirteen_datatypes_are_known():
    assert len(DATATYPES) == 13
