"""uvicorn with the platform's shutdown sequence (and bounds on slow request headers and bodies: slow_clients.py).

On SIGTERM (or SIGINT): readiness turns false at once, so the load balancer stops routing here; the
servers (HTTP and gRPC) keep accepting and serving for DRAIN_SECONDS while that spreads; then they stop
accepting, finish the requests in flight (and the batching queue) and exit 0. The drain ends
REQUEST_TIMEOUT_SECONDS after it stops accepting: a connection still sending its request body then gets 503
and is closed (its request could not finish in time anyway), so slow clients cannot hold the exit back.
A second signal skips the rest of the drain; a third exits at once. If the model fails to load, the process
exits 1 so Kubernetes restarts it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging

import time
from typing import Any, Awaitable, Callable, Optional

import uvicorn

from .config import Settings
from .slow_clients import slow_client_protocol
from .state import ServiceState

log = logging.getLogger(__name__)


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, state: ServiceState, drain_seconds: float, finish_seconds: float,
                 stop_others: Optional[Callable[[], Awaitable[None]]] = None) -> None:
        super().__init__(config)
        self.state = state
        self.stop_others = stop_others
        self.drain_seconds = drain_seconds
        self.finish_seconds = finish_seconds
        self.drain_deadline: Optional[float] = None
        self.exit_code = 0
        self._drain_logged = False

    def handle_exit(self, sig: int, frame: Any) -> None:
        # A signal handler: set flags only (no logging, no loop calls); on_tick acts on them. Not calling
        # super() also keeps newer uvicorn from re-raising the signal after shutdown (exit code 0, not -15).
        if self.drain_deadline is None:
            self.state.draining = True
            self.drain_deadline = time.monotonic() + self.drain_seconds
        elif not self.should_exit:
            self.should_exit = True
        else:
            self.force_exit = True

    async def on_tick(self, counter: int) -> bool:
        if self.drain_deadline is not None:
            if not self._drain_logged:
                self._drain_logged = True
                log.info("shutdown requested: readiness is false, draining",
                         extra={"fields": {"drain_seconds": self.drain_seconds}})
            if time.monotonic() >= self.drain_deadline and not self.should_exit:
                log.info("drain period over: refusing new connections, finishing requests in flight")
                self.should_exit = True
        if self.state.load_error is not None and not self.should_exit:
            self.exit_code = 1
            self.should_exit = True
        return await super().on_tick(counter)

    async def shutdown(self, sockets: Any = None) -> None:
        # The other servers (gRPC) stop taking calls when HTTP stops accepting connections, and finish
        # theirs meanwhile; the app's lifespan waits for them before the batching queue stops.
        if self.stop_others is not None:
            stopping = asyncio.ensure_future(self.stop_others())
        cutting = asyncio.get_running_loop().call_later(self.finish_seconds, self._cut_off_bodies)
        try:
            await super().shutdown(sockets)
        finally:
            cutting.cancel()
        if self.stop_others is not None:
            await stopping


    def _cut_off_bodies(self) -> None:
        cut = 0
        for connection in list(self.server_state.connections):
            if getattr(connection, "reading_body", lambda: False)():
                connection.cut_off_body(503, "the service is shutting down and the request body did not arrive in "
                                             "time: send it again (to another replica)")
                cut += 1
        log.info("drain over: closed the connections still sending a request body", extra={"fields": {"closed": cut}})


def serve(app: Any, settings: Settings, state: ServiceState) -> int:
    options = dict(host=settings.host, port=settings.port, log_config=None, access_log=False,
                   server_header=False, lifespan="on", http=slow_client_protocol(settings.header_timeout_seconds,
                                                          settings.body_deadline_seconds()))
    # Newer uvicorn can bound the wait for requests in flight; the longest is REQUEST_TIMEOUT_SECONDS.
    if "timeout_graceful_shutdown" in inspect.signature(uvicorn.Config).parameters:
        options["timeout_graceful_shutdown"] = int(settings.request_timeout_seconds) + 5
    async def stop_grpc() -> None:
        grpc_server = getattr(app.state, "grpc_server", None)
        if grpc_server is not None:
            await grpc_server.stop(settings.request_timeout_seconds)

    server = GracefulServer(uvicorn.Config(app, **options), state, settings.drain_seconds,
                            settings.request_timeout_seconds, stop_grpc)
    server.run()
    if server.exit_code == 0 and not server.started:
        return 1  # could not bind the port, or the app failed to start: uvicorn logged why
    log.info("stopped", extra={"fields": {"exit_code": server.exit_code}})
    return server.exit_code



