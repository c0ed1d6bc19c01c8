"""Dynamic batching: inference requests wait in one bounded queue and run in shared model calls.

A worker task takes the oldest waiting request, adds every queued request that can share its model call
(same model, same input names, datatypes and non-batch dimensions, same parameters) up to MAX_BATCH_SIZE
requests, waits up to MAX_BATCH_DELAY_MS for more when the batch is not full, stacks the inputs along
the first (batch) dimension, runs the model once and splits the outputs back by each request's rows.
Requests that cannot share a call wait for a later one, in order. With MAX_BATCH_DELAY_MS=0 (the default)
nothing waits on purpose: under load, requests arriving while the model runs form the next batch, and a
lone request runs at once.

A model that runs in a worker thread (Model.run_in_thread) is called by the worker task, off the event
loop. A model cheap enough to run on the loop (the bundled one) skips that hand-off, which costs more
than its call: each request yields to the loop once, so the requests that arrived together join the
queue, and the first of them to resume runs every queued batch there and then.

A model with an instance on each of several GPUs (Model.concurrency > 1, runtimes/replicas.py) runs that
many batches at once, each on a free instance.

Backpressure: when MAX_QUEUE_LENGTH requests already wait, a new one is refused at once with 503 and
Retry-After (Overloaded), so latency stays bounded and the client or load balancer retries elsewhere.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
from collections import deque
from typing import Any, Deque, Dict, Hashable, List, Optional

import numpy as np

from .metrics import Metrics
from .model import Model, ModelMetadata
from .protocol import ProtocolError

log = logging.getLogger(__name__)

Tensors = Dict[str, np.ndarray]


class Overloaded(ProtocolError):
    """The queue is full: 503 with Retry-After (seconds), answered before any work is done."""

    def __init__(self, max_queue_length: int, retry_after: int = 1) -> None:
        super().__init__(503, "overloaded", f"the service is at capacity: {max_queue_length} requests are "
                                            "already queued (MAX_QUEUE_LENGTH); retry after "
                                            f"{retry_after} s or on another replica")
        self.retry_after = retry_after


class _Pending:
    __slots__ = ("key", "inputs", "rows", "future", "enqueued", "context")

    def __init__(self, key: Hashable, inputs: Tensors, rows: int, future: "asyncio.Future[Tensors]",
                 context: Optional[contextvars.Context]) -> None:
        self.key, self.inputs, self.rows, self.future = key, inputs, rows, future
        self.enqueued = time.perf_counter()
        # The request's context (request id, trace ids) for a worker thread: the model's log lines in a
        # batch carry the first request's. On the loop, the running request's context is current anyway.
        self.context = context


def batch_key(inputs: Tensors, parameters: Dict[str, Any]) -> Optional[Hashable]:
    """What requests to one model must share to run in one call; None when this one must run alone."""
    if len(inputs) == 1:  # the common case, without the sorting and set below
        (name, array), = inputs.items()
        if not array.ndim:
            return None
        shapes: Hashable = (name, array.dtype.char, array.shape[1:])
    else:
        rows = {array.shape[0] if array.ndim else -1 for array in inputs.values()}
        if len(rows) != 1 or -1 in rows:
            return None
        shapes = tuple(sorted((name, array.dtype.char, array.shape[1:]) for name, array in inputs.items()))
    if not parameters:
        return shapes
    try:
        return shapes, json.dumps(parameters, sort_keys=True)
    except (TypeError, ValueError):
        return None


def unbatchable_tensors(meta: ModelMetadata) -> List[str]:
    """The inputs and outputs whose first dimension is not a free batch dimension (-1)."""
    return [spec.name for spec in [*meta.inputs, *meta.outputs] if len(spec.shape) < 1 or spec.shape[0] != -1]


def model_batches(meta: ModelMetadata) -> bool:
    """Whether the model's first dimension is a free batch dimension, in every input and output."""
    return not unbatchable_tensors(meta)


