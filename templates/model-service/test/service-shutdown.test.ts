// The generated service's life cycle as a real process: SIGTERM under load loses no request, a
// request in flight when the drain ends still completes while new connections are refused, the
// process exits 0; a model that cannot load, or a bad setting, ends it with a clear error.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PYTHON,
  run,
  scaffoldService,
  slowBodyClient,
  startService,
  waitFor,
  waitUntilReady,
  type RunningService,
  type ScaffoldedService,
} from './serviceHarness.js';

let service: ScaffoldedService;
const started: RunningService[] = [];

beforeAll(async () => {
  service = await scaffoldService({ name: 'drain-check' });
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.kill()));
  await service?.remove();
});

async function start(env: Record<string, string>, options?: { waitLive: boolean }): Promise<RunningService> {
  const running = await startService(service, env, options);
  started.push(running);
  return running;
}

const BODY = JSON.stringify({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [6.7, 3.0, 5.2, 2.3] }] });

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown', () => {
  it('loses no request when SIGTERM arrives under concurrent load, and exits 0', async () => {
    // The drain must outlast the watcher noticing readiness turn false, even on a loaded machine.
    const server = await start({ DRAIN_SECONDS: '4' });
    await waitUntilReady(server);
    const infer = `${server.url}/v2/models/example-classifier/infer`;
    let stop = false;
    let signalled = false;
    const failures: string[] = [];
    let served = 0;
    let servedWhileDraining = 0;

    // Like a load balancer: stop sending new requests once readiness turns false.
    const watcher = (async () => {
      while (!stop) {
        const ready = await fetch(`${server.url}/v2/health/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (signalled && ready === 503) stop = true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const worker = async () => {
      while (!stop) {
        try {
          const response = await fetch(infer, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } });
          const body = (await response.json()) as { outputs?: Array<{ data?: unknown[] }> };
          if (response.status !== 200 || body.outputs?.[1]?.data?.[0] !== 'virginica')
            failures.push(`${response.status} ${JSON.stringify(body)}`);
          else if (signalled) servedWhileDraining += 1;
          else served += 1;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await waitFor(async () => served >= 100, 30_000);
    signalled = true;
    server.process.kill('SIGTERM');
    await Promise.all([watcher, ...workers]);

    expect(failures).toEqual([]);
    expect(servedWhileDraining).toBeGreaterThan(0);
    expect(await server.exited).toBe(0);
    expect(server.logs()).toContain('shutdown requested: readiness is false, draining');
    expect(server.logs()).toContain('"exit_code": 0');
  });

  it('finishes a request in flight after the drain while refusing new connections', async () => {
    const server = await start({ DRAIN_SECONDS: '0.2' });
    await waitUntilReady(server);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Headers and half the body now; the rest only once the server has stopped accepting.
    const half = BODY.length >> 1;
    socket.write(
      `POST /v2/models/example-classifier/infer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY.slice(0, half)}`,
    );
    // In flight: the handler has started and is waiting for the rest of the body.
    const inFlight = /^inference_requests_in_flight\{model="example-classifier"\} 1\.0$/m;
    await waitFor(async () => inFlight.test(await (await fetch(`${server.url}/metrics`)).text()), 10_000);

    server.process.kill('SIGTERM');
    await waitFor(
      () => refusesConnections(server.port),
      20_000,
      () => false,
      server.logs,
    );
    socket.write(BODY.slice(half));
    await closed;

    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"virginica"');
    expect(await server.exited).toBe(0);
  });
});

describe('slow request bodies at shutdown', () => {
  it('closes connections still sending a body when the drain ends, and exits within its deadline', async () => {
    // The body deadline is far off, so only the drain's own deadline (DRAIN_SECONDS + REQUEST_TIMEOUT_SECONDS
    // after SIGTERM) can end these requests.
    const drainSeconds = 0.2;
    const requestTimeoutSeconds = 1;
    const server = await start({
      DRAIN_SECONDS: String(drainSeconds),
      REQUEST_TIMEOUT_SECONDS: String(requestTimeoutSeconds),
      BODY_TIMEOUT_SECONDS: '60',
    });
    await waitUntilReady(server);
    const clients = Array.from({ length: 20 }, () => slowBodyClient(server.port, '/v2/models/example-classifier/infer'));
    const inFlight = /^inference_requests_in_flight\{model="example-classifier"\} 20\.0$/m;
    await waitFor(
      async () => inFlight.test(await (await fetch(`${server.url}/metrics`)).text()),
      10_000,
      () => false,
      server.logs,
    );

    const signalled = Date.now();
    server.process.kill('SIGTERM');
    const code = await server.exited;
    const exitedAfter = Date.now() - signalled;
    const ended = await Promise.all(clients.map((client) => client.closed));

    expect(code).toBe(0);
    expect(exitedAfter).toBeGreaterThanOrEqual((drainSeconds + requestTimeoutSeconds) * 1000 - 100);
    expect(exitedAfter).toBeLessThan((drainSeconds + requestTimeoutSeconds) * 1000 + 3000);
    for (const { answer, gaveUp } of ended) {
      expect(gaveUp).toBe(false);
      expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    }
    expect(server.logs()).toContain('"closed": 20');
  });
});

describe('start-up failures', () => {
  it('exits 1 when the model cannot be loaded, naming the missing client library', async () => {
    // It may exit before answering a single probe: do not wait for /v2/health/live.
    const server = await start({ MODEL_URI: 's3://models/fraud/1' }, { waitLive: false });
    expect(await server.exited).toBe(1);
    expect(server.logs()).toContain('needs the Python package boto3');
    expect(server.logs()).toContain('"level": "error"');
  });

  it('exits 2 on invalid settings, naming each variable, its rule and an example', () => {
    const result = run(PYTHON, ['-m', service.values.pythonPackage], service.dir, {
      PYTHONPATH: 'src',
      PORT: 'eighty',
      MAX_REQUEST_BYTES: '12',
    });
    expect(result.status).toBe(2);
    expect(result.output).toContain('PORT must be a whole number from 1 to 65535');
    expect(result.output).toContain('e.g. MAX_REQUEST_BYTES=8388608');
  });
});
