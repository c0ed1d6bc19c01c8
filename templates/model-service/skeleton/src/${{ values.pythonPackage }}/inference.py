"""What REST and gRPC inference share: the served model, the batching queue, errors and metrics.

Each door decodes its own payload into numpy arrays and encodes its own answer; everything between (which
model, the queue, timeouts, what a failure becomes, what is counted) happens here once, so both protocols
answer alike.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

import numpy as np

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

    def model(self, name: str, version: Optional[str]) -> Model:
        """The model served under this name (and version): 404 if not this one, 503 while loading."""
        return self.state.require_model(name, version)

    async def predict(self, model: Model, inputs: Dict[str, np.ndarray], parameters: Dict[str, Any]) -> Dict[str, Any]:
        """The outputs, through the batching queue; ProtocolError (503 overloaded, 504 timeout) otherwise."""
        try:
            return await self.batcher.submit(model, inputs, parameters, self.timeout)
        except asyncio.TimeoutError:
            raise ProtocolError(504, "internal", f"inference took longer than {self.timeout:g} s "
                                                 "(REQUEST_TIMEOUT_SECONDS)") from None

    def failure(self, error: BaseException, protocol: str) -> ProtocolError:
        """Any error as the ProtocolError the client gets, counted by reason; unexpected ones logged."""
        if not isinstance(error, ProtocolError):
            log.error("inference failed", exc_info=error)
            error = ProtocolError(500, "internal", "inference failed: see the service logs for this request id")
        self.metrics.count_error(error.reason, protocol)
        return error
