import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import { serviceValues } from '@idp/service-spec';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '@idp/github-emulator';

const run = promisify(execFile);

export const FIXTURE_TEMPLATE = fileURLToPath(new URL('./fixtures/service-template/skeleton', import.meta.url));

/** Publishing without real waits: Retry-After seconds become milliseconds, writes are not paced. */
export const FAST = { backoffUnitMs: 1, paceWrites: false };

const cleanups: Array<() => Promise<void>> = [];

export async function cleanUp(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A freshly scaffolded service (the real renderer over a small fixture template) aimed at `host`. */
export async function scaffoldService(host: string, spec: Record<string, unknown> = {}): Promise<string> {
  const platform = await loadPlatformContract();
  const name = (spec.name as string | undefined) ?? 'fraud-detector';
  const values = serviceValues(
    { name, description: 'Scores "card" transactions — ünïcode ${{ x }}', repoUrl: `${host}?owner=acme&repo=${name}`, ...spec },
    platform,
    { enterpriseHosts: [host] },
  );
  const targetDir = join(await tempDir('idp-publish-service-'), name);
  await scaffold({ templateDir: FIXTURE_TEMPLATE, targetDir, values, scmHosts: { [host]: 'github' } });
  return targetDir;
}

/** A stand-in for Backstage's catalog locations API: GET and POST /api/catalog/locations. */
export interface CatalogStub {
  url: string;
  targets(): string[];
  posts(): number;
  /** The next `count` requests answer 503. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

export async function startCatalogStub(): Promise<CatalogStub> {
  const locations: Array<{ id: string; type: string; target: string }> = [];
  let posts = 0;
  let failures = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      if (failures > 0) {
        failures--;
        response.writeHead(503).end(JSON.stringify({ error: { name: 'ServiceUnavailable', message: 'catalog is down' } }));
        return;
      }
      if (request.url === '/api/catalog/locations' && request.method === 'GET') {
        response.end(JSON.stringify(locations.map((data) => ({ data }))));
        return;
      }
      if (request.url === '/api/catalog/locations' && request.method === 'POST') {
        posts++;
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { type: string; target: string };
        if (locations.some((l) => l.target === body.target)) {
          response.writeHead(409).end(JSON.stringify({ error: { name: 'ConflictError', message: 'Location already exists' } }));
          return;
        }
        const location = { id: String(locations.length + 1), ...body };
        locations.push(location);
        response.writeHead(201).end(JSON.stringify({ location, entities: [] }));
        return;
      }
      response.writeHead(404).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets: () => locations.map((l) => l.target),
    posts: () => posts,
    failNext: (count) => {
      failures = count;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Every file under a directory (without .git): path → executable bit and bytes. */
export async function fileTree(dir: string, root = dir, out = new Map<string, string>()): Promise<Map<string, string>> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await fileTree(full, root, out);
    else out.set(relative(root, full), `${(await stat(full)).mode & 0o100 ? 'x' : '-'}:${(await readFile(full)).toString('base64')}`);
  }
  return out;
}

/** Clones a repository from the emulator into a temporary directory. */
export async function cloneRepo(cloneUrl: string, token: string): Promise<string> {
  const clone = join(await tempDir('idp-clone-'), 'clone');
  await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${token}`, 'clone', '--quiet', cloneUrl, clone]);
  return clone;
}

/**
 * Starts the GitHub emulator and a catalog stub for one test file, and after every test checks that
 * no request broke GitHub's OpenAPI description, clears injected faults and removes temp dirs.
 */
export function useGithubEmulator(): { readonly emulator: GithubEmulator; readonly catalog: CatalogStub } {
  let emulator: GithubEmulator | undefined;
  let catalog: CatalogStub | undefined;
  beforeAll(async () => {
    emulator = await startGithubEmulator();
    catalog = await startCatalogStub();
  });
  afterAll(async () => {
    await emulator?.stop();
    await catalog?.stop();
  });
  afterEach(async () => {
    expect(emulator!.violations()).toEqual([]);
    emulator!.faults.clear();
    await cleanUp();
  });
  return {
    get emulator() {
      return emulator!;
    },
    get catalog() {
      return catalog!;
    },
  };
}
