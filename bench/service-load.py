"""A closed-loop load generator for the generated model service, over REST or gRPC, bounded in time.

Both protocols are driven the same way from Python (asyncio, CONCURRENCY callers each sending the next
request as soon as the last one answered, the same payload), so their figures compare: wrk is faster
than any Python client, and would flatter REST. Run by service-throughput.mjs with /usr/bin/python3 and
PYTHONPATH=src in a scaffolded service whose gRPC stubs were generated (make proto).

  service-load.py rest|grpc PORT CONCURRENCY SECONDS PACKAGE  →  {"rps", "p50", "p99", "errors"} on stdout
"""

import asyncio
import importlib
import json
import sys
import time

ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]
MODEL = "example-classifier"


async def rest_caller(port: int, deadline: float, latencies: list, errors: list) -> None:
    body = json.dumps({"id": "bench", "inputs": [{"name": "features", "shape": [2, 4], "datatype": "FP32",
                                                  "data": ROWS}]}).encode()
    request = (f"POST /v2/models/{MODEL}/infer HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(head.split(b"\r\n", 1)[0].decode())
    finally:
        writer.close()


async def grpc_callers(port: int, concurrency: int, deadline: float, package: str, latencies: list,
                       errors: list) -> None:
    import grpc
    pb = importlib.import_module(f"{package}.oip.open_inference_grpc_pb2")
    pb_grpc = importlib.import_module(f"{package}.oip.open_inference_grpc_pb2_grpc")
    tensor = pb.ModelInferRequest.InferInputTensor(name="features", datatype="FP32", shape=[2, 4])
    tensor.contents.fp32_contents.extend(value for row in ROWS for value in row)
    request = pb.ModelInferRequest(model_name=MODEL, id="bench", inputs=[tensor])
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.GRPCInferenceServiceStub(channel)

        async def caller() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    await stub.ModelInfer(request, timeout=10)
                except grpc.aio.AioRpcError as error:
                    errors.append(error.code().name)
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(caller() for _ in range(concurrency)))


async def main(protocol: str, port: int, concurrency: int, seconds: float, package: str) -> dict:
    latencies: list = []
    errors: list = []
    started = time.perf_counter()
    deadline = started + seconds
    if protocol == "rest":
        await asyncio.gather(*(rest_caller(port, deadline, latencies, errors) for _ in range(concurrency)))
    else:
        await grpc_callers(port, concurrency, deadline, package, latencies, errors)
    elapsed = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0  # noqa: E731
    return {"rps": len(latencies) / elapsed, "p50": pick(0.5), "p99": pick(0.99), "errors": len(errors)}


if __name__ == "__main__":
    protocol, port, concurrency, seconds, package = sys.argv[1:6]
    print(json.dumps(asyncio.run(main(protocol, int(port), int(concurrency), float(seconds), package))))
