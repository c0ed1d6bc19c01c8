import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import { serviceValues } from '@idp/spec';

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
  const values = serviceValues({ name, description: 'Scores "card" transactions — ünïcode ${{ x }}', repoUrl: `${host}?owner=acme&repo=${name}`, ...spec }, platform);
  const targetDir = join(await tempDir('idp-publish-service-'), name);
  await scaffold({ templateDir: FIXTURE_TEMPLATE, targetDir, values, scmHosts: { [host]: 'github' } });
  return targetDir;
}

/** A stand-in for Backstage's catalog locations API: GET and POST /api/catalog/locations. */
export async function startCatalogStub(): Promise<{ url: string; targets(): string[]; posts(): number; stop(): Promise<void> }> {
  const locations: Array<{ id: string; type: string; target: string }> = [];
  let posts = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
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
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
