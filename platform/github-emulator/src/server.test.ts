import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from './server.js';

const run = promisify(execFile);
let emulator: GithubEmulator;
let github: Octokit;

beforeAll(async () => {
  emulator = await startGithubEmulator({
    tokens: { 'full-token': { login: 'idp-bot', scopes: ['repo', 'admin:org'] }, 'read-token': { login: 'idp-bot', scopes: [] } },
  });
  github = new Octokit({ baseUrl: emulator.apiBaseUrl, auth: 'full-token', log: { debug() {}, info() {}, warn() {}, error() {} } });
});
afterAll(() => emulator.stop());

async function pushReadme(cloneUrl: string, token: string, files: Record<string, string> = { 'README.md': 'hello\n' }): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'idp-emulator-push-'));
  try {
    await run('git', ['init', '--quiet', '--initial-branch=main', work]);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(work, file)), { recursive: true });
      await writeFile(join(work, file), text);
    }
    await run('git', ['-C', work, 'add', '.']);
    await run('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'init']);
    // Basic credentials, as isomorphic-git (Backstage) and git with a credential helper send them.
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    await run('git', ['-C', work, '-c', `http.extraHeader=Authorization: Basic ${basic}`, 'push', '--quiet', cloneUrl, 'main']);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describe('the GitHub emulator', () => {
  it("serves file reads as Backstage's GitHub URL reader makes them (raw and JSON), from the pushed commit", async () => {
    const { data: created } = await github.rest.repos.createInOrg({ org: 'acme', name: 'with-files' });
    const catalogInfo = 'apiVersion: backstage.io/v1alpha1\nkind: Component\n';
    await pushReadme(created.clone_url, 'full-token', { 'catalog-info.yaml': catalogInfo, 'docs/deep/a b.md': '# ü\n' });
    const raw = await fetch(`${emulator.apiBaseUrl}/repos/acme/with-files/contents/catalog-info.yaml?ref=main`, {
      headers: { authorization: 'token full-token', accept: 'application/vnd.github.v3.raw' },
    });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(catalogInfo);
    const { data: file } = await github.rest.repos.getContent({ owner: 'acme', repo: 'with-files', path: 'docs/deep/a b.md' });
    expect(file).toMatchObject({ type: 'file', path: 'docs/deep/a b.md', encoding: 'base64' });
    expect(Buffer.from((file as { content: string }).content, 'base64').toString()).toBe('# ü\n');
    const { data: listing } = await github.rest.repos.getContent({ owner: 'acme', repo: 'with-files', path: 'docs' });
    expect((listing as Array<{ name: string; type: string }>).map((e) => [e.name, e.type])).toEqual([['deep', 'dir']]);
    await expect(github.rest.repos.getContent({ owner: 'acme', repo: 'with-files', path: 'missing.txt' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      github.rest.repos.getContent({ owner: 'acme', repo: 'with-files', path: 'README.md', ref: 'no-such-branch' }),
    ).rejects.toMatchObject({ status: 404 });

    // A whole tree, as TechDocs reads it: the commit of a ref, then the repository's tarball.
    const { data: status } = await github.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'with-files', ref: 'main' });
    expect(status.sha).toMatch(/^[0-9a-f]{40}$/);
    const archiveUrl = (status.repository as { archive_url: string }).archive_url
      .replace('{archive_format}', 'tarball')
      .replace('{/ref}', `/${status.sha}`);
    const tarball = await fetch(archiveUrl, { headers: { authorization: 'token full-token' } });
    expect(tarball.status).toBe(200);
    const work = await mkdtemp(join(tmpdir(), 'idp-emulator-tarball-'));
    await writeFile(join(work, 'repo.tar.gz'), Buffer.from(await tarball.arrayBuffer()));
    const { stdout: listing2 } = await run('tar', ['-tzf', join(work, 'repo.tar.gz')]);
    expect(
      listing2
        .split('\n')
        .filter((f) => f && !f.endsWith('/') && f !== 'pax_global_header')
        .map((f) => f.split('/').slice(1).join('/'))
        .sort(),
    ).toEqual(['catalog-info.yaml', 'docs/deep/a b.md']);
    await rm(work, { recursive: true, force: true });
    expect(emulator.violations()).toEqual([]);
  });

  it('serves every call Backstage publish:github and github:environment:create make, as they make them', async () => {
    // The calls and parameters of @backstage/plugin-scaffolder-backend-module-github 0.10.0
    // (createGithubRepoWithCollaboratorsAndTopics, initRepoPushAndProtect, githubEnvironment).
    const owner = 'acme';
    const repo = 'from-backstage';
    expect((await github.rest.users.getByUsername({ username: owner })).data.type).toBe('Organization');
    await github.rest.teams.getByName({ org: owner, team_slug: 'ml-team' });
    const { data: created } = await github.rest.repos.createInOrg({
      org: owner,
      name: repo,
      description: 'made by publish:github',
      private: true,
      visibility: 'private',
      allow_auto_merge: false,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      allow_squash_merge: true,
      allow_update_branch: false,
      delete_branch_on_merge: false,
      squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
      squash_merge_commit_message: 'COMMIT_MESSAGES',
    });
    await github.rest.teams.addOrUpdateRepoPermissionsInOrg({ org: owner, team_slug: 'ml-team', owner, repo, permission: 'admin' });
    await github.rest.repos.addCollaborator({ owner, repo, username: 'idp-bot', permission: 'pull' });
    await github.rest.repos.replaceAllTopics({ owner, repo, names: ['idp', 'model-service'] });
    await github.rest.actions.createRepoVariable({ owner, repo, name: 'IDP_STAGING_REGISTRY', value: 'registry.example/ml' });
    const { data: key } = await github.rest.actions.getRepoPublicKey({ owner, repo });
    await github.rest.actions.createOrUpdateRepoSecret({
      owner,
      repo,
      secret_name: 'SOME_SECRET',
      encrypted_value: Buffer.from('sealed').toString('base64'),
      key_id: key.key_id,
    });
    await github.request('PUT /repos/{owner}/{repo}/actions/oidc/customization/sub', {
      owner,
      repo,
      use_default: false,
      include_claim_keys: ['repo', 'context'],
    });
    await github.rest.activity.setRepoSubscription({ owner, repo, subscribed: true, ignored: false });
    await github.rest.actions.setWorkflowAccessToRepository({ owner, repo, access_level: 'organization' });
    await pushReadme(created.clone_url, 'full-token');
    await github.rest.repos.updateBranchProtection({
      mediaType: { previews: ['luke-cage-preview'] },
      owner,
      repo,
      branch: 'main',
      required_status_checks: { strict: true, contexts: ['lint', 'test'] },
      restrictions: null,
      enforce_admins: true,
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        require_code_owner_reviews: true,
        dismiss_stale_reviews: false,
        require_last_push_approval: false,
      },
      required_conversation_resolution: false,
      required_linear_history: false,
      block_creations: false,
    });
    await github.rest.repos.createCommitSignatureProtection({ owner, repo, branch: 'main' });
    const { data: got } = await github.rest.repos.get({ owner, repo });
    const { data: team } = await github.rest.teams.getByName({ org: owner, team_slug: 'ml-team' });
    await github.rest.repos.createOrUpdateEnvironment({
      owner,
      repo,
      environment_name: 'production',
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      wait_timer: 0,
      prevent_self_review: false,
      reviewers: [{ type: 'Team', id: team.id }],
    });
    await github.rest.repos.createDeploymentBranchPolicy({ owner, repo, environment_name: 'production', name: 'main', type: 'branch' });
    await github.rest.actions.createEnvironmentVariable({
      owner,
      repo,
      environment_name: 'production',
      name: 'IDP_ENV',
      value: 'production',
    });
    const { data: envKey } = await github.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: 'production' });
    await github.rest.actions.createOrUpdateEnvironmentSecret({
      owner,
      repo,
      environment_name: 'production',
      secret_name: 'KUBECONFIG',
      encrypted_value: 'c2VhbGVk',
      key_id: envKey.key_id,
    });

    expect(got).toMatchObject({
      id: created.id,
      html_url: `${emulator.url}/acme/from-backstage`,
      clone_url: `${emulator.url}/acme/from-backstage.git`,
      default_branch: 'main',
    });
    const snapshot = emulator.repos().find((r) => r.fullName === 'acme/from-backstage')!;
    expect(snapshot).toMatchObject({
      topics: ['idp', 'model-service'],
      teams: { 'ml-team': 'admin' },
      collaborators: { 'idp-bot': 'pull' },
      variables: { IDP_STAGING_REGISTRY: 'registry.example/ml' },
    });
    expect(snapshot.protection.main).toMatchObject({ required_signatures: true });
    expect(snapshot.environments.production).toEqual({ reviewers: [{ type: 'Team', id: team.id }] });
    const { data: protection } = await github.rest.repos.getBranchProtection({ owner, repo, branch: 'main' });
    expect(protection.required_status_checks?.contexts).toEqual(['lint', 'test']);
    const { data: ref } = await github.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    expect(ref.object.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(emulator.violations()).toEqual([]);
  });

  it('records and refuses requests that break the OpenAPI description', async () => {
    const before = emulator.violations().length;
    await expect(github.request('POST /orgs/{org}/repos', { org: 'acme', name: 'bad', visibility: 'secret' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      github.request('PUT /repos/{owner}/{repo}/branches/{branch}/protection', {
        owner: 'acme',
        repo: 'from-backstage',
        branch: 'main',
        enforce_admins: true,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      github.request('GET /repos/{owner}/{repo}/teams', { owner: 'acme', repo: 'from-backstage', per_page: 'many' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(github.request('GET /no/such/endpoint')).rejects.toMatchObject({ status: 422 });
    // In the description, but not served: a test that calls it must fail rather than pass quietly.
    await expect(github.request('GET /repos/{owner}/{repo}/hooks', { owner: 'acme', repo: 'from-backstage' })).rejects.toMatchObject({
      status: 501,
    });
    const problems = emulator
      .violations()
      .slice(before)
      .map((v) => v.problems.join('; '));
    expect(problems).toEqual([
      expect.stringContaining('body/visibility must be equal to one of the allowed values'),
      expect.stringContaining("must have required property 'required_status_checks'"),
      expect.stringContaining('query parameter "per_page"="many" per_page must be integer'),
      expect.stringContaining("GET /no/such/endpoint is not an operation of GitHub's ghes-3.19 description"),
      expect.stringContaining('the emulator does not serve repos/list-webhooks'),
    ]);
  });

  it('answers like GitHub without credentials, with bad ones, and without the repo scope', async () => {
    const anonymous = await fetch(`${emulator.apiBaseUrl}/orgs/acme`);
    expect(anonymous.status).toBe(401);
    const bad = await fetch(`${emulator.apiBaseUrl}/orgs/acme`, { headers: { authorization: 'token nope' } });
    expect(await bad.json()).toEqual({ message: 'Bad credentials' });
    const reader = new Octokit({ baseUrl: emulator.apiBaseUrl, auth: 'read-token', log: { debug() {}, info() {}, warn() {}, error() {} } });
    await expect(reader.rest.repos.createInOrg({ org: 'acme', name: 'nope' })).rejects.toMatchObject({
      status: 403,
      response: { headers: { 'x-accepted-oauth-scopes': 'repo' } },
    });
    const git = await fetch(`${emulator.url}/acme/from-backstage.git/info/refs?service=git-upload-pack`);
    expect(git.status).toBe(401);
    expect(git.headers.get('www-authenticate')).toContain('Basic');
    await expect(pushReadme(`${emulator.url}/acme/from-backstage.git`, 'read-token')).rejects.toThrow(/403|denied/);
    await expect(reader.rest.orgs.get({ org: 'no-such-org' })).rejects.toMatchObject({ status: 404 });
  });

  it('injects faults on demand, then answers normally', async () => {
    emulator.faults.inject({ kind: 'secondary-rate-limit', match: /^GET \/orgs\/acme$/, retryAfterSeconds: 7 });
    emulator.faults.inject({ kind: 'server-error', match: /^GET \/orgs\/acme$/ });
    const limited = await fetch(`${emulator.apiBaseUrl}/orgs/acme`, { headers: { authorization: 'token full-token' } });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([403, '7']);
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect((await fetch(`${emulator.apiBaseUrl}/orgs/acme`, { headers: { authorization: 'token full-token' } })).status).toBe(502);
    emulator.faults.inject({ kind: 'drop', match: /^GET \/orgs\/acme$/ });
    await expect(fetch(`${emulator.apiBaseUrl}/orgs/acme`, { headers: { authorization: 'token full-token' } })).rejects.toThrow();
    expect((await fetch(`${emulator.apiBaseUrl}/orgs/acme`, { headers: { authorization: 'token full-token' } })).status).toBe(200);
    expect(emulator.faults.fired().map((f) => f.kind)).toEqual(['secondary-rate-limit', 'server-error', 'drop']);
    emulator.faults.clear();
  });

  it('github-emulator --help prints what it does and how to configure it, and starts nothing', () => {
    const bin = fileURLToPath(new URL('../bin/github-emulator.js', import.meta.url));
    // A port that is surely taken would make a server fail: --help must not get that far.
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf-8', timeout: 20_000, env: { ...process.env, PORT: '1' } });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: github-emulator/);
    expect(help.stdout).toContain('EMULATOR_TOKEN');
    expect(help.stdout).not.toContain('GitHub emulator on');
    const wrong = spawnSync(process.execPath, [bin, '--port', '4000'], { encoding: 'utf-8', timeout: 20_000 });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('takes no arguments but --help, but was given --port 4000: configure it through the environment');
  });
});
