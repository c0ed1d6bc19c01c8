"""The HTTP API: Open Inference Protocol (V2) REST endpoints, /metrics, and the model's life cycle
(with the gRPC server and the batching queue, which live and stop with it)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
from typing import Any, AsyncIterator, Dict, List, Optional, Tuple

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .config import SERVICE_NAME, Settings
from .inference import Inference
from .metrics import Metrics
from .model import Model
from .model_loading import ModelLoader, start_loading
from .model_store import load_model
from .protocol import ProtocolError, encode_output, parse_inference_request, parse_json
from .request_context import RequestContextMiddleware
from .slow_clients import cut_off
from .state import ServiceState

log = logging.getLogger(__name__)


def create_app(settings: Settings, loader: Optional[ModelLoader] = None) -> FastAPI:
    """The service; `loader` stands in for model_store.load_model (with MODEL_FORMAT, DEVICE …) in tests."""
    if loader is None:
        loader = functools.partial(load_model, options=settings.runtime_options())
    state = ServiceState(settings.model_name, settings.model_version)
    metrics = Metrics(settings.model_name, settings.model_version, settings.build_version, settings.git_sha)
    app = FastAPI(title=SERVICE_NAME, openapi_url=None, docs_url=None, redoc_url=None)
    inference = Inference(settings, state, metrics)
    app.state.service = state
    app.state.metrics = metrics
    app.state.inference = inference

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        start_loading(settings, state, metrics, loader, asyncio.get_running_loop())
        inference.batcher.start()
        grpc_server = None
        if settings.grpc_port:
            from .grpc_server import start_grpc_server  # imports grpc and the generated stubs only when used
            grpc_server = await start_grpc_server(settings, inference)
        app.state.grpc_server = grpc_server
        yield
        # Uvicorn calls this once its HTTP requests are done: finish the gRPC calls, then the queue.
        if grpc_server is not None:
            await grpc_server.stop(settings.request_timeout_seconds)
        await inference.batcher.stop()

    # Starlette's Router takes a lifespan on every release; FastAPI(lifespan=) only from 0.93.
    app.router.lifespan_context = lifespan

    def error(status: int, message: str, **extra: Any) -> JSONResponse:
        return JSONResponse({**extra, "error": message}, status_code=status)

    def refusal(exc: ProtocolError) -> JSONResponse:
        response = error(exc.status, exc.message)
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 404:
            message = f"{request.url.path} is not an endpoint of this service: the API is under /v2"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        return error(exc.status_code, message)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc)
        return error(500, "internal server error")

    async def live(request: Request) -> Response:
        return JSONResponse({"live": True})

    async def ready(request: Request) -> Response:
        if state.ready:
            return JSONResponse({"ready": True})
        return error(503, state.not_ready_reason(), ready=False)

    async def server_metadata(request: Request) -> Response:
        return JSONResponse({"name": SERVICE_NAME, "version": settings.build_version, "extensions": []})

    def served_model(request: Request) -> Model:
        params = request.path_params
        return state.require_model(params["model_name"], params.get("model_version"))

    async def model_metadata(request: Request) -> Response:
        try:
            meta = served_model(request).metadata
        except ProtocolError as exc:
            return error(exc.status, exc.message)
        return JSONResponse({
            "name": state.model_name,
            "versions": [state.model_version],
            "platform": meta.platform,
            "inputs": [spec.to_json() for spec in meta.inputs],
            "outputs": [spec.to_json() for spec in meta.outputs],
        })

    async def model_ready(request: Request) -> Response:
        try:
            state.check_served(request.path_params["model_name"], request.path_params.get("model_version"))
        except ProtocolError as exc:
            return error(exc.status, exc.message)
        if state.ready:
            return JSONResponse({"name": state.model_name, "ready": True})
        return error(503, state.not_ready_reason(), name=state.model_name, ready=False)

    async def infer(scope: dict, receive: Any, send: Any, model_name: str, model_version: Optional[str]) -> None:
        """POST .../infer as plain ASGI (InferRoute sends it here): no Request, Response or router
        per call on the path every inference takes."""
        start = time.perf_counter()
        metrics.in_flight.inc()
        status = 500
        try:
            content_type, declared_length = body_headers(scope["headers"])
            require_json(content_type)
            model = state.require_model(model_name, model_version)
            body = await read_body(scope, receive, declared_length, settings.max_request_bytes)
            parsed = parse_inference_request(parse_json(body), model.metadata.inputs, model.metadata.outputs)
            outputs = await inference.predict(model, parsed.inputs, parsed.parameters)
            wanted = parsed.outputs
            response: Dict[str, Any] = {
                "model_name": state.model_name,
                "model_version": state.model_version,
                "outputs": [encode_output(spec, outputs[spec.name]) for spec in model.metadata.outputs
                            if wanted is None or spec.name in wanted],
            }
            if parsed.id is not None:
                response["id"] = parsed.id
            status = 200
            reply: Response = JSONResponse(response)
        except Exception as exc:
            refused = inference.failure(exc, "rest")
            status = refused.status
            reply = refusal(refused)
        finally:
            metrics.in_flight.dec()
            metrics.observe_request(status, time.perf_counter() - start)
        await reply(scope, receive, send)

    async def prometheus(request: Request) -> Response:
        body, content_type = metrics.render()
        return Response(body, headers={"Content-Type": content_type})

    # The router still knows the infer paths (GET on them is a 405); InferRoute takes their POSTs first.
    infer_endpoint = InferEndpoint(infer)
    routes = [
        ("/v2/models/{model_name}/infer", infer_endpoint, "POST"),
        ("/v2/models/{model_name}/versions/{model_version}/infer", infer_endpoint, "POST"),
        ("/v2/health/live", live, "GET"),
        ("/v2/health/ready", ready, "GET"),
        ("/v2", server_metadata, "GET"),
        ("/v2/", server_metadata, "GET"),
        ("/v2/models/{model_name}", model_metadata, "GET"),
        ("/v2/models/{model_name}/versions/{model_version}", model_metadata, "GET"),
        ("/v2/models/{model_name}/ready", model_ready, "GET"),
        ("/v2/models/{model_name}/versions/{model_version}/ready", model_ready, "GET"),
        ("/metrics", prometheus, "GET"),
    ]
    # Plain Starlette routes (stable from FastAPI 0.92 to today): the handlers read the Request
    # themselves, so no pydantic model runs per request, on pydantic 1 or 2.
    app.router.routes.extend(Route(path, endpoint, methods=[method], include_in_schema=False)
                             for path, endpoint, method in routes)
    app.add_middleware(InferRoute, infer=infer)
    app.add_middleware(RequestContextMiddleware)
    return app


class InferEndpoint:
    """The infer handler as an ASGI app for the router."""

    def __init__(self, infer: Any) -> None:
        self.infer = infer

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        params = scope["path_params"]
        await self.infer(scope, receive, send, params["model_name"], params.get("model_version"))


INFER_PATH = re.compile(r"/v2/models/([^/]+)(?:/versions/([^/]+))?/infer")


class InferRoute:
    """Routes POST /v2/models/{name}[/versions/{version}]/infer straight to the handler, ahead of the
    router: the one route every inference takes, with the same path rules as Starlette's."""

    def __init__(self, app: Any, infer: Any) -> None:
        self.app = app
        self.infer = infer

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            match = INFER_PATH.fullmatch(scope["path"])
            if match:
                return await self.infer(scope, receive, send, match[1], match[2])
        return await self.app(scope, receive, send)


