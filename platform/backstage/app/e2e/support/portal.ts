import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ARTIFACTS_DIR, BACKEND_DIR, BACKSTAGE_DIR, REPO_ROOT } from './paths';

const require = createRequire(import.meta.url);

export interface PortalOptions {
  /** Config merged over app-config.yaml (later wins; arrays are replaced whole). */
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Name of the log file under test-artifacts/portal-e2e/. */
  logName?: string;
}

export interface Portal {
  /** http://127.0.0.1:PORT — the app and every backend API. */
  baseUrl: string;
  /** Milliseconds from spawn to a ready health check. */
  startupMs: number;
  logFile: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real portal backend (platform/backstage/backend/src/index.ts with app-config.yaml,
 * as `npm run portal` does) on a free port, with an extra config file for the test, and waits
 * for /.backstage/health/v1/readiness.
 */
export async function startPortal(options: PortalOptions = {}): Promise<Portal> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const configDir = await mkdtemp(join(tmpdir(), 'idp-portal-e2e-'));
  const overlay = deepMerge(
    {
      app: { baseUrl },
      backend: { baseUrl, listen: { port, host: '127.0.0.1' }, cors: { origin: baseUrl } },
    },
    options.config ?? {},
  );
  const overlayFile = join(configDir, 'app-config.e2e.yaml');
  // JSON is YAML: no YAML dependency needed to write it.
  await writeFile(overlayFile, JSON.stringify(overlay, null, 2));

  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const logFile = join(ARTIFACTS_DIR, `${options.logName ?? 'portal'}.log`);
  const log = createWriteStream(logFile);
  const started = Date.now();
  // What `backstage-cli package start` runs, minus its file watcher: other work in the checkout
  // must not restart the backend in the middle of a test.
  const child = spawn(
    nodeBinary(),
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      join(BACKSTAGE_DIR, 'app-config.yaml'),
      '--config',
      overlayFile,
    ],
    {
      cwd: BACKEND_DIR,
      // Its own process group, so stop() ends everything the backend started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        ESBK_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json'),
        ...options.env,
      },
    },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });

  // The backend has a process group of its own, so nothing ends it with this process: a test run
  // interrupted before stop() (Ctrl-C, a TERM to the run) ends it here.
  const endWithThisProcess = (signal: NodeJS.Signals) => {
    killGroupNow(child);
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  const onExit = () => killGroupNow(child);
  process.once('SIGINT', endWithThisProcess);
  process.once('SIGTERM', endWithThisProcess);
  process.once('exit', onExit);
  const stop = async () => {
    process.off('SIGINT', endWithThisProcess);
    process.off('SIGTERM', endWithThisProcess);
    process.off('exit', onExit);
    await killGroup(child);
    log.end();
    await rm(configDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(baseUrl, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, startupMs: Date.now() - started, logFile, stop };
}

/** The Node the native addons were built for (the repo's Node 24), not whichever ran vitest. */
function nodeBinary(): string {
  const repoNode = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(repoNode) ? repoNode : process.execPath;
}

async function waitForReady(baseUrl: string, child: ChildProcess, logFile: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the portal exited with code ${exited} before it was ready; see ${logFile}`);
    try {
      const response = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the portal was not ready within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** SIGKILL to the backend's whole group, synchronously (for exit and signal handlers). */
function killGroupNow(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function killGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
