import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '@idp/github';
import {
  createTemplateRepo,
  publishRepo,
  releaseNextVersion,
  renderServiceRepo,
  retitleReadme,
  scratchDirs,
} from '../../github/test/fleetFixtures.js';
import { IDP_BIN, REPO_ROOT, type IdpResult } from './runIdp.js';

// `idp fleet` as a platform engineer runs it, against the GitHub emulator: the built CLI in its own
// process (spawned asynchronously: the emulator answers from this one).

let emulator: GithubEmulator;
const scratch = scratchDirs();

function idp(args: string[]): Promise<IdpResult> {
  const child = spawn(process.execPath, [IDP_BIN, ...args, '--github-url', emulator.apiBaseUrl], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', GITHUB_TOKEN: emulator.token, GH_TOKEN: '', GITHUB_APP_ID: '', IDP_GITHUB_WRITE_PACING: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

beforeAll(async () => {
  emulator = await startGithubEmulator();
  const templates = await createTemplateRepo(await scratch.make('idp-cli-fleet-templates-'));
  const services = await scratch.make('idp-cli-fleet-services-');
  const [owned, plain] = await Promise.all(['owned-svc', 'plain-svc'].map((name) => renderServiceRepo(templates.dir, name, services)));
  await retitleReadme(owned!, 'owned-svc');
  await releaseNextVersion(templates);
  const current = await renderServiceRepo(templates.dir, 'current-svc', services);
  await publishRepo(emulator, 'acme', owned!, 'owned-svc');
  await publishRepo(emulator, 'acme', plain!, 'plain-svc');
  await publishRepo(emulator, 'acme', current, 'current-svc');
}, 120_000);

afterAll(async () => {
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
  await scratch.removeAll();
});

describe('idp fleet', () => {
  it('status --json: each service with its template, version and how far behind', async () => {
    const result = await idp(['fleet', 'status', '--org', 'acme', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const { services } = JSON.parse(result.stdout) as { services: Array<Record<string, unknown>> };
    expect(services.map((s) => [s.repository, s.version, s.state, (s.behind as { versions: string[] }).versions])).toEqual([
      ['acme/current-svc', '0.2.0', 'up-to-date', []],
      ['acme/owned-svc', '0.1.0', 'behind', ['0.2.0']],
      ['acme/plain-svc', '0.1.0', 'behind', ['0.2.0']],
    ]);
  });

  it('status prints a table a person reads', async () => {
    const result = await idp(['fleet', 'status', '--org', 'acme']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/SERVICE\s+TEMPLATE\s+VERSION\s+NEWEST\s+BEHIND/);
    expect(result.stderr).toMatch(/acme\/owned-svc\s+model-service\s+0\.1\.0\s+0\.2\.0\s+1 version \(0\.2\.0\), 1 commit/);
    expect(result.stderr).toMatch(/acme\/current-svc\s+model-service\s+0\.2\.0\s+0\.2\.0\s+up to date/);
  });

  it('upgrade --dry-run tells what each upgrade would change, conflicts included, and changes nothing', async () => {
    const before = emulator.requests().length;
    const result = await idp(['fleet', 'upgrade', '--org', 'acme', '--dry-run', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      dryRun: boolean;
      results: Array<{ repository: string; outcome: string; conflicts: string[]; plan: { added: string[] } }>;
    };
    expect(json.dryRun).toBe(true);
    expect(json.results.map((r) => [r.repository, r.outcome, r.conflicts])).toEqual([
      ['acme/owned-svc', 'planned', ['README.md']],
      ['acme/plain-svc', 'planned', []],
    ]);
    expect(json.results[1]!.plan.added).toContain('SECURITY.md');
    expect(
      emulator
        .requests()
        .slice(before)
        .filter((r) => r.method !== 'GET' && !r.path.endsWith('/git-upload-pack')),
    ).toEqual([]);
    expect(emulator.repos().flatMap((r) => r.pulls)).toEqual([]);
  });

  it('upgrade opens one pull request per service behind and reports a line for each', async () => {
    const result = await idp(['fleet', 'upgrade', '--org', 'acme', '--concurrency', '2']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /\+ acme\/owned-svc model-service 0\.1\.0 → 0\.2\.0: opened http:\S+\/acme\/owned-svc\/pull\/1 \(draft\) — 1 conflict\(s\): README\.md/,
    );
    expect(result.stderr).toMatch(/\+ acme\/plain-svc model-service 0\.1\.0 → 0\.2\.0: opened http:\S+\/acme\/plain-svc\/pull\/1\n/);
    expect(Object.fromEntries(emulator.repos().map((r) => [r.fullName, r.pulls.length]))).toEqual({
      'acme/current-svc': 0,
      'acme/owned-svc': 1,
      'acme/plain-svc': 1,
    });
  });

  it('upgrade again: the same pull requests, nothing written', async () => {
    const before = emulator.requests().length;
    const result = await idp(['fleet', 'upgrade', '--org', 'acme', '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { results: Array<{ outcome: string }> }).results.map((r) => r.outcome)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    expect(
      emulator
        .requests()
        .slice(before)
        .filter((r) => r.method !== 'GET'),
    ).toEqual([]);
  });

  it('rejects a bad --concurrency with the field, the rule and an example', async () => {
    const result = await idp(['fleet', 'upgrade', '--org', 'acme', '--concurrency', 'many']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--concurrency: must be a whole number from 1 to 64, but is "many" (e.g. --concurrency 4)');
  });
});
