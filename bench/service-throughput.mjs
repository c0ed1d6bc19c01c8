// Benchmark: the generated model service against a bare Starlette/uvicorn app running the same model
// computation (parse JSON → numpy → SoftmaxClassifier.predict → JSON), side by side in one run with wrk,
// on Debian's python3. Prints throughput ratio (target ≥ 0.90), added p99 (target ≤ 1 ms), the service's
// CPU per request, dynamic batching on vs off at 1, 8 and 32 concurrent clients (the ratio at 32 is the
// figure), gRPC vs REST for the same payload (both driven by bench/service-load.py, a time-bounded
// Python loop), and cold start: process start to ready, excluding the model load (target ≤ 1 s).
//
//   npm run bench:service [-- --seconds 3 --connections 8 --rounds 8 --cold-starts 5 --batch-rounds 5 --grpc-rounds 3]
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import { serviceValues } from '@idp/service-spec';
import { freePort, median, poll, PYTHON, startProcess, wrk as runWrk } from './serviceBench.mjs';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '8' },
    'cold-starts': { type: 'string', default: '5' },
    'batch-rounds': { type: 'string', default: '5' },
    'grpc-rounds': { type: 'string', default: '3' },
  },
});
const SKELETON = new URL('../templates/model-service/skeleton', import.meta.url).pathname;
const BODY = JSON.stringify({
  id: 'bench',
  inputs: [
    {
      name: 'features',
      shape: [2, 4],
      datatype: 'FP32',
      data: [
        [5.1, 3.5, 1.4, 0.2],
        [6.7, 3.0, 5.2, 2.3],
      ],
    },
  ],
});

// The baseline: what any hand-written endpoint must do for this model, and nothing else (no
// validation beyond numpy's, no metrics, no logs, no request ids).
const bareApp = (pkg) => `
import json
import numpy as np
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from ${pkg}.model_store import BUNDLED_MODEL_DIR
from ${pkg}.softmax_classifier import SoftmaxClassifier

model = SoftmaxClassifier.load(BUNDLED_MODEL_DIR)
specs = model.metadata.outputs

async def infer(request):
    payload = json.loads(await request.body())
    tensor = payload["inputs"][0]
    features = np.asarray(tensor["data"], dtype=np.float32).reshape(tensor["shape"])
    outputs = model.predict({"features": features})
    return JSONResponse({"model_name": "example-classifier", "model_version": "1", "id": payload.get("id"),
                         "outputs": [{"name": s.name, "datatype": s.datatype, "shape": list(outputs[s.name].shape),
                                      "data": outputs[s.name].reshape(-1).tolist()} for s in specs]})

app = Starlette(routes=[Route("/v2/models/example-classifier/infer", infer, methods=["POST"])])
`;

// CPU time per request inside each app (ASGI calls in one process, no HTTP server, no wrk): robust
// to other load on the machine, since process_time counts only this process's CPU.
const cpuProbe = (pkg) => `
import asyncio, json, logging, os, sys, time
from ${pkg}.app import create_app
from ${pkg}.config import Settings
from ${pkg}.logs import configure_logging
import bare_app
configure_logging("INFO")
logging.getLogger().handlers[0].stream = open(os.devnull, "w")
BODY = ${JSON.stringify(BODY)}.encode()
service = create_app(Settings(model_uri="", grpc_port=0))

async def call(app, scope):
    sent = False
    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": BODY, "more_body": False}
        await asyncio.sleep(3600)
    async def send(message):
        pass
    await app(dict(scope), receive, send)

async def main():
    queue, replies = asyncio.Queue(), asyncio.Queue()
    await queue.put({"type": "lifespan.startup"})
    asyncio.ensure_future(service({"type": "lifespan", "asgi": {"version": "3.0"}}, queue.get, replies.put))
    await replies.get()
    while service.state.service.model is None:
        await asyncio.sleep(0.01)
    path = "/v2/models/example-classifier/infer"
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"x"), (b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 2)}
    samples = {"bare": [], "service": []}
    for _ in range(10):
        for name, app in (("bare", bare_app.app), ("service", service)):
            start = time.process_time()
            for _ in range(1000):
                await call(app, scope)
            samples[name].append((time.process_time() - start) * 1000)
    print(json.dumps({name: sorted(values)[len(values) // 2] for name, values in samples.items()}))

asyncio.run(main())
`;

async function startGenerated(dir, pkg, env = {}) {
  const port = await freePort();
  const grpcPort = await freePort();
  const proc = startProcess(['-m', pkg], dir, {
    HOST: '127.0.0.1',
    PORT: String(port),
    GRPC_PORT: String(grpcPort),
    DRAIN_SECONDS: '0',
    ...env,
  });
  await poll(`http://127.0.0.1:${port}/v2/health/ready`);
  return { ...proc, url: `http://127.0.0.1:${port}`, port, grpcPort };
}

