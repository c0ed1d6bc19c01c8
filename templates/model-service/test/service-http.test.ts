// The generated service, booted with uvicorn on a free port: every Open Inference Protocol endpoint
// answers with the spec's shapes (and the service's own openapi.yaml), malformed requests get a 4xx
// {"error"} and never a 5xx, and /metrics parses and moves as requests are served.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseChecker, type OipComponent } from './serviceOpenApi.js';
import {
  scaffoldService,
  slowBodyClient,
  startService,
  waitUntilReady,
  type RunningService,
  type ScaffoldedService,
} from './serviceHarness.js';

const MAX_REQUEST_BYTES = 65536;
const HEADER_TIMEOUT_SECONDS = 1;
const BODY_TIMEOUT_SECONDS = 1;
const DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'];
const SETOSA = [5.1, 3.5, 1.4, 0.2];
const VIRGINICA = [6.7, 3.0, 5.2, 2.3];

let service: ScaffoldedService;
let server: RunningService;
let checker: ResponseChecker;
let model: string;
let version: string;

beforeAll(async () => {
  service = await scaffoldService({ name: 'oip-check', modelName: 'iris', modelVersion: '3' });
  ({ modelName: model, modelVersion: version } = service.values);
  checker = new ResponseChecker(service.dir);
  server = await startService(service, {
    MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES),
    HEADER_TIMEOUT_SECONDS: String(HEADER_TIMEOUT_SECONDS),
    BODY_TIMEOUT_SECONDS: String(BODY_TIMEOUT_SECONDS),
  });
  await waitUntilReady(server);
});

