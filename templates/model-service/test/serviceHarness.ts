// Scaffolds the model-service skeleton and runs the generated Python service for the service tests:
// Debian's python3 (FastAPI 0.92, pydantic 1.10, uvicorn 0.17), on a free loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import { serviceValues, type ServiceSpecInput, type ServiceValues } from '@idp/service-spec';

export const SKELETON_DIR = fileURLToPath(new URL('../skeleton', import.meta.url));
export const PYTHON = '/usr/bin/python3';

export interface ScaffoldedService {
  dir: string;
  values: ServiceValues;
  remove(): Promise<void>;
}

export async function scaffoldService(spec: ServiceSpecInput): Promise<ScaffoldedService> {
  const values = serviceValues(spec, await loadPlatformContract());
  const root = await mkdtemp(path.join(tmpdir(), 'idp-service-'));
  const dir = path.join(root, values.name);
  await scaffold({ templateDir: SKELETON_DIR, targetDir: dir, values });
  generateGrpcStubs(dir);
  return { dir, values, remove: () => rm(root, { recursive: true, force: true }) };
}

/** `make proto`: the gRPC stubs, which the skeleton does not commit (Debian's python3-grpc-tools). */
export function generateGrpcStubs(dir: string): void {
  const result = run('make', ['proto', `PYTHON=${PYTHON}`], dir);
  if (result.status !== 0) throw new Error(`make proto failed:\n${result.output}`);
}

export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  // Plain output whatever the caller's terminal settings: the tests read it (pytest colours on FORCE_COLOR).
  const { FORCE_COLOR: _colour, ...inherited } = process.env;
  const plain = { ...inherited, PY_COLORS: '0', NO_COLOR: '1' };
  const result = spawnSync(command, args, { cwd, env: { ...plain, ...env }, encoding: 'utf-8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningService {
  url: string;
  port: number;
  /** The gRPC port (GRPC_PORT), also free. */
  grpcPort: number;
  process: ChildProcess;
  /** stdout + stderr so far: JSON log lines. */
  logs(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGKILL if still running; always safe to call. */
  kill(): Promise<void>;
}

/** Starts `python -m <package>` in a scaffolded service; resolves once /v2/health/live answers (unless told not to wait). */
export async function startService(
  service: ScaffoldedService,
  env: Record<string, string> = {},
  { waitLive = true } = {},
): Promise<RunningService> {
  const port = await freePort();
  const grpcPort = await freePort();
  const child = spawn(PYTHON, ['-m', service.values.pythonPackage], {
    cwd: service.dir,
    env: { ...process.env, PYTHONPATH: 'src', HOST: '127.0.0.1', PORT: String(port), GRPC_PORT: String(grpcPort), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  const running: RunningService = {
    url: `http://127.0.0.1:${port}`,
    port,
    grpcPort,
    process: child,
    logs: () => output,
    exited,
    kill: async () => {
      if (!ended) child.kill('SIGKILL');
      await exited;
    },
  };
  if (waitLive)
    await waitFor(
      async () => (await fetch(`${running.url}/v2/health/live`)).ok,
      20_000,
      () => ended,
      () => output,
    );
  return running;
}

/** Polls until the check passes; fails early when `gaveUp` says the process is gone. */
export async function waitFor(check: () => Promise<boolean>, ms: number, gaveUp = () => false, context = () => ''): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (gaveUp()) throw new Error(`the service exited:\n${context()}`);
    try {
      if (await check()) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the service:\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function waitUntilReady(service: RunningService): Promise<void> {
  await waitFor(
    async () => (await fetch(`${service.url}/v2/health/ready`)).status === 200,
    20_000,
    () => false,
    service.logs,
  );
}

export interface SlowBodyClient {
  /** Resolves once the server has closed the connection (or the client gave up), with what it answered. */
  closed: Promise<{ answer: string; closedAt: number; gaveUp: boolean }>;
}

/**
 * A client that sends an inference request's headers at once and then its body one byte every `everyMs`
 * (a slowloris on the body). It gives up, destroying the socket, after `giveUpMs`: a bound that fails the test.
 * `before` is written first on the same connection: complete requests that pipeline ahead of the slow one.
 */
export function slowBodyClient(port: number, path: string, { everyMs = 200, giveUpMs = 15_000, before = '' } = {}): SlowBodyClient {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  let gaveUp = false;
  let trickle: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    socket.write(`${before}POST ${path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    trickle = setInterval(() => socket.write(' '), everyMs);
  });
  socket.on('data', (chunk) => (answer += chunk));
  socket.on('error', () => undefined);
  const giveUp = setTimeout(() => {
    gaveUp = true;
    socket.destroy();
  }, giveUpMs);
  const closed = new Promise<{ answer: string; closedAt: number; gaveUp: boolean }>((resolve) =>
    socket.on('close', () => {
      clearInterval(trickle);
      clearTimeout(giveUp);
      resolve({ answer, closedAt: Date.now(), gaveUp });
    }),
  );
  return { closed };
}