def body_headers(headers: List[Tuple[bytes, bytes]]) -> Tuple[bytes, Optional[bytes]]:
    """Content-Type and Content-Length, from the raw ASGI headers in one pass (no Headers object per request)."""
    content_type, length = b"", None
    for name, value in headers:
        if name == b"content-type":
            content_type = value
        elif name == b"content-length":
            length = value
    return content_type, length


def require_json(content_type: bytes) -> None:
    """415 unless the body is declared JSON: text/plain and form bodies are what a browser may post
    cross-origin without a preflight, so refusing them keeps other sites' pages from calling the model."""
    if content_type == b"application/json":
        return
    if content_type.split(b";", 1)[0].strip().lower() != b"application/json":
        shown = repr(content_type.decode("latin-1")) if content_type else "none"
        raise ProtocolError(415, "bad_request", f"the request body must be JSON with Content-Type: application/json, "
                                                f"got {shown}")


async def read_body(scope: dict, receive: Any, declared_length: Optional[bytes], limit: int) -> bytes:
    """The body, refused with 413 past `limit` bytes, before it is read when the length is declared."""
    declared = declared_length.decode("latin-1") if declared_length is not None else None
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, "too_large", f"the request body is {declared} bytes, over the limit of "
                                              f"{limit} (MAX_REQUEST_BYTES): send smaller batches")
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            ended = cut_off(scope)  # the server cut it off (slow_clients.py), and has answered the client
            if ended is not None:
                raise ProtocolError(ended[0], "bad_request" if ended[0] < 500 else "not_ready", ended[1])
            raise ProtocolError(400, "bad_request", "the client closed the connection before sending the whole body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, "too_large", f"the request body is over the limit of {limit} bytes "
                                                  "(MAX_REQUEST_BYTES): send smaller batches")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)

