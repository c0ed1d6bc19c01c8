import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import { serviceValues } from '@idp/service-spec';
import { repoPath } from '../../../test/repoRoot.js';
import { startGithubEmulator } from '@idp/github-emulator';
import { publishService, type PublishOptions } from '../src/index.js';
import { cloneRepo, FAST, fileTree, scaffoldService, tempDir, useGithubEmulator } from './helpers.js';

const github = useGithubEmulator();

function options(dir: string, extra: Partial<PublishOptions> = {}): PublishOptions {
  return {
    dir,
    token: github.emulator.token,
    githubUrl: github.emulator.apiBaseUrl,
    backstageUrl: github.catalog.url,
    timing: FAST,
    ...extra,
  };
}

describe('idp publish against the GitHub emulator', () => {
  it('publishes a scaffolded service that clones back byte for byte, fully configured', async () => {
    const dir = await scaffoldService(github.emulator.host, { name: 'fraud-detector' });
    const result = await publishService(options(dir));
    expect(result.repository).toBe('acme/fraud-detector');
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ['access', 'unchanged'],
      ['repository', 'created'],
      ['push', 'created'],
      ['settings', 'updated'],
      ['protection', 'created'],
      ['environments', 'updated'],
      ['variables', 'created'],
      ['access-grant', 'created'],
      ['catalog', 'created'],
    ]);

    const clone = await cloneRepo(result.cloneUrl, github.emulator.token);
    expect(await fileTree(clone)).toEqual(await fileTree(dir));

    const [repo] = github.emulator.repos().filter((r) => r.fullName === 'acme/fraud-detector');
    expect(repo).toMatchObject({ visibility: 'private', defaultBranch: 'main', teams: { 'ml-team': 'admin' } });
    expect(repo!.topics.sort()).toEqual(['ml-model', 'model-service']);
    expect(repo!.description).toBe('Scores "card" transactions — ünïcode ${{ x }}');
    const protection = repo!.protection.main as {
      required_status_checks: { contexts: string[] };
      required_pull_request_reviews: Record<string, unknown>;
    };
    // The job names of ci.yml: `name` where given, else the job id.
    expect(protection.required_status_checks.contexts.sort()).toEqual(['build', 'lint', 'unit tests']);
    expect(protection.required_pull_request_reviews).toMatchObject({
      require_code_owner_reviews: true,
      required_approving_review_count: 1,
    });
    const team = github.emulator.state.org('acme')!.teams.get('ml-team')!;
    expect(repo!.environments).toEqual({ staging: { reviewers: [] }, production: { reviewers: [{ type: 'Team', id: team.id }] } });
    expect(repo!.variables).toMatchObject({
      IDP_STAGING_REGISTRY: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml',
      IDP_PRODUCTION_AWS_ROLE_ARN: 'arn:aws:iam::210987654321:role/github-actions-ml-production',
    });
    expect(github.catalog.targets()).toContain(`${github.emulator.url}/acme/fraud-detector/blob/main/catalog-info.yaml`);
  });

  it('changes nothing when run again', async () => {
    const dir = await scaffoldService(github.emulator.host, { name: 'rerun-service' });
    const first = await publishService(options(dir));
    const before = github.emulator.requests().length;
    const posts = github.catalog.posts();
    const again = await publishService(options(dir));
    expect(again.steps.every((s) => s.status === 'unchanged')).toBe(true);
    // A fixed author and date: the same directory makes the same commit on every run.
    expect(again.commit).toBe(first.commit);
    const writes = github.emulator
      .requests()
      .slice(before)
      .filter((r) => r.method !== 'GET' && !r.path.endsWith('/git-upload-pack'));
    expect(writes).toEqual([]);
    expect(github.catalog.posts()).toBe(posts);
  });

  it('prints the plan and changes nothing in a dry run', async () => {
    const dir = await scaffoldService(github.emulator.host, { name: 'dry-run-service' });
    const before = github.emulator.requests().length;
    const result = await publishService(options(dir, { dryRun: true }));
    expect(result.steps.find((s) => s.id === 'repository')).toMatchObject({
      status: 'planned',
      detail: expect.stringContaining('would create private acme/dry-run-service'),
    });
    expect(result.steps.find((s) => s.id === 'protection')?.detail).toContain('build, lint, unit tests');
    expect(github.emulator.repos().map((r) => r.fullName)).not.toContain('acme/dry-run-service');
    expect(
      github.emulator
        .requests()
        .slice(before)
        .filter((r) => r.method !== 'GET'),
    ).toEqual([]);
  });
});