afterAll(async () => {
  await server?.kill();
  await service?.remove();
});

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const response = await fetch(server.url + path, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Calls, then checks the answer against the OIP component and against openapi.yaml. */
async function conforming(method: string, path: string, component: OipComponent, body?: unknown): Promise<Answer> {
  const answer = await call(method, path, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(checker.oip(component, answer.body)).toEqual([]);
  expect(checker.documented(method, path, answer.status, answer.body)).toEqual([]);
  return answer;
}

const infer = (rows: number[][], extra: object = {}) => ({
  inputs: [{ name: 'features', shape: [rows.length, 4], datatype: 'FP32', data: rows }],
  ...extra,
});

describe('Open Inference Protocol endpoints', () => {
  it('health: live and ready', async () => {
    expect((await conforming('GET', '/v2/health/live', 'live_server_response')).body).toEqual({ live: true });
    expect((await conforming('GET', '/v2/health/ready', 'ready_server_response')).body).toEqual({ ready: true });
  });

  it('server metadata, with and without the trailing slash', async () => {
    for (const path of ['/v2', '/v2/']) {
      const { body } = await conforming('GET', path, 'metadata_server_response');
      expect(body).toEqual({ name: 'oip-check', version: '0.1.0', extensions: [] });
    }
  });

  it('model metadata and readiness, with and without the version', async () => {
    for (const base of [`/v2/models/${model}`, `/v2/models/${model}/versions/${version}`]) {
      const { body } = await conforming('GET', base, 'metadata_model_response');
      expect(body).toMatchObject({ name: model, versions: [version], platform: 'numpy' });
      for (const tensor of [...body.inputs, ...body.outputs]) {
        expect(DATATYPES).toContain(tensor.datatype);
        expect(tensor.shape.every((dim: number) => Number.isInteger(dim) && dim >= -1)).toBe(true);
      }
      expect((await conforming('GET', `${base}/ready`, 'ready_model_response')).body).toEqual({ name: model, ready: true });
    }
  });

  it('inference: correct answers in the spec shape, nested or flat data, on both paths', async () => {
    const request = infer([SETOSA, VIRGINICA], { id: 'req-1' });
    expect(checker.oip('inference_request', request)).toEqual([]);
    const nested = await conforming('POST', `/v2/models/${model}/infer`, 'inference_response', request);
    const flat = await conforming('POST', `/v2/models/${model}/versions/${version}/infer`, 'inference_response', {
      id: 'req-1',
      inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: [...SETOSA, ...VIRGINICA] }],
    });
    expect(flat.body).toEqual(nested.body);
    const { body } = nested;
    expect(body).toMatchObject({ model_name: model, model_version: version, id: 'req-1' });
    for (const output of body.outputs) {
      const elements = output.shape.reduce((a: number, b: number) => a * b, 1);
      expect(output.data).toHaveLength(elements);
      expect(DATATYPES).toContain(output.datatype);
    }
    const byName = Object.fromEntries(body.outputs.map((o: any) => [o.name, o]));
    expect(byName.label).toEqual({ name: 'label', datatype: 'BYTES', shape: [2], data: ['setosa', 'virginica'] });
    expect(byName.class_index.data).toEqual([0, 2]);
    expect(byName.probabilities.shape).toEqual([2, 3]);
  });

  it('has checkers that reject answers off the spec (so the checks above can fail)', () => {
    expect(checker.oip('inference_response', { outputs: [] })).not.toEqual([]);
    expect(checker.oip('metadata_tensor', { name: 'x', datatype: 'FP32', shape: ['1'] })).not.toEqual([]);
    expect(checker.documented('GET', '/v2/health/live', 200, { live: 'yes' })).not.toEqual([]);
    expect(checker.documented('POST', `/v2/models/${model}/infer`, 200, { model_name: model, outputs: [{ name: 'x' }] })).not.toEqual([]);
    expect(checker.documented('POST', `/v2/models/${model}/infer`, 418, {})).not.toEqual([]);
    expect(checker.documented('GET', '/v3', 200, {})).not.toEqual([]);
  });

  it('documents every path it serves in openapi.yaml, and nothing else', () => {
    expect(checker.documentedPaths().sort()).toEqual(
      [
        '/metrics',
        '/v2',
        '/v2/health/live',
        '/v2/health/ready',
        '/v2/models/{model_name}',
        '/v2/models/{model_name}/infer',
        '/v2/models/{model_name}/ready',
        '/v2/models/{model_name}/versions/{model_version}',
        '/v2/models/{model_name}/versions/{model_version}/infer',
        '/v2/models/{model_name}/versions/{model_version}/ready',
      ].sort(),
    );
  });

  it('echoes X-Request-ID and logs failed requests as JSON lines with it, without payloads', async () => {
    const ok = await call('POST', `/v2/models/${model}/infer`, infer([[5.987654, 3, 4, 1]]), { 'X-Request-ID': 'trace-ok-1' });
    expect(ok.headers.get('x-request-id')).toBe('trace-ok-1');
    const bad = infer([[5.987654, 3, 4]]);
    const failed = await call('POST', `/v2/models/${model}/infer`, bad, { 'X-Request-ID': 'trace-me-7' });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('x-request-id')).toBe('trace-me-7');
    const generated = (await call('GET', '/v2')).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f]{32}$/);
    await expect.poll(() => server.logs()).toContain('trace-me-7');
    const line = server
      .logs()
      .split('\n')
      .find((l) => l.includes('trace-me-7'))!;
    expect(JSON.parse(line)).toMatchObject({ request_id: 'trace-me-7', status: 400, level: 'info', path: `/v2/models/${model}/infer` });
    // Successes are logged at DEBUG only (LOG_LEVEL=INFO here); payloads never.
    expect(server.logs()).not.toContain('trace-ok-1');
    expect(server.logs()).not.toContain('5.987654');
  });
});

/** Sends raw bytes on a fresh connection; resolves with the status line and body. */
function rawRequest(head: string, bodyChunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received);
      if (end >= 0 && length && received.length >= end + 4 + Number(length[1])) {
        socket.destroy();
        resolve({ status: Number(received.split(' ')[1]), body: received.slice(end + 4) });
      }
    });
    socket.on('error', (error) => (received ? undefined : reject(error)));
    socket.write(head);
    for (const chunk of bodyChunks) socket.write(chunk);
  });
}