class Batcher:
    def __init__(self, metrics: Metrics, max_batch_size: int, max_delay_seconds: float,
                 max_queue_length: int) -> None:
        self.metrics = metrics
        self.max_batch_size, self.max_delay, self.max_queue_length = max_batch_size, max_delay_seconds, max_queue_length
        self._queue: Deque[_Pending] = deque()
        self._wakeup: Optional[asyncio.Future] = None
        self._worker: Optional[asyncio.Task] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None  # set by start()
        self._alone = 0  # a fresh key for each request that cannot share a call
        self._batches: Dict[int, bool] = {}  # id(model) → model_batches(its metadata)
        self._instance_slots: Dict[int, asyncio.Semaphore] = {}  # id(model) → its free instances

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._worker = self._loop.create_task(self._run())
        self.metrics.queue_depth.set_function(lambda: len(self._queue))

    async def stop(self) -> None:
        """Serves what is still queued, then ends the worker (after the servers stopped taking requests)."""
        while any(not pending.future.done() for pending in self._queue):
            self._run_on_loop()  # requests whose handlers are gone; threaded ones are the worker's
            await asyncio.sleep(0.005)
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)

    @property
    def depth(self) -> int:
        return len(self._queue)

    async def submit(self, model: Model, inputs: Tensors, parameters: Dict[str, Any], timeout: float) -> Tensors:
        """The model's outputs for these inputs, computed alone or in a batch; Overloaded if the queue is full."""
        if len(self._queue) >= self.max_queue_length:
            raise Overloaded(self.max_queue_length)
        on_loop = not model.run_in_thread and not self.max_delay
        if on_loop and not self._queue and (self.max_batch_size == 1 or not self._others_ready()):
            # Alone, with nothing else about to run: a batch of one, now.
            self.metrics.observe_queue_wait(0.0)
            self.metrics.observe_batch(1)
            return model.predict(inputs)
        batches = self._batches.get(id(model))
        if batches is None:
            batches = self._batches[id(model)] = model_batches(model.metadata)
        key = batch_key(inputs, parameters) if batches and self.max_batch_size > 1 else None
        if key is None:
            self._alone += 1
            key = ("alone", self._alone)
        rows = next(iter(inputs.values())).shape[0] if inputs else 0
        future: "asyncio.Future[Tensors]" = self._loop.create_future()
        pending = _Pending((model, key), inputs, rows, future, None if on_loop else contextvars.copy_context())
        self._queue.append(pending)
        if on_loop:
            if self.max_batch_size > 1:
                try:
                    await asyncio.sleep(0)  # let the requests that arrived with this one queue up too
                except asyncio.CancelledError:
                    future.cancel()  # the caller is gone: no batch runs it
                    raise
            if not future.done():
                self._run_on_loop()
            return future.result()
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)
        # On timeout wait_for cancels the future: the worker then skips the request.
        return await asyncio.wait_for(future, timeout)

    def _others_ready(self) -> bool:
        """Whether other callbacks (e.g. request handlers just started) wait to run on the loop now.

        asyncio keeps them in its (private) _ready queue; a loop without one (uvloop) counts as busy, so the
        request yields once and may share its batch."""
        ready = getattr(self._loop, "_ready", None)
        return ready is None or len(ready) > 0

    def _run_on_loop(self) -> None:
        """Runs every queued batch of loop-run models now; hands the queue to the worker at a threaded one."""
        queue = self._queue
        while queue:
            head = queue[0]
            if head.key[0].run_in_thread or self.max_delay:
                if self._wakeup is not None and not self._wakeup.done():
                    self._wakeup.set_result(None)
                return
            batch = self._take(head.key, [])
            if batch:
                self._deliver(batch, self._call(batch))

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._queue:
                self._wakeup = loop.create_future()
                await self._wakeup
                continue
            slots = self._slots(self._queue[0].key[0])
            if slots is not None:
                # Wait for a free instance before taking the batch, so requests arriving meanwhile join it.
                await slots.acquire()
            batch = self._take(self._queue[0].key, []) if self._queue else []
            if not batch:
                if slots is not None:
                    slots.release()
                continue
            if self.max_delay > 0 and len(batch) < self.max_batch_size:
                deadline = batch[0].enqueued + self.max_delay
                while len(batch) < self.max_batch_size and time.perf_counter() < deadline:
                    self._wakeup = loop.create_future()
                    try:
                        await asyncio.wait_for(self._wakeup, deadline - time.perf_counter())
                    except asyncio.TimeoutError:
                        pass
                    batch = self._take(batch[0].key, batch)
            if slots is None:
                await self._execute(batch)
            else:
                loop.create_task(self._execute(batch)).add_done_callback(lambda _task, held=slots: held.release())

    def _slots(self, model: Model) -> Optional[asyncio.Semaphore]:
        """For a model with instances on several devices (Model.concurrency > 1): one slot per instance, so
        that many batches run at once. None for the usual single instance: batches then run one by one."""
        if model.concurrency <= 1:
            return None
        slots = self._instance_slots.get(id(model))
        if slots is None:
            slots = self._instance_slots[id(model)] = asyncio.Semaphore(model.concurrency)
        return slots

    def _take(self, key: Hashable, batch: List[_Pending]) -> List[_Pending]:
        """Moves queued requests with this key into the batch (up to the size), keeping the rest in order."""
        queue = self._queue
        if len(queue) == 1 and not batch:  # the lone request: no scan
            pending = queue.popleft()
            return [] if pending.future.done() else [pending]
        kept: Deque[_Pending] = deque()
        while queue:
            pending = queue.popleft()
            if pending.future.done():  # timed out (cancelled) while waiting
                continue
            if pending.key == key and len(batch) < self.max_batch_size:
                batch.append(pending)
            else:
                kept.append(pending)
                if len(batch) >= self.max_batch_size:
                    kept.extend(queue)
                    queue.clear()
        self._queue = kept
        return batch

    async def _execute(self, batch: List[_Pending]) -> None:
        model: Model = batch[0].key[0]
        if not model.run_in_thread:
            self._deliver(batch, self._call(batch))
            return
        self._observe(batch)
        try:
            results = await self._loop.run_in_executor(None, batch[0].context.run, run_batch, model, batch)
        except Exception as error:
            results = error
        self._deliver(batch, results)

    def _call(self, batch: List[_Pending]) -> Any:
        """The batch run on the loop: its outputs, or the model's exception."""
        self._observe(batch)
        try:
            return run_batch(batch[0].key[0], batch)
        except Exception as error:
            return error

    def _observe(self, batch: List[_Pending]) -> None:
        started = time.perf_counter()
        observe_wait = self.metrics.observe_queue_wait
        for pending in batch:
            observe_wait(started - pending.enqueued)
        self.metrics.observe_batch(len(batch))

    @staticmethod
    def _deliver(batch: List[_Pending], results: Any) -> None:
        """Each request's outputs, or the model's error for every request of the batch."""
        for index, pending in enumerate(batch):
            if pending.future.done():  # timed out meanwhile
                continue
            if isinstance(results, Exception):
                pending.future.set_exception(results)
            else:
                pending.future.set_result(results[index])


def run_batch(model: Model, batch: List[_Pending]) -> List[Tensors]:
    """One model call for the whole batch, split back by rows; one call each if the outputs do not split."""
    if len(batch) == 1:
        return [model.predict(batch[0].inputs)]
    names = list(batch[0].inputs)
    stacked = {name: np.concatenate([pending.inputs[name] for pending in batch]) for name in names}
    outputs = model.predict(stacked)
    total = sum(pending.rows for pending in batch)
    if any(np.ndim(array) == 0 or len(array) != total for array in outputs.values()):
        log.warning("the model's outputs do not have one row per input row: running the batch one by one")
        return [model.predict(pending.inputs) for pending in batch]
    offsets = np.cumsum([pending.rows for pending in batch])[:-1]
    split = {name: np.split(array, offsets) for name, array in outputs.items()}
    return [{name: parts[index] for name, parts in split.items()} for index in range(len(batch))]
