"""Loading the model at start-up, in a daemon thread: the server is live (and answers probes and
/metrics) at once, ready only once the model is loaded and warmed up, and a hung download cannot keep
the process from exiting.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
from pathlib import Path
from typing import Callable, List, Tuple

from .batching import unbatchable_tensors
from .config import Settings
from .metrics import Metrics
from .model import Model
from .state import ServiceState

log = logging.getLogger(__name__)

#: (MODEL_URI, MODEL_CACHE_DIR) → (model, source); model_store.load_model, or a stand-in in tests.
ModelLoader = Callable[[str, Path], Tuple[Model, str]]


def warm_up_batch_sizes(max_batch_size: int) -> List[int]:
    """The batch sizes warm-up runs: powers of two up to MAX_BATCH_SIZE, and it. Every size the batcher may
    form would cost minutes at 1024; kernels chosen for a power of two serve the sizes just below it."""
    sizes = [1 << power for power in range(max_batch_size.bit_length()) if 1 << power < max_batch_size]
    return [*sizes, max_batch_size]


#: A batch this fast runs on the event loop (Model.may_run_on_loop): the loop stalls less than it would
#: handing the call to a thread and taking the GIL back, and probes wait at most this long.
LOOP_CALL_BUDGET_SECONDS = 0.001


def warm_up(model: Model, batch_sizes: List[int]) -> None:
    """A custom model written for 0.2.x may override warm_up() without batch sizes: call it as written."""
    if inspect.signature(model.warm_up).parameters:
        model.warm_up(batch_sizes)
    else:
        model.warm_up()


def place_calls(model: Model, largest_batch: int, clock: Callable[[], float] = time.perf_counter) -> None:
    """Chooses where a model that lets start-up choose (may_run_on_loop) runs: the largest batch, warm now,
    is timed (the fastest of three, so a busy machine does not decide); under LOOP_CALL_BUDGET_SECONDS it runs
    on the event loop, else in a worker thread. A scikit-learn pipeline answers 32 rows in ~0.12 ms; handing
    each batch to a thread (and the GIL back and forth while requests are parsed) cost it a sixth more CPU per
    request (308-342 µs against 256-284) and 0.3 ms more p50 at one client in bench/runtimes.mjs. `clock` is
    for tests, which decide a model's cost instead of measuring it."""
    if not model.may_run_on_loop:
        return
    timings = []
    for _ in range(3):
        started = clock()
        model.warm_up([largest_batch])
        timings.append(clock() - started)
    model.run_in_thread = min(timings) >= LOOP_CALL_BUDGET_SECONDS


def start_loading(settings: Settings, state: ServiceState, metrics: Metrics, loader: ModelLoader,
                  loop: asyncio.AbstractEventLoop) -> None:
    def publish(callback: Callable[[], None]) -> None:
        # The state belongs to the event loop's thread; hand the result over to it.
        try:
            loop.call_soon_threadsafe(callback)
        except RuntimeError:
            pass  # the loop has closed: the server stopped while the model was loading

    def load() -> None:
        start = time.perf_counter()
        try:
            model, source = loader(settings.model_uri, Path(settings.model_cache_dir))
            warm_up(model, warm_up_batch_sizes(settings.max_batch_size))
            place_calls(model, settings.max_batch_size)
        except Exception as error:  # any failure: report it, stay unready; the server then exits 1
            log.error("model load failed", exc_info=True, extra={"fields": {"model": settings.model_name}})
            message = str(error)
            publish(lambda: setattr(state, "load_error", message))
            return
        seconds = time.perf_counter() - start

        def ready() -> None:
            state.model = model
            fixed = unbatchable_tensors(model.metadata)
            if fixed and settings.max_batch_size > 1:
                log.warning("the model cannot batch: its metadata gives %s no free first dimension (-1), so requests "
                            "run one per call (MAX_BATCH_SIZE=%d is unused); export it with a dynamic batch "
                            "dimension, or declare one in model-settings.json", ", ".join(fixed),
                            settings.max_batch_size)
            metrics.model_loaded(source, seconds, model.memory_by_device)
            log.info("model ready", extra={"fields": {"model": settings.model_name, "version": settings.model_version,
                                                      "source": source, "load_seconds": round(seconds, 3),
                                                      "calls": "worker thread" if model.run_in_thread
                                                      else "event loop"}})
        publish(ready)

    threading.Thread(target=load, name="model-loader", daemon=True).start()
