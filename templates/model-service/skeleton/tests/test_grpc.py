"""The Open Inference Protocol over gRPC, through a real grpc client and the generated stubs (make proto)."""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import replace
from typing import Iterator

import grpc
import numpy as np
import pytest
from starlette.testclient import TestClient

from ${{ values.pythonPackage }}.app import create_app
from ${{ values.pythonPackage }}.model_store import load_model
from ${{ values.pythonPackage }}.oip import open_inference_grpc_pb2 as pb
from ${{ values.pythonPackage }}.oip import open_inference_grpc_pb2_grpc as pb_grpc

from conftest import INFER, MODEL, VERSION, assert_close_as, features_request, wait_until_ready

ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def grpc_port() -> int:
    return free_port()


@pytest.fixture
def served(settings, grpc_port) -> Iterator[tuple]:
    port = grpc_port
    app = create_app(replace(settings, host="127.0.0.1", grpc_port=port))
    with TestClient(app, raise_server_exceptions=False) as client:
        wait_until_ready(client)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield client, pb_grpc.GRPCInferenceServiceStub(channel)


def infer_request(rows=ROWS, **extra) -> "pb.ModelInferRequest":
    tensor = pb.ModelInferRequest.InferInputTensor(name="features", datatype="FP32", shape=[len(rows), 4])
    tensor.contents.fp32_contents.extend(value for row in rows for value in row)
    return pb.ModelInferRequest(model_name=MODEL, inputs=[tensor], **extra)


def rpc_error(call, request) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call(request, timeout=5)
    return raised.value


def test_health_and_metadata_rpcs(served):
    _, stub = served
    assert stub.ServerLive(pb.ServerLiveRequest(), timeout=5).live is True
    assert stub.ServerReady(pb.ServerReadyRequest(), timeout=5).ready is True
    assert stub.ModelReady(pb.ModelReadyRequest(name=MODEL), timeout=5).ready is True
    assert stub.ModelReady(pb.ModelReadyRequest(name=MODEL, version=VERSION), timeout=5).ready is True
    server = stub.ServerMetadata(pb.ServerMetadataRequest(), timeout=5)
    assert server.name and server.version and list(server.extensions) == []
    model = stub.ModelMetadata(pb.ModelMetadataRequest(name=MODEL), timeout=5)
    assert (model.name, list(model.versions), model.platform) == (MODEL, [VERSION], "numpy")
    assert [(t.name, t.datatype, list(t.shape)) for t in model.inputs] == [("features", "FP32", [-1, 4])]
    assert [t.name for t in model.outputs] == ["probabilities", "label", "class_index"]


def test_unknown_models_are_not_found(served):
    _, stub = served
    for call, request in [(stub.ModelReady, pb.ModelReadyRequest(name="nope")),
                          (stub.ModelMetadata, pb.ModelMetadataRequest(name=MODEL, version="99")),
                          (stub.ModelInfer, infer_request(model_version="99"))]:
        error = rpc_error(call, request)
        assert error.code() == grpc.StatusCode.NOT_FOUND and MODEL in error.details()


def test_infer_answers_equal_rest_for_the_same_input(served):
    client, stub = served
    rest = client.post(INFER, json=features_request(ROWS, id="same")).json()
    answer = stub.ModelInfer(infer_request(id="same"), timeout=5)
    assert (answer.model_name, answer.model_version, answer.id) == (MODEL, VERSION, "same")
    by_name = {output.name: output for output in answer.outputs}
    assert [output.name for output in answer.outputs] == [output["name"] for output in rest["outputs"]]
    for output in rest["outputs"]:
        tensor = by_name[output["name"]]
        assert (tensor.datatype, list(tensor.shape)) == (output["datatype"], output["shape"])
    assert [v.decode() for v in by_name["label"].contents.bytes_contents] == ["setosa", "virginica"]
    assert list(by_name["class_index"].contents.int64_contents) == rest["outputs"][2]["data"]
    assert_close_as("FP32", list(by_name["probabilities"].contents.fp32_contents), rest["outputs"][0]["data"])


def test_infer_with_raw_input_contents_answers_raw(served):
    _, stub = served
    typed = stub.ModelInfer(infer_request(), timeout=5)
    request = pb.ModelInferRequest(model_name=MODEL, inputs=[pb.ModelInferRequest.InferInputTensor(
        name="features", datatype="FP32", shape=[2, 4])], outputs=[
        pb.ModelInferRequest.InferRequestedOutputTensor(name="probabilities"),
        pb.ModelInferRequest.InferRequestedOutputTensor(name="label")])
    request.raw_input_contents.append(np.asarray(ROWS, dtype="<f4").tobytes())
    answer = stub.ModelInfer(request, timeout=5)
    assert [output.name for output in answer.outputs] == ["probabilities", "label"]
    probabilities = np.frombuffer(answer.raw_output_contents[0], dtype="<f4")
    np.testing.assert_array_equal(probabilities, np.asarray(typed.outputs[0].contents.fp32_contents, dtype=np.float32))
    labels, raw = [], answer.raw_output_contents[1]
    while raw:
        (length,) = struct.unpack_from("<I", raw)
        labels.append(raw[4:4 + length].decode())
        raw = raw[4 + length:]
    assert labels == ["setosa", "virginica"]


