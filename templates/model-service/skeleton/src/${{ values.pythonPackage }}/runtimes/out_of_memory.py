"""A batch that runs out of device memory fails alone, as a retryable 503, and the service keeps serving.

Frameworks say it differently: torch raises torch.cuda.OutOfMemoryError (a RuntimeError subclass since
torch 1.13; older releases raised a plain RuntimeError with the same text), ONNX Runtime and XGBoost raise
their own errors whose message names the failed allocation.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Callable, Iterator, Optional

from ..protocol import ProtocolError

log = logging.getLogger(__name__)

MARKERS = ("out of memory", "Failed to allocate memory", "cudaErrorMemoryAllocation", "CUBLAS_STATUS_ALLOC_FAILED")


class OutOfDeviceMemory(ProtocolError):
    retry_after = 1

    def __init__(self, device: str) -> None:
        super().__init__(503, "out_of_memory", f"the model ran out of memory on {device} for this batch; retry "
                                               "(smaller requests, or after the load drops)")


def is_out_of_memory(error: BaseException) -> bool:
    torch = sys.modules.get("torch")  # only if the model uses it: never imported here
    oom_type = getattr(getattr(torch, "cuda", None), "OutOfMemoryError", None)
    if oom_type is not None and isinstance(error, oom_type):
        return True
    return isinstance(error, MemoryError) or any(marker in str(error) for marker in MARKERS)


@contextlib.contextmanager
def batch_memory(device: str, release: Optional[Callable[[], None]] = None) -> Iterator[None]:
    """Turns an out-of-memory error in the block into OutOfDeviceMemory, after releasing cached memory."""
    try:
        yield
    except Exception as error:
        if not is_out_of_memory(error):
            raise
        log.warning("a batch ran out of memory on %s; its requests get 503", device, exc_info=error)
        if release is not None:
            release()
        raise OutOfDeviceMemory(device) from error
