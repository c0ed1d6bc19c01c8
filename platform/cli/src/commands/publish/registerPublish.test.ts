import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '@idp/github-emulator';
import { registerPublish } from './registerPublish.js';

let emulator: GithubEmulator;
const dirs: string[] = [];

beforeAll(async () => {
  emulator = await startGithubEmulator({
    tokens: {
      'cli-test-token-1234': { login: 'idp-bot', scopes: ['repo', 'admin:org'] },
      'read-only-token-5678': { login: 'idp-bot', scopes: ['read:org'] },
    },
  });
});
afterAll(async () => {
  // Every request the command made matched GitHub's OpenAPI description.
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A service directory as `idp new` leaves it: answers, catalog entity and CI workflow. */
async function serviceDir(name: string, owner = 'acme'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idp-cli-publish-'));
  dirs.push(dir);
  await mkdir(join(dir, '.idp'));
  await mkdir(join(dir, '.github/workflows'), { recursive: true });
  await writeFile(
    join(dir, '.idp/answers.yaml'),
    `template: model-service\ntemplateVersion: 0.1.0\nanswers:\n  name: ${name}\n  owner: group:default/ml-team\n  repoUrl: "${emulator.host}?owner=${owner}&repo=${name}"\n`,
  );
  await writeFile(
    join(dir, 'catalog-info.yaml'),
    `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${name} }\nspec: { type: service, lifecycle: experimental, owner: group:default/ml-team }\n`,
  );
  await writeFile(
    join(dir, '.github/workflows/ci.yml'),
    'on: push\njobs:\n  test: { name: test, runs-on: ubuntu-latest, steps: [{ run: "true" }] }\n',
  );
  return dir;
}

/** Runs `idp publish ARGS` in-process; returns the exit code and what it printed. */
async function idpPublish(args: string[], token?: string) {
  vi.stubEnv('GITHUB_TOKEN', token ?? '');
  vi.stubEnv('GH_TOKEN', '');
  vi.stubEnv('GITHUB_APP_ID', '');
  vi.stubEnv('IDP_GITHUB_WRITE_PACING', 'off');
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const program = new Command('idp').exitOverride();
  registerPublish(program);
  await program.parseAsync(['publish', ...args], { from: 'user' });
  vi.restoreAllMocks();
  return { exitCode: process.exitCode, stdout, stderr };
}

describe('idp publish', () => {
  it('publishes and reports the repository URL and every step as JSON', async () => {
    const dir = await serviceDir('cli-service');
    const run = await idpPublish([dir, '--github-url', emulator.apiBaseUrl, '--json'], 'cli-test-token-1234');
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; repository: string; url: string; steps: Array<{ id: string; status: string }> };
    expect(result).toMatchObject({ ok: true, repository: 'acme/cli-service', url: `${emulator.url}/acme/cli-service` });
    expect(result.steps.find((s) => s.id === 'push')?.status).toBe('created');
    expect(emulator.repos().find((r) => r.fullName === 'acme/cli-service')?.protection.main).toBeDefined();

    const again = await idpPublish([dir, '--github-url', emulator.apiBaseUrl], 'cli-test-token-1234');
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain('= Push the initial commit to main');
    expect(again.stderr).toContain('already up to date');
  });

  it('shows the plan in a dry run and creates nothing', async () => {
    const dir = await serviceDir('cli-dry-run');
    const run = await idpPublish([dir, '--github-url', emulator.apiBaseUrl, '--dry-run'], 'cli-test-token-1234');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/\? Create the repository: would create private acme\/cli-dry-run/);
    expect(emulator.repos().some((r) => r.fullName === 'acme/cli-dry-run')).toBe(false);
  });

  it('asks for a token when none is set (exit 2)', async () => {
    const dir = await serviceDir('cli-no-token');
    const run = await idpPublish([dir, '--github-url', emulator.apiBaseUrl]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('GITHUB_TOKEN: No GitHub token: set GITHUB_TOKEN or GH_TOKEN');
  });

  it('names the missing scope and the unknown organisation, and never prints the token', async () => {
    const dir = await serviceDir('cli-scopes');
    const readOnly = await idpPublish([dir, '--github-url', emulator.apiBaseUrl, '--json'], 'read-only-token-5678');
    expect(readOnly.exitCode).toBe(1);
    expect(JSON.parse(readOnly.stdout).error).toContain('lacks the scope repo');

    const noOrg = await idpPublish(
      [await serviceDir('cli-no-org', 'no-such-org'), '--github-url', emulator.apiBaseUrl],
      'cli-test-token-1234',
    );
    expect(noOrg.exitCode).toBe(1);
    expect(noOrg.stderr).toContain('The GitHub organisation "no-such-org" was not found');
    for (const output of [readOnly.stdout, readOnly.stderr, noOrg.stdout, noOrg.stderr]) {
      expect(output).not.toContain('read-only-token-5678');
      expect(output).not.toContain('cli-test-token-1234');
    }
  });

  it('rejects an unknown visibility (exit 2)', async () => {
    const dir = await serviceDir('cli-visibility');
    const run = await idpPublish([dir, '--visibility', 'secret'], 'cli-test-token-1234');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--visibility: must be one of private, internal, public');
  });
});
