// Benchmark: one service created through the portal (a scaffolder dry-run round trip against the
// real portal backend, `npm run portal`'s code and config on a free port) against `idp new` (the
// real CLI process writing into a fresh directory), side by side, same values, in one run.
// Also times the backend's start-up to readiness and checks both doors wrote the same files.
//   npm run bench:portal             (builds the CLI and its libraries first)
//   BENCH_ITERATIONS=10 npm run bench:portal
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 5);
const TEMPLATE_DIR = path.join(ROOT, 'templates/model-service');
const BACKEND_DIR = path.join(ROOT, 'platform/backstage/backend');
// The parity helpers the backend's tests use (plain erasable TypeScript, loaded by Node 24).
const parity = (file) => import(path.join(BACKEND_DIR, 'src/parity/__testUtils__', file));
const { dryRunRequest } = await parity('dryRunRequest.ts');
const { filesFromDryRun } = await parity('generatedFiles.ts');
const { firstDifference } = await parity('firstDifference.ts');

const VALUES = {
  name: 'bench-ranker',
  description: 'Ranks "things" — fast ✓',
  owner: 'group:default/ml-team',
  repoUrl: 'github.com?owner=acme&repo=bench-ranker',
  gpuType: 'nvidia-l4',
  gpuCount: 1,
  minReplicas: 2,
  maxReplicas: 4,
};

const work = await mkdtemp(path.join(os.tmpdir(), 'idp-bench-portal-'));
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
await writeFile(
  path.join(work, 'app-config.bench.yaml'),
  `backend:\n  baseUrl: ${baseUrl}\n  listen: { port: ${port}, host: 127.0.0.1 }\n`,
);

// --- the portal backend, started as `npm run portal` starts it, on a free port
const startedAt = performance.now();
const portal = spawn(
  path.join(ROOT, 'node_modules/.bin/backstage-cli'),
  ['package', 'start', '--config', '../app-config.yaml', '--config', path.join(work, 'app-config.bench.yaml')],
  { cwd: BACKEND_DIR, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
);
let portalErrors = '';
portal.stderr.on('data', (chunk) => (portalErrors += chunk));
const stopPortal = () => {
  try {
    process.kill(-portal.pid, 'SIGTERM'); // the CLI and the backend process it spawned
  } catch {}
};
process.on('exit', stopPortal);

try {
  await waitUntilReady(`${baseUrl}/.backstage/health/v1/readiness`, 120_000);
  const startupMs = performance.now() - startedAt;
  const body = JSON.stringify(await dryRunRequest(TEMPLATE_DIR, VALUES));
  await writeFile(path.join(work, 'values.json'), JSON.stringify(VALUES));

  const portalTimes = [];
  const cliTimes = [];
  let portalFiles;
  let cliFiles;
  // One warm-up round of each (JIT, caches), then alternate so both see the same machine load.
  for (let round = 0; round <= ITERATIONS; round++) {
    let start = performance.now();
    const response = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const result = await response.json();
    if (response.status !== 200) throw new Error(`dry-run answered ${response.status}: ${JSON.stringify(result)}`);
    portalFiles = filesFromDryRun(result.directoryContents);
    const portalMs = performance.now() - start;

    const out = path.join(work, `cli-${round}`);
    start = performance.now();
    await run(path.join(ROOT, 'node_modules/.bin/idp'), [
      'new',
      'model-service',
      '--yes',
      '--values',
      path.join(work, 'values.json'),
      '--out',
      out,
      '--json',
    ]);
    const cliMs = performance.now() - start;
    cliFiles = await filesOnDisk(out);

    if (round > 0) {
      portalTimes.push(portalMs);
      cliTimes.push(cliMs);
    }
  }

  const difference = firstDifference(cliFiles, portalFiles);
  const portalMedian = median(portalTimes);
  const cliMedian = median(cliTimes);
  console.log(`portal vs idp new — model-service, ${portalFiles.size} files, median of ${ITERATIONS} rounds each`);
  console.log(`  portal backend start-up to readiness   ${startupMs.toFixed(0).padStart(7)} ms`);
  console.log(
    `  portal dry-run round trip (HTTP)       ${portalMedian.toFixed(1).padStart(7)} ms   (min ${Math.min(...portalTimes).toFixed(1)}, max ${Math.max(...portalTimes).toFixed(1)})`,
  );
  console.log(
    `  idp new (new CLI process, writes disk) ${cliMedian.toFixed(1).padStart(7)} ms   (min ${Math.min(...cliTimes).toFixed(1)}, max ${Math.max(...cliTimes).toFixed(1)})`,
  );
  console.log(`  ratio portal / idp new                 ${(portalMedian / cliMedian).toFixed(2).padStart(7)}`);
  console.log(`  same files, bytes and modes            ${difference === undefined ? 'yes' : `NO — ${difference}`}`);
  if (difference !== undefined) process.exitCode = 1;
} catch (error) {
  console.error(portalErrors.slice(-4000));
  throw error;
} finally {
  stopPortal();
  await rm(work, { recursive: true, force: true });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitUntilReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (portal.exitCode !== null) throw new Error(`the portal exited with ${portal.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the portal was not ready within ${timeoutMs} ms`);
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** The files idp new wrote, in the shape the portal's dry-run returns them. */
async function filesOnDisk(dir) {
  const files = new Map();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { mode } = await stat(file);
    files.set(path.relative(dir, file).split(path.sep).join('/'), { content: await readFile(file), executable: (mode & 0o111) !== 0 });
  }
  return files;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
