import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GithubEmulator, startGithubEmulator } from '@idp/github-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { idpArgv, REPO_ROOT } from './runIdp.js';

// `idp doctor` against the GitHub emulator: it answers GET /user with X-OAuth-Scopes as GitHub does.
const WRITER = 'doctor-writer-token-1234';
const READER = 'doctor-reader-token-5678';
let emulator: GithubEmulator;
let closedPort: number;
const scratch = mkdtempSync(path.join(tmpdir(), 'idp-doctor-'));

beforeAll(async () => {
  emulator = await startGithubEmulator({
    tokens: {
      [WRITER]: { login: 'idp-bot', scopes: ['repo', 'admin:org', 'workflow'] },
      [READER]: { login: 'reader', scopes: ['read:org'] },
    },
  });
  // A port nothing listens on: a Backstage that is not there.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(async () => {
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Check {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}

/** `idp doctor` in a child process, awaited: the emulator answers from this one meanwhile. */
async function doctor(args: string[], token?: string, backstageToken = '') {
  const child = spawn(process.execPath, idpArgv(['doctor', '--github-url', emulator.apiBaseUrl, ...args]), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_TOKEN: token ?? '',
      GH_TOKEN: '',
      GITHUB_APP_ID: '',
      BACKSTAGE_TOKEN: backstageToken,
      XDG_CONFIG_HOME: scratch,
      IDP_BACKSTAGE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const run = { status, stdout, stderr };
  for (const output of [run.stdout, run.stderr]) {
    expect(output).not.toContain(WRITER);
    expect(output).not.toContain(READER);
    if (backstageToken) expect(output).not.toContain(backstageToken);
  }
  return run;
}
const checks = (stdout: string) => (JSON.parse(stdout) as { checks: Check[] }).checks;
const check = (stdout: string, id: string) => checks(stdout).find((c) => c.id === id);

describe('idp doctor', () => {
  it('passes with a token that has every scope publishing needs, Backstage not configured', async () => {
    const run = await doctor(['--json'], WRITER);
    expect(run.status, run.stdout).toBe(0);
    expect(checks(run.stdout).map((c) => c.id)).toEqual(['node', 'git', 'startup', 'contract', 'templates', 'github', 'backstage']);
    expect(check(run.stdout, 'github')).toMatchObject({ status: 'ok', detail: expect.stringContaining('idp-bot') });
    expect(check(run.stdout, 'node')).toMatchObject({ status: 'ok' });
    expect(check(run.stdout, 'git')).toMatchObject({ status: 'ok' });
    expect(check(run.stdout, 'backstage')).toMatchObject({ status: 'skip', fix: expect.stringContaining('backstageUrl') });
  });

  it('fails a token without the repo scope, and no token, each with a fix (exit 1)', async () => {
    const reader = await doctor(['--json'], READER);
    expect(reader.status).toBe(1);
    expect(check(reader.stdout, 'github')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('lacks repo'),
      fix: expect.stringContaining('GITHUB_TOKEN'),
    });
    const none = await doctor([]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('✖ GitHub token: no GitHub token: GITHUB_TOKEN and GH_TOKEN are unset');
    expect(none.stderr).toContain('fix: create a classic token with the repo, admin:org and workflow scopes');
  });

  it('fails a Backstage it cannot reach and a contract it cannot read, each with a fix', async () => {
    const badContract = path.join(scratch, 'contract.yaml');
    writeFileSync(badContract, 'version: 1\ngithub: {}\n');
    const run = await doctor(['--json', '--backstage-url', `http://127.0.0.1:${closedPort}`, '--contract', badContract], WRITER);
    expect(run.status).toBe(1);
    expect(check(run.stdout, 'backstage')).toMatchObject({ status: 'fail', detail: expect.stringContaining('cannot reach Backstage') });
    expect(check(run.stdout, 'contract')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(badContract),
      fix: expect.any(String),
    });
  });

  it('asks the catalog with BACKSTAGE_TOKEN: ok when it answers, a fix naming BACKSTAGE_TOKEN when it refuses', async () => {
    const CATALOG_TOKEN = 'doctor-catalog-token-9012';
    const seen: string[] = [];
    const catalog = createHttpServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      const allowed = request.headers.authorization === `Bearer ${CATALOG_TOKEN}`;
      response.setHeader('content-type', 'application/json');
      if (allowed) response.end('[]');
      else response.writeHead(401).end('{"error":{"name":"AuthenticationError","message":"Illegal token"},"response":{"statusCode":401}}');
    });
    await new Promise<void>((resolve) => catalog.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(catalog.address() as { port: number }).port}`;
    try {
      const ok = await doctor(['--json', '--backstage-url', `${url}/`], WRITER, CATALOG_TOKEN);
      expect(check(ok.stdout, 'backstage')).toEqual({
        id: 'backstage',
        title: 'Backstage',
        status: 'ok',
        detail: `catalog at ${url} answers`,
      });
      expect(seen).toEqual(['GET /api/catalog/entities?limit=1']);

      const refused = await doctor(['--json', '--backstage-url', url], WRITER, 'doctor-wrong-token-3456');
      expect(refused.status).toBe(1);
      expect(check(refused.stdout, 'backstage')).toMatchObject({
        status: 'fail',
        detail: `Backstage at ${url} answered 401 to the catalog API with BACKSTAGE_TOKEN`,
        fix: expect.stringContaining('export BACKSTAGE_TOKEN'),
      });
    } finally {
      await new Promise((resolve) => catalog.close(resolve));
    }
  });
});