def bad(**changes) -> "pb.ModelInferRequest":
    request = infer_request()
    tensor = request.inputs[0]
    for key, value in changes.items():
        if key == "shape":
            del tensor.shape[:]
            tensor.shape.extend(value)
        elif key == "raw":
            tensor.ClearField("contents")
            request.raw_input_contents.append(value)
        else:
            setattr(tensor, key, value)
    return request


@pytest.mark.parametrize("request_, words", [
    (bad(datatype="FP8"), "not an Open Inference Protocol datatype"),
    (bad(datatype="INT32"), "the model takes FP32"),
    (bad(name="pixels"), "does not take"),
    (bad(shape=[3, 4]), "12 elements"),
    (bad(shape=[2, 2, 2]), "the model takes"),
    (bad(raw=b"\x00" * 5), "raw contents are 5 bytes"),
    (pb.ModelInferRequest(model_name=MODEL), "at least one tensor"),
], ids=["datatype", "model datatype", "name", "count", "rank", "raw length", "no inputs"])
def test_bad_requests_are_invalid_argument_with_the_rest_message(served, request_, words):
    _, stub = served
    error = rpc_error(stub.ModelInfer, request_)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert words in error.details()


def test_grpc_is_counted_under_its_protocol_and_echoes_ids(served, logged):
    client, stub = served

    def count(protocol: str) -> float:
        wanted = f'inference_requests_total{{code="200",model="{MODEL}",protocol="{protocol}",version="{VERSION}"}}'
        return next(float(line.split()[-1]) for line in client.get("/metrics").text.splitlines()
                    if line.startswith(wanted))

    before = count("grpc"), count("rest")
    _, call = stub.ModelInfer.with_call(infer_request(), timeout=5, metadata=(
        ("traceparent", TRACEPARENT), ("x-request-id", "grpc-call-1")))
    assert (count("grpc"), count("rest")) == (before[0] + 1, before[1])
    echoed = dict(call.initial_metadata())
    assert echoed["x-request-id"] == "grpc-call-1" and echoed["traceparent"] == TRACEPARENT
    mine = [line for line in logged.lines if line.get("request_id") == "grpc-call-1"]
    assert mine and all((line["trace_id"], line["span_id"]) == tuple(TRACEPARENT.split("-")[1:3]) for line in mine)
    _, call = stub.ServerLive.with_call(pb.ServerLiveRequest(), timeout=5, metadata=(("traceparent", "garbage"),))
    assert "traceparent" not in dict(call.initial_metadata()) and len(dict(call.initial_metadata())["x-request-id"]) == 32


def test_loading_model_is_unavailable_and_not_ready(settings):
    release = threading.Event()

    def slow_loader(uri, cache_dir):
        release.wait(10)
        return load_model(uri, cache_dir)

    port = free_port()
    with TestClient(create_app(replace(settings, host="127.0.0.1", grpc_port=port), loader=slow_loader)) as client:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = pb_grpc.GRPCInferenceServiceStub(channel)
            assert stub.ServerLive(pb.ServerLiveRequest(), timeout=5).live is True
            assert stub.ServerReady(pb.ServerReadyRequest(), timeout=5).ready is False
            assert stub.ModelReady(pb.ModelReadyRequest(name=MODEL), timeout=5).ready is False
            error = rpc_error(stub.ModelInfer, infer_request())
            assert error.code() == grpc.StatusCode.UNAVAILABLE and "loading" in error.details()
            release.set()
            wait_until_ready(client)
            assert stub.ServerReady(pb.ServerReadyRequest(), timeout=5).ready is True


def test_a_request_with_both_contents_and_raw_input_contents_is_invalid_argument(served):
    # The protocol: when raw_input_contents is set, no input may have contents. Both hold the same rows here.
    _, stub = served
    request = infer_request()
    request.raw_input_contents.append(np.asarray(ROWS, dtype="<f4").tobytes())
    error = rpc_error(stub.ModelInfer, request)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "inputs[0] has contents while the request has raw_input_contents" in error.details()
    assert "one or the other, not both" in error.details()


@pytest.mark.parametrize("payload", [
    infer_request().SerializeToString()[:-3],  # truncated inside the packed FP32 contents
    b"\x0a\xff\xff\xff\xff\x0f",  # model_name claiming a length far past the end
    b"\xff\xff\xff",  # not a protobuf at all
], ids=["truncated", "overlong field", "garbage"])
def test_undecodable_requests_are_invalid_argument(served, grpc_port, payload):
    _, stub = served
    with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:  # sends the bytes as they are
        raw_infer = channel.unary_unary("/inference.GRPCInferenceService/ModelInfer",
                                        request_serializer=None, response_deserializer=None)
        error = rpc_error(raw_infer, payload)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    assert "not a valid inference.ModelInferRequest protobuf message" in error.details()
    assert stub.ModelInfer(infer_request(), timeout=5).outputs  # and the server keeps serving
