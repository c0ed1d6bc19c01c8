"""SIGTERM with a full queue: every request the service admitted is answered, over REST and gRPC alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import httpx

from ${{ values.pythonPackage }}.oip import open_inference_grpc_pb2_grpc as pb_grpc

from conftest import INFER, features_request
from test_grpc import free_port, infer_request

QUEUE = 6


def queue_depth(base: str) -> float:
    lines = httpx.get(f"{base}/metrics").text.splitlines()
    return next(float(line.split()[-1]) for line in lines if line.startswith("inference_queue_depth{"))


def test_sigterm_with_a_full_queue_loses_no_admitted_request(tmp_path):
    port, grpc_port = free_port(), free_port()
    gate = tmp_path / "gate"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["src", "tests"]), "HOST": "127.0.0.1", "PORT": str(port),
           "GRPC_PORT": str(grpc_port), "MODEL_URI": "", "MAX_BATCH_SIZE": "1", "MAX_QUEUE_LENGTH": str(QUEUE),
           "DRAIN_SECONDS": "0.3", "MODEL_DELAY_SECONDS": "0.02", "MODEL_GATE_FILE": str(gate)}
    root = Path(__file__).parent.parent
    process = subprocess.Popen([sys.executable, "tests/slow_service.py"], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/v2/health/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "the service did not get ready"
            time.sleep(0.05)

        with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel, ThreadPoolExecutor(12) as pool, \
                httpx.Client(timeout=30, limits=httpx.Limits(max_connections=16)) as client:
            stub = pb_grpc.GRPCInferenceServiceStub(channel)
            body = features_request([[6.7, 3.0, 5.2, 2.3]])
            rest = [pool.submit(client.post, base + INFER, json=body) for _ in range(12)]
            calls = [stub.ModelInfer.future(infer_request(), timeout=30) for _ in range(4)]
            # The model holds its first call: the queue fills, the rest are refused; then the signal
            # arrives, and only then is the model let go.
            deadline = time.monotonic() + 20
            while queue_depth(base) < QUEUE or sum(future.done() for future in rest) + sum(
                    call.done() for call in calls) < 16 - QUEUE - 1:
                assert time.monotonic() < deadline, "the queue never filled"
                time.sleep(0.01)
            process.send_signal(signal.SIGTERM)
            time.sleep(0.1)
            gate.touch()
            statuses = [future.result().status_code for future in rest]
            outcomes = []
            for call in calls:
                try:
                    call.result()
                    outcomes.append("ok")
                except grpc.RpcError as error:
                    outcomes.append(error.code().name)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
        logs = process.communicate()[0].decode()
    # Refusals happen only at the door (503 / UNAVAILABLE, before the queue); all the rest are answered.
    assert set(statuses) <= {200, 503} and set(outcomes) <= {"ok", "UNAVAILABLE"}, logs
    answered = statuses.count(200) + outcomes.count("ok")
    assert answered == QUEUE + 1, (statuses, outcomes)  # the queue and the call running at the signal
    assert "shutdown requested" in logs and '"exit_code": 0' in logs
