"""The Open Inference Protocol over gRPC (inference.GRPCInferenceService) on GRPC_PORT.

It runs on uvicorn's event loop and shares the model, the batching queue, the errors and the metrics with
the REST API (protocol="grpc"). Errors become gRPC status codes with the REST message as details; every
call gets a request id and the caller's trace (x-request-id and traceparent metadata), echoed in the
initial metadata and logged like REST requests. Probes stay on HTTP. A request that is not a valid protobuf
message gets INVALID_ARGUMENT (grpcio itself would answer UNKNOWN): see UndecodableRequests.

The stubs (oip/open_inference_grpc_pb2*.py) are generated from oip/open_inference_grpc.proto by
`make proto` and the Dockerfile; they are not committed.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any, Awaitable, Callable, Tuple

import grpc
from google.protobuf.message import DecodeError

from .config import SERVICE_NAME, Settings
from .grpc_tensors import decode_inputs, encode_outputs
from .inference import Inference
from .logs import request_var
from .protocol import ProtocolError, bad_request, parse_requested_outputs
from .request_context import access_log, request_ids

try:
    from .oip import open_inference_grpc_pb2 as pb
    from .oip import open_inference_grpc_pb2_grpc as pb_grpc
except ImportError as error:  # pragma: no cover - a checkout without generated stubs
    raise ImportError("the gRPC stubs are missing: run `make proto` (python -m grpc_tools.protoc, see the "
                      "Makefile), or set GRPC_PORT=0 to serve REST only") from error

log = logging.getLogger(__name__)

#: HTTP status of a refusal → gRPC status code (the metrics' code label keeps the HTTP status).
STATUS_CODES = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    404: grpc.StatusCode.NOT_FOUND,
    413: grpc.StatusCode.RESOURCE_EXHAUSTED,
    500: grpc.StatusCode.INTERNAL,
    503: grpc.StatusCode.UNAVAILABLE,
    504: grpc.StatusCode.DEADLINE_EXCEEDED,
}

Handler = Callable[[Any, Any, Any], Awaitable[Any]]


class Undecodable:
    """Stands for a request whose bytes are not the method's protobuf message (the handler refuses it)."""

    def __init__(self, message_type: str, error: Exception) -> None:
        self.message_type, self.error = message_type, error


class UndecodableRequests(grpc.aio.ServerInterceptor):
    """Hands undecodable requests to the handler as Undecodable instead of failing in grpcio, which answers
    `UNKNOWN: Unexpected <class 'DecodeError'>`: a malformed or truncated message is the caller's error."""

    async def intercept_service(self, continuation: Callable[[Any], Awaitable[Any]], details: Any) -> Any:
        handler = await continuation(details)
        if handler is None or handler.request_deserializer is None:
            return handler
        return handler._replace(request_deserializer=_tolerant(handler.request_deserializer))


def _tolerant(deserialize: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    message_type = getattr(getattr(deserialize, "__self__", None), "__name__", "request")

    def decode(data: bytes) -> Any:
        try:
            return deserialize(data)
        except DecodeError as error:
            return Undecodable(message_type, error)
    return decode


def traced(method: Callable[..., Awaitable[Any]]) -> Handler:
    """Request id and trace for the call (logs, echoed metadata), an access-log line, errors → status."""
    path = f"/inference.GRPCInferenceService/{method.__name__}"

    @functools.wraps(method)
    async def call(self: "InferenceServicer", request: Any, context: Any) -> Any:
        metadata = context.invocation_metadata() or ()
        ids = request_ids((key.encode("latin-1"), value) for key, value in metadata if isinstance(value, str))
        token = request_var.set(ids)
        echoed: Tuple[Tuple[str, str], ...] = (("x-request-id", ids.request_id),)
        if ids.trace is not None:
            echoed += (("traceparent", ids.trace.traceparent),)
        start = time.perf_counter()
        status = 200
        try:
            await context.send_initial_metadata(echoed)
            try:
                if isinstance(request, Undecodable):
                    raise bad_request(f"the request is not a valid inference.{request.message_type} protobuf message "
                                      f"({request.error}): send the message the Open Inference Protocol's .proto "
                                      "defines, whole")
                return await method(self, request, context)
            except ProtocolError as refused:
                status = refused.status
                trailing = (("retry-after", str(refused.retry_after)),) if refused.retry_after is not None \
                    else ()
                await context.abort(STATUS_CODES.get(refused.status, grpc.StatusCode.UNKNOWN), refused.message,
                                    trailing_metadata=trailing)
        finally:
            level = logging.DEBUG if status < 400 else logging.INFO if status < 500 else logging.WARNING
            if access_log.isEnabledFor(level):
                access_log.log(level, "gRPC %s %d", path, status, extra={"fields": {
                    "method": "gRPC", "path": path, "status": status,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 3)}})
            request_var.reset(token)

    return call


