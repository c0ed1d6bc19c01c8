import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '../server.js';

const run = promisify(execFile);
let emulator: GithubEmulator;
let github: Octokit;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  emulator = await startGithubEmulator();
  github = new Octokit({ baseUrl: emulator.apiBaseUrl, auth: emulator.token, log: quiet });
  await github.rest.repos.createInOrg({ org: 'acme', name: 'pulls' });
  // main with one commit, and a branch one commit ahead of it.
  const work = await mkdtemp(join(tmpdir(), 'idp-emulator-pulls-'));
  const git = (...args: string[]) =>
    run('git', [
      '-C',
      work,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      '-c',
      `http.extraHeader=Authorization: Bearer ${emulator.token}`,
      ...args,
    ]);
  await run('git', ['init', '--quiet', '--initial-branch=main', work]);
  await git('commit', '--quiet', '--allow-empty', '-m', 'first');
  await git('push', '--quiet', `${emulator.url}/acme/pulls.git`, 'main', 'main:refs/heads/same');
  await git('commit', '--quiet', '--allow-empty', '-m', 'second');
  await git('push', '--quiet', `${emulator.url}/acme/pulls.git`, 'HEAD:refs/heads/feature');
  await rm(work, { recursive: true, force: true });
});
afterAll(async () => {
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
});

const repo = { owner: 'acme', repo: 'pulls' };
const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 0,
    (error: { status: number; response?: { data?: unknown } }) => [error.status, JSON.stringify(error.response?.data)],
  );

describe('pull requests on the emulator', () => {
  it('opens one per head and base, as GitHub does: a second is 422 "already exists"; a branch without new commits is refused', async () => {
    const { data: pull } = await github.rest.pulls.create({
      ...repo,
      head: 'feature',
      base: 'main',
      title: 'Feature',
      body: 'text',
      draft: true,
    });
    expect(pull).toMatchObject({
      number: 1,
      state: 'open',
      draft: true,
      head: { ref: 'feature', label: 'acme:feature' },
      base: { ref: 'main' },
    });
    expect(await status(github.rest.pulls.create({ ...repo, head: 'acme:feature', base: 'main', title: 'Again' }))).toEqual([
      422,
      expect.stringContaining('A pull request already exists for acme:feature.'),
    ]);
    expect(await status(github.rest.pulls.create({ ...repo, head: 'same', base: 'main', title: 'Nothing' }))).toEqual([
      422,
      expect.stringContaining('No commits between main and same'),
    ]);
    expect(await status(github.rest.pulls.create({ ...repo, head: 'missing', base: 'main', title: 'Nothing' }))).toEqual([
      422,
      expect.stringContaining('"field":"head"'),
    ]);
  });

  it('lists by head "owner:branch" and state, updates title and body, and reads one back', async () => {
    const listed = await github.rest.pulls.list({ ...repo, head: 'acme:feature' });
    expect(listed.data.map((p) => p.number)).toEqual([1]);
    expect((await github.rest.pulls.list({ ...repo, head: 'acme:other' })).data).toEqual([]);
    await github.rest.pulls.update({ ...repo, pull_number: 1, title: 'Feature v2', body: 'new text' });
    expect((await github.rest.pulls.get({ ...repo, pull_number: 1 })).data).toMatchObject({ title: 'Feature v2', body: 'new text' });
    await github.rest.pulls.update({ ...repo, pull_number: 1, state: 'closed' });
    expect((await github.rest.pulls.list(repo)).data).toEqual([]);
    expect((await github.rest.pulls.list({ ...repo, state: 'closed' })).data.map((p) => p.number)).toEqual([1]);
    expect(await status(github.rest.pulls.get({ ...repo, pull_number: 9 }))).toEqual([404, expect.any(String)]);
  });

  it("pages an organisation's repositories with Link headers that octokit follows", async () => {
    await Promise.all(Array.from({ length: 4 }, (_, i) => github.rest.repos.createInOrg({ org: 'acme', name: `paged-${i}` })));
    const first = await github.rest.repos.listForOrg({ org: 'acme', per_page: 2, sort: 'full_name' });
    expect(first.data.map((r) => r.name)).toEqual(['paged-0', 'paged-1']);
    expect(first.headers.link).toContain('rel="next"');
    const all = await github.paginate(github.rest.repos.listForOrg, { org: 'acme', per_page: 2, sort: 'full_name' });
    expect(all.map((r) => r.name)).toEqual(['paged-0', 'paged-1', 'paged-2', 'paged-3', 'pulls']);
  });
});
