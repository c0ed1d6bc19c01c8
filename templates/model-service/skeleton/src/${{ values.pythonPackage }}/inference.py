"""What REST and gRPC inference share: the served model, the batching queue, errors and metrics.

Each door decodes its own payload into numpy arrays and encodes its own answer; everything between (which
model, the queue, timeouts, what a failure becomes, what is counted) happens here once, so both protocols
answer alike.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Optional

from .batching import Batcher
from .config import Settings
from .metrics import Metrics
from .model import Model
from .protocol import ProtocolError
from .state import ServiceState

log = logging.getLogger(__name__)


class Inference:
    def __init__(self, settings: Settings, state: ServiceState, metrics: Metrics) -> None:
        self.state, self.metrics = state, metrics
        self.timeout = settings.request_timeout_seconds
        self.batcher = Batcher(metrics, settings.max_batch_size, settings.max_batch_delay_ms / 1000,
                               settings.max_queue_length)
        #: predict(model, inputs, parameters) → outputs, through the batching queue: Overloaded (503) when it
        #: is full, asyncio.TimeoutError past REQUEST_TIMEOUT_SECONDS (failure() makes it a 504). The queue's
        #: own method, not a wrapper: one coroutine less per request.
        self.predict = functools.partial(self.batcher.submit, timeout=self.timeout)

    def model(self, name: str, version: Optional[str]) -> Model:
        """The model served under this name (and version): 404 if not this one, 503 while loading."""
        return self.state.require_model(name, version)

    def failure(self, error: BaseException, protocol: str) -> ProtocolError:
        """Any error as the ProtocolError the client gets, counted by reason; unexpected ones logged."""
        if isinstance(error, asyncio.TimeoutError):
            error = ProtocolError(504, "internal", f"inference took longer than {self.timeout:g} s "
                                                   "(REQUEST_TIMEOUT_SECONDS)")
        elif not isinstance(error, ProtocolError):
            log.error("inference failed", exc_info=error)
            error = ProtocolError(500, "internal", "inference failed: see the service logs for this request id")
        self.metrics.count_error(error.reason, protocol)
        return error