async function startBare(dir) {
  const port = await freePort();
  const proc = startProcess(
    ['-m', 'uvicorn', 'bare_app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning', '--no-access-log'],
    dir,
    { PYTHONPATH: `src${path.delimiter}${dir}` },
  );
  await poll(`http://127.0.0.1:${port}/v2/models/example-classifier/infer`, (r) => r.status === 405);
  return { ...proc, url: `http://127.0.0.1:${port}` };
}

function wrk(url, script, seconds = options.seconds, connections = options.connections) {
  return runWrk(url, script, seconds, connections);
}

async function coldStarts(dir, pkg, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const started = performance.now();
    const proc = startProcess(['-m', pkg], dir, { HOST: '127.0.0.1', PORT: String(port), GRPC_PORT: String(await freePort()) });
    const base = `http://127.0.0.1:${port}`;
    await poll(`${base}/v2/health/live`);
    const live = performance.now() - started;
    await poll(`${base}/v2/health/ready`);
    const ready = performance.now() - started;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const load = 1000 * Number(/^model_load_duration_seconds\{[^}]*\} (\S+)$/m.exec(metrics)[1]);
    samples.push({ live, ready, load, readyWithoutLoad: ready - load });
    await proc.stop();
  }
  return samples;
}

const root = await mkdtemp(path.join(tmpdir(), 'idp-bench-'));
try {
  const values = serviceValues({ name: 'bench-service' }, await loadPlatformContract());
  const dir = path.join(root, values.name);
  await scaffold({ templateDir: SKELETON, targetDir: dir, values });
  const proto = spawnSync('make', ['proto', `PYTHON=${PYTHON}`], { cwd: dir, encoding: 'utf-8' });
  if (proto.status !== 0) throw new Error(`make proto failed: ${proto.stdout}${proto.stderr}`);
  await writeFile(path.join(dir, 'bare_app.py'), bareApp(values.pythonPackage));
  const script = path.join(root, 'post.lua');
  await writeFile(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(BODY)}\n`);

  const uvicorn = spawnSync(
    PYTHON,
    ['-c', 'import uvicorn, fastapi, starlette; print(uvicorn.__version__, fastapi.__version__, starlette.__version__)'],
    { encoding: 'utf-8' },
  ).stdout.trim();
  console.log(
    `python ${PYTHON}; uvicorn/fastapi/starlette ${uvicorn}; wrk -t1 -c${options.connections} -d${options.seconds}s × ${options.rounds} alternating slices each`,
  );
  console.log(
    `load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs (other work on the machine skews every number)`,
  );

  // Both servers run for the whole comparison; short wrk slices alternate between them, so a burst of
  // load from elsewhere on the machine hits both alike. Medians over the slices.
  const servers = { bare: await startBare(dir), service: await startGenerated(dir, values.pythonPackage) };
  const results = { bare: [], service: [] };
  try {
    for (const kind of ['bare', 'service']) wrk(servers[kind].url, script, '1'); // warm-up, discarded
    for (let round = 0; round < Number(options.rounds); round++) {
      for (const kind of round % 2 === 0 ? ['bare', 'service'] : ['service', 'bare']) {
        results[kind].push(wrk(servers[kind].url, script));
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  for (const kind of ['bare', 'service']) {
    const r = results[kind];
    const failed = r.reduce((n, x) => n + x.errors, 0);
    console.log(
      `${kind.padEnd(8)} median ${median(r.map((x) => x.rps))
        .toFixed(0)
        .padStart(6)} req/s  p50 ${median(r.map((x) => x.p50)).toFixed(2)} ms  ` +
        `p99 ${median(r.map((x) => x.p99)).toFixed(2)} ms  non-2xx ${failed}  slices: ${r.map((x) => x.rps.toFixed(0)).join(' ')}`,
    );
  }
  // Paired per round: each service slice against the bare slice next to it.
  const ratio = median(results.service.map((r, i) => r.rps / results.bare[i].rps));
  const addedP99 = median(results.service.map((r, i) => r.p99 - results.bare[i].p99));
  console.log(
    `throughput ratio (service / bare, median of paired slices): ${ratio.toFixed(3)}  target ≥ 0.90  ${ratio >= 0.9 ? 'MET' : 'MISSED'}`,
  );
  console.log(`added p99 (median of paired slices): ${addedP99.toFixed(3)} ms  target ≤ 1 ms  ${addedP99 <= 1 ? 'MET' : 'MISSED'}`);

  await writeFile(path.join(dir, 'cpu_probe.py'), cpuProbe(values.pythonPackage));
  const probe = spawnSync(PYTHON, ['cpu_probe.py'], {
    cwd: dir,
    env: { ...process.env, PYTHONPATH: `src${path.delimiter}${dir}` },
    encoding: 'utf-8',
  });
  if (probe.status !== 0) throw new Error(`cpu probe failed: ${probe.stderr}`);
  const cpu = JSON.parse(probe.stdout.trim().split('\n').pop());
  console.log(
    `app CPU per request (in-process ASGI, median of 10×1000): bare ${cpu.bare.toFixed(1)} µs, service ${cpu.service.toFixed(1)} µs, ` +
      `added ${(cpu.service - cpu.bare).toFixed(1)} µs`,
  );

  await batchingOnVsOff(dir, values.pythonPackage, script);
  await grpcVsRest(dir, values.pythonPackage);

  const cold = await coldStarts(dir, values.pythonPackage, Number(options['cold-starts']));
  const m = (key) => median(cold.map((s) => s[key]));
  console.log(
    `cold start (median of ${cold.length}): live ${m('live').toFixed(0)} ms, ready ${m('ready').toFixed(0)} ms, ` +
      `model load ${m('load').toFixed(1)} ms, ready excluding load ${m('readyWithoutLoad').toFixed(0)} ms  target ≤ 1000 ms  ` +
      `${m('readyWithoutLoad') <= 1000 ? 'MET' : 'MISSED'}`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}

// Dynamic batching on (the defaults) vs off (MAX_BATCH_SIZE=1), both servers up, slices alternating.
async function batchingOnVsOff(dir, pkg, script) {
  const servers = { on: await startGenerated(dir, pkg), off: await startGenerated(dir, pkg, { MAX_BATCH_SIZE: '1' }) };
  const seconds = '2';
  try {
    const rows = [];
    for (const connections of [1, 8, 32]) {
      const results = { on: [], off: [] };
      for (let round = 0; round < Number(options['batch-rounds']); round++) {
        for (const kind of round % 2 === 0 ? ['on', 'off'] : ['off', 'on'])
          results[kind].push(wrk(servers[kind].url, script, seconds, connections));
      }
      const ratio = median(results.on.map((r, i) => r.rps / results.off[i].rps));
      const show = (kind) =>
        `${median(results[kind].map((x) => x.rps))
          .toFixed(0)
          .padStart(6)} req/s p99 ${median(results[kind].map((x) => x.p99)).toFixed(2)} ms`;
      rows.push({ connections, ratio });
      console.log(`batching ${String(connections).padStart(2)} clients: on ${show('on')}  off ${show('off')}  on/off ${ratio.toFixed(3)}`);
    }
    // A fresh connection: the pooled one from the readiness poll may have been closed by the server meanwhile.
    const metrics = await (
      await fetch(`${servers.on.url}/metrics`, { headers: { connection: 'close' } }).catch(() =>
        fetch(`${servers.on.url}/metrics`, { headers: { connection: 'close' } }),
      )
    ).text();
    const sample = (name) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    const calls = sample('inference_batch_size_count');
    console.log(
      `batching figure (on / off at 32 clients, median of paired slices): ${rows.at(-1).ratio.toFixed(3)}; ` +
        `batching on: ${(sample('inference_batch_size_sum') / calls).toFixed(2)} requests per model call on average over ${calls} calls`,
    );
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
}

// gRPC vs REST against one service, the same payload, both from bench/service-load.py (Python loops).
async function grpcVsRest(dir, pkg) {
  const server = await startGenerated(dir, pkg);
  const load = fileURLToPath(new URL('./service-load.py', import.meta.url));
  const connections = options.connections;
  const run = (protocol) => {
    const port = protocol === 'rest' ? server.port : server.grpcPort;
    const result = spawnSync(PYTHON, [load, protocol, String(port), connections, options.seconds, pkg], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: 'src' },
      encoding: 'utf-8',
    });
    if (result.status !== 0) throw new Error(`service-load.py ${protocol} failed: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop());
  };
  try {
    run('rest');
    run('grpc'); // warm-up, discarded
    const results = { rest: [], grpc: [] };
    for (let round = 0; round < Number(options['grpc-rounds']); round++) {
      for (const protocol of round % 2 === 0 ? ['rest', 'grpc'] : ['grpc', 'rest']) results[protocol].push(run(protocol));
    }
    for (const protocol of ['rest', 'grpc']) {
      const r = results[protocol];
      console.log(
        `${protocol.padEnd(4)} (Python client, ${connections} concurrent): ${median(r.map((x) => x.rps))
          .toFixed(0)
          .padStart(6)} req/s  ` +
          `p50 ${median(r.map((x) => x.p50)).toFixed(2)} ms  p99 ${median(r.map((x) => x.p99)).toFixed(2)} ms  errors ${r.reduce((n, x) => n + x.errors, 0)}`,
      );
    }
    const ratio = median(results.grpc.map((r, i) => r.rps / results.rest[i].rps));
    console.log(`gRPC / REST throughput (median of paired slices): ${ratio.toFixed(3)}`);
  } finally {
    await server.stop();
  }
}