describe('malformed requests: a 4xx with {"error"}, never a 5xx, never a crash', () => {
  const path = () => `/v2/models/${model}/infer`;
  const CASES: Array<[string, () => [string, unknown], number]> = [
    ['bad JSON', () => [path(), '{"inputs": [}'], 400],
    ['empty body', () => [path(), ''], 400],
    ['not UTF-8', () => [path(), new Uint8Array([0xff, 0xfe, 0x7b])], 400],
    ['not an object', () => [path(), '[]'], 400],
    ['no inputs', () => [path(), {}], 400],
    ['wrong datatype', () => [path(), { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FLOAT', data: SETOSA }] }], 400],
    [
      'datatype the model does not take',
      () => [path(), { inputs: [{ name: 'features', shape: [1, 4], datatype: 'INT64', data: [1, 2, 3, 4] }] }],
      400,
    ],
    ['shape × data mismatch', () => [path(), { inputs: [{ name: 'features', shape: [3, 4], datatype: 'FP32', data: SETOSA }] }], 400],
    [
      'string data for FP32',
      () => [path(), { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: ['a', 'b', 'c', 'd'] }] }],
      400,
    ],
    ['shape not integers', () => [path(), { inputs: [{ name: 'features', shape: ['1', 4], datatype: 'FP32', data: SETOSA }] }], 400],
    ['unknown input', () => [path(), { inputs: [{ name: 'pixels', shape: [1, 4], datatype: 'FP32', data: SETOSA }] }], 400],
    ['deep nesting', () => [path(), '['.repeat(20000) + ']'.repeat(20000)], 400],
    ['unknown model', () => ['/v2/models/nope/infer', infer([SETOSA])], 404],
    ['unknown version', () => [`/v2/models/${model}/versions/99/infer`, infer([SETOSA])], 404],
    ['body over MAX_REQUEST_BYTES', () => [path(), infer(Array.from({ length: 4000 }, () => SETOSA))], 413],
  ];

  it.each(CASES)('%s', async (_label, make, status) => {
    const [target, body] = make();
    const answer = await call('POST', target, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(typeof answer.body.error).toBe('string');
    expect(answer.body.error.length).toBeGreaterThan(10);
    expect(checker.oip('inference_error_response', answer.body)).toEqual([]);
    expect(checker.documented('POST', target, status, answer.body)).toEqual([]);
  });

  it('refuses bodies a browser could post cross-origin without a preflight (text/plain, forms) with 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await call('POST', path(), infer([SETOSA]), { 'content-type': contentType });
      expect(answer.status, contentType).toBe(415);
      expect(answer.body.error).toContain('application/json');
      expect(checker.documented('POST', path(), 415, answer.body)).toEqual([]);
    }
  });

  it("answers with the caller's traceparent and logs its ids; ignores a malformed one", async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traced = await call('POST', path(), '{', { traceparent, 'X-Request-ID': 'traced-http-1' });
    expect(traced.status).toBe(400);
    expect(traced.headers.get('traceparent')).toBe(traceparent);
    await expect.poll(() => server.logs()).toContain('traced-http-1');
    const line = JSON.parse(
      server
        .logs()
        .split('\n')
        .find((l) => l.includes('traced-http-1'))!,
    );
    expect(line).toMatchObject({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
    const malformed = await call('POST', path(), infer([SETOSA]), { traceparent: '00-xyz-01' });
    expect(malformed.status).toBe(200);
    expect(malformed.headers.get('traceparent')).toBeNull();
  });

  it('refuses a declared huge body before reading it, and an undeclared (chunked) one as it streams', async () => {
    const declared = await rawRequest(
      `POST ${path()} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n`,
      [Buffer.from('{"inputs": [')],
    );
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toContain('MAX_REQUEST_BYTES');
    const chunk = Buffer.from('x'.repeat(16384));
    const chunked = await rawRequest(
      `POST ${path()} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      Array.from({ length: 6 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])),
    );
    expect(chunked.status).toBe(413);
  });

  it('answers unknown paths and methods with JSON errors, and is still healthy afterwards', async () => {
    expect((await call('GET', '/v3/nothing')).status).toBe(404);
    expect((await call('GET', '/v3/nothing')).body.error).toContain('/v2');
    const wrongMethod = await call('GET', `/v2/models/${model}/infer`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error).toBeTruthy();
    expect((await call('GET', '/v2/models/nope')).status).toBe(404);
    expect((await call('GET', `/v2/models/${model}/versions/99/ready`)).status).toBe(404);
    expect((await call('GET', '/v2/health/ready')).status).toBe(200);
    expect(server.logs()).not.toMatch(/Traceback|"level": "error"/);
  });
});

describe('slow clients', () => {
  it('closes connections whose headers do not arrive within HEADER_TIMEOUT_SECONDS, and keeps serving', async () => {
    // A bounded slowloris: 40 connections, most trickling one header byte every 200 ms, some silent.
    const started = Date.now();
    const closedAfter = await Promise.all(
      Array.from(
        { length: 40 },
        (_, index) =>
          new Promise<number>((resolve) => {
            const socket = connect(server.port, '127.0.0.1');
            let trickle: NodeJS.Timeout | undefined;
            socket.on('connect', () => {
              if (index % 4 === 0) return; // silent: connects and sends nothing
              socket.write(`POST /v2/models/${model}/infer HTTP/1.1\r\nHost: x\r\nX-Slow: `);
              trickle = setInterval(() => socket.write('a'), 200);
            });
            socket.on('error', () => undefined);
            const giveUp = setTimeout(() => socket.destroy(), 8000); // the bound: a connection still open then fails the test
            socket.on('close', () => {
              clearInterval(trickle);
              clearTimeout(giveUp);
              resolve(Date.now() - started);
            });
          }),
      ),
    );
    expect(Math.max(...closedAfter)).toBeLessThan(HEADER_TIMEOUT_SECONDS * 1000 + 3000);
    expect(Math.min(...closedAfter)).toBeGreaterThanOrEqual(HEADER_TIMEOUT_SECONDS * 1000 - 100);
    expect((await call('POST', `/v2/models/${model}/infer`, infer([SETOSA]))).status).toBe(200);
  });

  it('answers 408 and closes connections whose body does not arrive within BODY_TIMEOUT_SECONDS', async () => {
    // 30 clients whose headers are complete, each then sending one body byte every 200 ms: only the body
    // deadline can end them (the header timer has stopped, and the bytes keep the connection busy).
    const started = Date.now();
    const ended = await Promise.all(
      Array.from({ length: 30 }, () => slowBodyClient(server.port, `/v2/models/${model}/infer`, { giveUpMs: 8000 }).closed),
    );
    for (const { answer, closedAt, gaveUp } of ended) {
      expect(gaveUp).toBe(false);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('BODY_TIMEOUT_SECONDS');
      expect(closedAt - started).toBeGreaterThanOrEqual(BODY_TIMEOUT_SECONDS * 1000 - 100);
      expect(closedAt - started).toBeLessThan(BODY_TIMEOUT_SECONDS * 1000 + 3000);
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^inference_requests_total\{[^}]*code="408"[^}]*\} 30\.0$/m);
    expect((await call('POST', `/v2/models/${model}/infer`, infer([SETOSA]))).status).toBe(200);
  });

  it('times the body of each request on a kept-alive connection, pipelined ones too', async () => {
    const body = JSON.stringify(infer([SETOSA]));
    const first = `POST /v2/models/${model}/infer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const started = Date.now();
    const { answer, closedAt, gaveUp } = await slowBodyClient(server.port, `/v2/models/${model}/infer`, {
      before: first,
      giveUpMs: 8000,
    }).closed;
    expect(gaveUp).toBe(false);
    expect(answer).toMatch(/^HTTP\/1\.1 200 [\s\S]*"setosa"[\s\S]*HTTP\/1\.1 408 /);
    expect(closedAt - started).toBeLessThan(BODY_TIMEOUT_SECONDS * 1000 + 3000);
  });
});

describe('/metrics', () => {
  interface Family {
    name: string;
    type: string;
    metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }>;
  }
  // parse-prometheus-text-format merges a labelled histogram's series into one and drops their labels,
  // so the histogram's TYPE line is dropped before parsing: its _bucket/_count/_sum samples then parse
  // as untyped families with every label. The types are checked on the unmodified text.
  const text = async () => (await fetch(`${server.url}/metrics`)).text();
  const scrape = async (): Promise<Family[]> =>
    parsePrometheusTextFormat(
      (await text()).replace(
        /^# TYPE (inference_request_duration_seconds|inference_batch_size|inference_queue_wait_seconds) histogram\n/gm,
        '',
      ),
    );
  const family = (families: Family[], name: string) => {
    const found = families.find((f) => f.name === name);
    if (!found) throw new Error(`no metric family ${name}`);
    return found;
  };
  const value = (families: Family[], name: string, labels: Record<string, string>) =>
    Number(family(families, name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);

  it('exposes exactly the platform metric names, types and labels', async () => {
    const types = Object.fromEntries(parsePrometheusTextFormat(await text()).map((f: Family) => [f.name, f.type]));
    const families = await scrape();
    expect(types).toMatchObject({
      inference_requests_total: 'COUNTER',
      inference_request_duration_seconds: 'HISTOGRAM',
      inference_requests_in_flight: 'GAUGE',
      inference_errors_total: 'COUNTER',
      model_load_duration_seconds: 'GAUGE',
      model_ready: 'GAUGE',
      model_info: 'GAUGE',
      service_build_info: 'GAUGE',
      inference_batch_size: 'HISTOGRAM',
      inference_queue_wait_seconds: 'HISTOGRAM',
      inference_queue_depth: 'GAUGE',
    });
    const buckets = family(families, 'inference_request_duration_seconds_bucket').metrics;
    expect(buckets.every((b) => b.labels!.model === model && b.labels!.version === version)).toBe(true);
    const bounds = buckets
      .map((b) => b.labels!.le!)
      .filter((le) => le !== '+Inf')
      .map(Number);
    expect(Math.max(...bounds)).toBeGreaterThanOrEqual(300);
    expect(Math.min(...bounds)).toBeLessThanOrEqual(0.005);
    expect(buckets.map((b) => b.labels!.le)).toContain('+Inf');
    const errors = family(families, 'inference_errors_total').metrics;
    for (const protocol of ['rest', 'grpc']) {
      expect(
        errors
          .filter((m) => m.labels!.protocol === protocol)
          .map((m) => m.labels!.reason)
          .sort(),
      ).toEqual(['bad_request', 'internal', 'not_found', 'not_ready', 'out_of_memory', 'overloaded', 'too_large']);
    }
    expect(family(families, 'inference_requests_in_flight').metrics[0]!.labels).toEqual({ model });
    expect(family(families, 'inference_queue_depth').metrics[0]!.labels).toEqual({ model });
    expect(value(families, 'model_ready', { model, version })).toBe(1);
    expect(value(families, 'model_info', { model, version, source: 'bundled' })).toBe(1);
    expect(value(families, 'service_build_info', { version: '0.1.0', revision: 'unknown' })).toBe(1);
    expect(value(families, 'model_load_duration_seconds', { model, version })).toBeGreaterThan(0);
  });

  it('passes promtool check metrics (Prometheus naming rules)', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const ours = `${text
      .split('\n')
      .filter((line) => /^(# (HELP|TYPE) )?(inference_|model_|service_)/.test(line))
      .join('\n')}\n`;
    const result = spawnSync('promtool', ['check', 'metrics'], { input: ours, encoding: 'utf-8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('counts requests, errors and durations as they are served', async () => {
    const before = await scrape();
    await call('POST', `/v2/models/${model}/infer`, infer([SETOSA]));
    await call('POST', `/v2/models/${model}/infer`, infer([SETOSA]));
    await call('POST', `/v2/models/${model}/infer`, '{');
    await call('POST', '/v2/models/nope/infer', infer([SETOSA]));
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    const rest = { model, version, protocol: 'rest' };
    expect(delta('inference_requests_total', { ...rest, code: '200' })).toBe(2);
    expect(delta('inference_requests_total', { ...rest, code: '400' })).toBe(1);
    expect(delta('inference_requests_total', { ...rest, code: '404' })).toBe(1);
    expect(delta('inference_errors_total', { ...rest, reason: 'bad_request' })).toBe(1);
    expect(delta('inference_errors_total', { ...rest, reason: 'not_found' })).toBe(1);
    expect(delta('inference_batch_size_count', { model, version })).toBe(2);
    const count = (families: Family[]) => value(families, 'inference_request_duration_seconds_count', rest);
    expect(count(after) - count(before)).toBe(4);
    expect(value(after, 'inference_requests_in_flight', { model })).toBe(0);
  });
});