class InferenceServicer(pb_grpc.GRPCInferenceServiceServicer):
    def __init__(self, settings: Settings, inference: Inference) -> None:
        self.settings, self.inference, self.state = settings, inference, inference.state

    @traced
    async def ServerLive(self, request: Any, context: Any) -> Any:
        return pb.ServerLiveResponse(live=True)

    @traced
    async def ServerReady(self, request: Any, context: Any) -> Any:
        return pb.ServerReadyResponse(ready=self.state.ready)

    @traced
    async def ModelReady(self, request: Any, context: Any) -> Any:
        self.state.check_served(request.name, request.version or None)
        return pb.ModelReadyResponse(ready=self.state.ready)

    @traced
    async def ServerMetadata(self, request: Any, context: Any) -> Any:
        return pb.ServerMetadataResponse(name=SERVICE_NAME, version=self.settings.build_version, extensions=[])

    @traced
    async def ModelMetadata(self, request: Any, context: Any) -> Any:
        meta = self.inference.model(request.name, request.version or None).metadata
        tensor = pb.ModelMetadataResponse.TensorMetadata
        return pb.ModelMetadataResponse(
            name=self.state.model_name, versions=[self.state.model_version], platform=meta.platform,
            inputs=[tensor(name=spec.name, datatype=spec.datatype, shape=spec.shape) for spec in meta.inputs],
            outputs=[tensor(name=spec.name, datatype=spec.datatype, shape=spec.shape) for spec in meta.outputs])

    @traced
    async def ModelInfer(self, request: Any, context: Any) -> Any:
        inference, metrics = self.inference, self.inference.metrics
        start = time.perf_counter()
        metrics.in_flight.inc()
        status = 500
        try:
            model = inference.model(request.model_name, request.model_version or None)
            meta = model.metadata
            inputs = decode_inputs(request, meta.inputs)
            wanted = parse_requested_outputs([{"name": output.name} for output in request.outputs] or None,
                                             [spec.name for spec in meta.outputs])
            parameters = {key: getattr(value, value.WhichOneof("parameter_choice") or "string_param")
                          for key, value in request.parameters.items()}
            outputs = await inference.predict(model, inputs, parameters)
            response = pb.ModelInferResponse(model_name=self.state.model_name, model_version=self.state.model_version,
                                             id=request.id)
            encode_outputs(response, meta.outputs, outputs, wanted, raw=bool(request.raw_input_contents))
            status = 200
            return response
        except Exception as error:
            refused = inference.failure(error, "grpc")
            status = refused.status
            raise refused from None
        finally:
            metrics.in_flight.dec()
            metrics.observe_request(status, time.perf_counter() - start, "grpc")


async def start_grpc_server(settings: Settings, inference: Inference) -> Any:
    """Binds GRPC_PORT and starts serving; raises (the app then fails to start) if the port is taken."""
    server = grpc.aio.server(interceptors=[UndecodableRequests()], options=[
        ("grpc.max_receive_message_length", settings.max_request_bytes),
        ("grpc.so_reuseport", 0),  # a second process on the port is a mistake to report, not to share
    ])
    pb_grpc.add_GRPCInferenceServiceServicer_to_server(InferenceServicer(settings, inference), server)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    address = f"{host}:{settings.grpc_port}"
    try:
        bound = server.add_insecure_port(address)
    except RuntimeError as error:
        raise RuntimeError(f"cannot listen for gRPC on {address} (GRPC_PORT): {error}") from None
    if not bound:
        raise RuntimeError(f"cannot listen for gRPC on {address} (GRPC_PORT): the port is in use")
    await server.start()
    log.info("gRPC listening", extra={"fields": {"address": address}})
    return server