describe('idp publish refuses what it must not do', () => {
  it('stops at a repository that already holds other content, and changes none of its settings', async () => {
    const dir = await scaffoldService(github.emulator.host, { name: 'taken-name' });
    const other = await scaffoldService(github.emulator.host, { name: 'taken-name', description: 'Someone else' });
    await publishService(options(other));
    const before = github.emulator.repos().find((r) => r.fullName === 'acme/taken-name')!;
    const failure = publishService(options(dir));
    await expect(failure).rejects.toMatchObject({
      step: 'push',
      message: expect.stringMatching(
        /already exists with different content \(its main is [0-9a-f]{12}, this directory makes [0-9a-f]{12}\)/,
      ),
    });
    expect(github.emulator.repos().find((r) => r.fullName === 'acme/taken-name')!.description).toBe(before.description);
  });

  it('never lets the token into an error', async () => {
    const dir = await scaffoldService(github.emulator.host, { name: 'token-leak' });
    const error = await publishService(options(dir, { token: 'ghp_wrongtoken12345' })).catch((e: Error) => e);
    expect(String((error as Error).message)).toMatch(/GitHub rejected the token/);
    expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain('ghp_wrongtoken12345');
  });
});

describe('idp publish with the real model-service template', () => {
  const TEMPLATE_DIR = repoPath('templates/model-service');

  it.runIf(existsSync(join(TEMPLATE_DIR, 'template.yaml')))(
    'publishes what `idp new model-service` renders; main requires exactly the checks the portal step requires',
    async () => {
      const platform = await loadPlatformContract();
      const values = serviceValues(
        { name: 'real-template-service', gpuType: 'nvidia-l4', repoUrl: `${github.emulator.host}?owner=acme&repo=real-template-service` },
        platform,
        { enterpriseHosts: [github.emulator.host] },
      );
      const dir = join(await tempDir('idp-real-template-'), values.name);
      await scaffold({
        templateDir: join(TEMPLATE_DIR, 'skeleton'),
        targetDir: dir,
        values,
        scmHosts: { [github.emulator.host]: 'github' },
      });

      const result = await publishService(options(dir));
      expect(result.steps.every((s) => s.status !== 'planned')).toBe(true);
      const clone = await cloneRepo(result.cloneUrl, github.emulator.token);
      expect(await fileTree(clone)).toEqual(await fileTree(dir));
      const repo = github.emulator.repos().find((r) => r.fullName === 'acme/real-template-service')!;
      // One source: the skeleton's ci.yml job names are what the portal's publish:github requires.
      const portalStep = (
        parse(await readFile(join(TEMPLATE_DIR, 'template.yaml'), 'utf8')) as {
          spec: { steps: Array<{ action: string; input: Record<string, unknown> }> };
        }
      ).spec.steps.find((s) => s.action === 'publish:github')!;
      const contexts = (repo.protection.main as { required_status_checks: { contexts: string[] } }).required_status_checks.contexts;
      expect([...contexts].sort()).toEqual([...(portalStep.input.requiredStatusCheckContexts as string[])].sort());
      expect([...repo.topics].sort()).toEqual([...(portalStep.input.topics as string[])].sort());
      expect(repo.visibility).toBe(portalStep.input.repoVisibility);
    },
  );
});

describe('idp publish as a GitHub App installation', () => {
  it('trades the App JWT for an installation token and publishes with it, API and git alike', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const appEmulator = await startGithubEmulator({ apps: [{ appId: '4242', publicKey, installations: { '777': {} } }] });
    try {
      const dir = await scaffoldService(appEmulator.host, { name: 'app-published' });
      const result = await publishService({
        dir,
        app: { appId: '4242', privateKey, installationId: 777 },
        githubUrl: appEmulator.apiBaseUrl,
        timing: FAST,
      });
      expect(result.steps[0]).toMatchObject({ id: 'access', detail: expect.stringContaining('acting as a GitHub App installation') });
      expect(result.steps.find((s) => s.id === 'push')?.status).toBe('created');
      expect(appEmulator.requests().some((r) => r.operationId === 'apps/create-installation-access-token' && r.status === 201)).toBe(true);
      expect(appEmulator.violations()).toEqual([]);

      const { privateKey: otherKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      await expect(
        publishService({
          dir,
          app: { appId: '4242', privateKey: otherKey, installationId: 777 },
          githubUrl: appEmulator.apiBaseUrl,
          timing: FAST,
        }),
      ).rejects.toThrow(/GitHub App 4242 could not get a token for installation 777/);
    } finally {
      await appEmulator.stop();
    }
  });
});
