import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator, type RecordedRequest } from '@idp/github-emulator';
import { fleetStatus, fleetUpgrade, upgradeRepository, upgradeBranch, type FleetUpgradeOptions } from '../src/index.js';
import {
  createTemplateRepo,
  git,
  publishRepo,
  releaseNextVersion,
  renderServiceRepo,
  retitleReadme,
  scratchDirs,
  type TemplateRepo,
} from './fleetFixtures.js';
import { FAST } from './helpers.js';

// A fleet as a platform team has one: 9 services published from its template repository, 3 of
// them retitled by their owners, and a template release since. One run must leave exactly one pull
// request per service behind, whatever GitHub throws at it; the next run must change nothing.

// Seven behind, more than the concurrency of 4: every run has a queue as well as work in flight.
const names = Array.from({ length: 9 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
const CONFLICTED = names.slice(0, 3);
const UP_TO_DATE = names.slice(7);
const BEHIND = names.slice(0, 7);
const BRANCH = upgradeBranch('model-service');
// Each upgrade is a clone, two renders, a merge and a push: minutes on a loaded 2-core machine.
const SLOW = 300_000;

let emulator: GithubEmulator;
let templates: TemplateRepo;
const scratch = scratchDirs();

const writes = (requests: readonly RecordedRequest[]) => requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/git-upload-pack'));
const pullsOf = (org: string) =>
  Object.fromEntries(
    emulator
      .repos()
      .filter((r) => r.fullName.startsWith(`${org}/`))
      .map((r) => [r.fullName.slice(org.length + 1), r.pulls]),
  );
const branchSha = (org: string, name: string) =>
  git(
    emulator.repos().find((r) => r.fullName === `${org}/${name}`)!.gitDir,
    'rev-parse',
    '--verify',
    '--quiet',
    `refs/heads/${BRANCH}`,
  ).catch(() => '');

function options(org: string, extra: Partial<FleetUpgradeOptions> = {}): FleetUpgradeOptions {
  return { org, token: emulator.token, githubUrl: emulator.apiBaseUrl, timing: FAST, concurrency: 4, ...extra };
}

beforeAll(async () => {
  emulator = await startGithubEmulator({ orgs: [{ login: 'acme' }, { login: 'beta' }] });
  templates = await createTemplateRepo(await scratch.make('idp-fleet-templates-'));
  const services = await scratch.make('idp-fleet-services-');
  const old = await Promise.all(BEHIND.map((name) => renderServiceRepo(templates.dir, name, services)));
  const beta = await Promise.all(['svc-b1', 'svc-b2', 'svc-b3'].map((name) => renderServiceRepo(templates.dir, name, services)));
  await Promise.all(CONFLICTED.map((name, i) => retitleReadme(old[i]!, name)));
  await releaseNextVersion(templates);
  const current = await Promise.all(UP_TO_DATE.map((name) => renderServiceRepo(templates.dir, name, services)));
  const all = [...old, ...current];
  for (let i = 0; i < names.length; i += 5)
    await Promise.all(names.slice(i, i + 5).map((name, j) => publishRepo(emulator, 'acme', all[i + j]!, name)));
  await Promise.all(['svc-b1', 'svc-b2', 'svc-b3'].map((name, i) => publishRepo(emulator, 'beta', beta[i]!, name)));
  // A repository that is not an idp service: listed by GitHub, skipped by the fleet.
  const plain = await scratch.make('idp-fleet-plain-');
  await git(plain, 'init', '-q', '-b', 'main');
  await git(plain, 'commit', '-q', '--allow-empty', '-m', 'empty');
  await publishRepo(emulator, 'acme', plain, 'website');
}, 120_000);

afterAll(async () => {
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
  await scratch.removeAll();
});

describe('idp fleet against the GitHub emulator', () => {
  it(
    'status: every service with its template, version and how far behind; other repositories skipped',
    async () => {
      const before = emulator.requests().length;
      const status = await fleetStatus(options('acme'));
      expect(status.skipped).toEqual([{ repository: 'acme/website', reason: expect.stringContaining('no .idp/answers.yaml') }]);
      expect(status.services.map((s) => s.service)).toEqual(names);
      for (const service of status.services) {
        expect(service).toMatchObject({ template: 'model-service', target: { version: '0.2.0' } });
        if (UP_TO_DATE.includes(service.service))
          expect(service).toMatchObject({ version: '0.2.0', state: 'up-to-date', behind: { versions: [], commits: 0 } });
        else expect(service).toMatchObject({ version: '0.1.0', state: 'behind', behind: { versions: ['0.2.0'], commits: 1 } });
      }
      // Read through the API alone: no clone, no write.
      expect(
        emulator
          .requests()
          .slice(before)
          .filter((r) => r.method !== 'GET'),
      ).toEqual([]);
    },
    SLOW,
  );

  it('status from the Backstage catalog: the components made from an idp template, by their project slug', async () => {
    const queries: string[] = [];
    const pages = [
      {
        items: [{ metadata: { annotations: { 'github.com/project-slug': 'acme/svc-02', 'idp.dev/template': 'model-service' } } }],
        pageInfo: { nextCursor: 'page-2' },
      },
      {
        items: [
          { metadata: { annotations: { 'github.com/project-slug': 'acme/gone', 'idp.dev/template': 'model-service' } } },
          { metadata: { annotations: { 'github.com/project-slug': 'beta/svc-b1' } } },
        ],
        pageInfo: {},
      },
    ];
    const catalog = createServer((request, response) => {
      queries.push(request.url ?? '');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(request.url?.includes('cursor=page-2') ? pages[1] : pages[0]));
    });
    await new Promise<void>((resolve) => catalog.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(catalog.address() as AddressInfo).port}`;
      const status = await fleetStatus({ token: emulator.token, githubUrl: emulator.apiBaseUrl, timing: FAST, backstage: { url } });
      expect(status.services.map((s) => [s.repository, s.state])).toEqual([
        ['acme/svc-02', 'behind'],
        ['beta/svc-b1', 'behind'],
      ]);
      expect(status.skipped).toEqual([{ repository: 'acme/gone', reason: 'in the catalog, but GitHub has no such repository' }]);
      const [first, second] = queries.map((query) => new URL(query, url));
      expect(first!.pathname).toBe('/api/catalog/entities/by-query');
      expect(first!.searchParams.getAll('filter')).toEqual(['kind=component,metadata.annotations.idp.dev/template']);
      expect(first!.searchParams.get('fields')).toBe('metadata.annotations');
      expect(second!.searchParams.get('cursor')).toBe('page-2');
      expect(queries).toHaveLength(2);
    } finally {
      await new Promise((resolve) => catalog.close(resolve));
    }
  });

  it(
    'upgrade: exactly one pull request per service behind, none for the others, through 5xx, rate limits and dropped connections',
    async () => {
      emulator.faults.inject({ kind: 'server-error', match: /^GET \/orgs\/acme\/repos/ });
      emulator.faults.inject({ kind: 'rate-limit', match: /^GET \/repos\/acme\/svc-04\/contents/, retryAfterSeconds: 1 });
      emulator.faults.inject({ kind: 'secondary-rate-limit', match: /^GET \/repos\/acme\/svc-0\d\/pulls/, times: 3, retryAfterSeconds: 2 });
      emulator.faults.inject({ kind: 'server-error', match: /^POST \/repos\/acme\/svc-05\/pulls$/ });
      emulator.faults.inject({ kind: 'drop-after', match: /^POST \/repos\/acme\/svc-07\/pulls$/ });
      emulator.faults.inject({ kind: 'drop', match: /^POST \/acme\/svc-06\.git\/git-upload-pack$/ });
      emulator.faults.inject({ kind: 'drop-after', match: /^POST \/acme\/svc-03\.git\/git-receive-pack$/ });
      emulator.faults.inject({ kind: 'server-error', match: /^POST \/acme\/svc-02\.git\/git-receive-pack$/ });

      const run = await fleetUpgrade(options('acme'));
      expect(new Set(emulator.faults.fired().map((f) => f.kind))).toEqual(
        new Set(['server-error', 'rate-limit', 'secondary-rate-limit', 'drop-after', 'drop']),
      );
      expect(emulator.faults.fired()).toHaveLength(10);
      emulator.faults.clear();

      expect(run.results.map((r) => [r.service, r.outcome, r.error])).toEqual(BEHIND.map((name) => [name, 'opened', undefined]));
      const pulls = pullsOf('acme');
      for (const name of BEHIND) {
        expect(pulls[name], name).toHaveLength(1);
        expect(pulls[name]![0]).toMatchObject({
          state: 'open',
          head: BRANCH,
          base: 'main',
          title: expect.stringContaining('Upgrade model-service 0.1.0 → 0.2.0'),
        });
        expect(pulls[name]![0]!.draft).toBe(CONFLICTED.includes(name));
      }
      for (const name of [...UP_TO_DATE, 'website']) expect(pulls[name], name).toEqual([]);
      for (const name of CONFLICTED) {
        const [pull] = pulls[name]!;
        expect(pull!.title).toContain('1 conflict to resolve');
        expect(pull!.body).toMatch(/### ⚠️ 1 conflict to resolve[\s\S]*- `README\.md`/);
        expect(pull!.body).toContain('**Added** (1)\n\n- `SECURITY.md`');
        expect(pull!.body).toContain('README title names the service kind.');
      }
      expect(pulls['svc-06']![0]!.body).toContain('**Changed** (');
      expect(pulls['svc-06']![0]!.body).not.toContain('conflict');
    },
    SLOW,
  );

  it(
    'commits the conflicts with their markers on the upgrade branch, the rest merged, main untouched',
    async () => {
      const repo = emulator.repos().find((r) => r.fullName === 'acme/svc-01')!;
      const readme = await git(repo.gitDir, 'show', `${BRANCH}:README.md`);
      expect(readme).toMatch(
        /<<<<<<< yours\n# svc-01 — owned by the fraud team\n=======\n# svc-01 \(model service\)\n>>>>>>> model-service 0\.2\.0/,
      );
      expect(await git(repo.gitDir, 'show', `${BRANCH}:NOTES.md`)).toBe('our notes');
      expect(await git(repo.gitDir, 'show', `${BRANCH}:.idp/answers.yaml`)).toContain('templateVersion: 0.2.0');
      expect(await git(repo.gitDir, 'rev-parse', `${BRANCH}~1`)).toBe(await git(repo.gitDir, 'rev-parse', 'main'));
      expect(await git(repo.gitDir, 'log', '-1', '--format=%an %ae %aI', BRANCH)).toBe(
        'idp idp@users.noreply.github.com 2000-01-01T00:00:00+00:00',
      );
    },
    SLOW,
  );

  it(
    'a re-run is a no-op: no new pull request, no push, no write, the same shas',
    async () => {
      const before = emulator.requests().length;
      const shas = await Promise.all(BEHIND.map((name) => branchSha('acme', name)));
      const pulls = pullsOf('acme');
      const again = await fleetUpgrade(options('acme'));
      expect(again.results.map((r) => [r.service, r.outcome])).toEqual(BEHIND.map((name) => [name, 'unchanged']));
      // Recognised on GitHub (the open pull request's head is this very upgrade): nothing is cloned.
      for (const result of again.results) {
        expect(result.steps.map((step) => [step.id, step.status])).toEqual([
          ['look', 'unchanged'],
          ['clone', 'skipped'],
          ['upgrade', 'skipped'],
          ['push', 'skipped'],
          ['pull-request', 'skipped'],
        ]);
        expect(result.steps[0]!.detail).toContain('holds this upgrade already');
      }
      expect(
        emulator
          .requests()
          .slice(before)
          .filter((r) => r.path.includes('.git/')),
      ).toEqual([]);
      expect(writes(emulator.requests().slice(before))).toEqual([]);
      expect(
        emulator
          .requests()
          .slice(before)
          .filter((r) => r.path.includes('git-receive-pack')),
      ).toEqual([]);
      expect(await Promise.all(BEHIND.map((name) => branchSha('acme', name)))).toEqual(shas);
      expect(pullsOf('acme')).toEqual(pulls);
    },
    SLOW,
  );

  it(
    'upgradeRepository: one repository through the same steps (the portal calls it)',
    async () => {
      const one = (repository: string) =>
        upgradeRepository({ repository, token: emulator.token, githubUrl: emulator.apiBaseUrl, timing: FAST });
      expect(await one('acme/svc-05')).toMatchObject({ outcome: 'unchanged', pull: { number: 1 }, from: '0.1.0', to: '0.2.0' });
      expect(await one('acme/svc-08')).toMatchObject({
        outcome: 'up-to-date',
        steps: [
          { id: 'look' },
          { id: 'clone' },
          { id: 'upgrade', status: 'unchanged' },
          { id: 'push', status: 'skipped' },
          { id: 'pull-request', status: 'skipped' },
        ],
      });
      await expect(one('acme/website')).rejects.toThrow('acme/website has no readable .idp/answers.yaml on main: it was not made by idp');
    },
    SLOW,
  );

  it(
    'a run cut short by a fault that outlasts the retries is finished by the next run',
    async () => {
      const dry = await fleetUpgrade(options('beta', { dryRun: true }));
      expect(dry.results.map((r) => [r.service, r.outcome])).toEqual([
        ['svc-b1', 'planned'],
        ['svc-b2', 'planned'],
        ['svc-b3', 'planned'],
      ]);
      expect(Object.values(pullsOf('beta')).flat()).toEqual([]);

      emulator.faults.inject({ kind: 'server-error', match: /^POST \/repos\/beta\/svc-b2\/pulls$/, times: Infinity });
      const cut = await fleetUpgrade(options('beta', { concurrency: 2 }));
      emulator.faults.clear();
      expect(cut.results.map((r) => [r.service, r.outcome])).toEqual([
        ['svc-b1', 'opened'],
        ['svc-b2', 'failed'],
        ['svc-b3', 'opened'],
      ]);
      expect(cut.results[1]!.error).toMatch(/Open or update the pull request failed/);
      expect(cut.results[1]!.steps.map((s) => [s.id, s.status])).toEqual([
        ['look', 'unchanged'],
        ['clone', 'unchanged'],
        ['upgrade', 'updated'],
        ['push', 'created'],
      ]);

      const next = await fleetUpgrade(options('beta'));
      expect(next.results.map((r) => [r.service, r.outcome])).toEqual([
        ['svc-b1', 'unchanged'],
        ['svc-b2', 'opened'],
        ['svc-b3', 'unchanged'],
      ]);
      expect(next.results[1]!.steps.find((s) => s.id === 'push')?.status).toBe('unchanged');
      expect(Object.values(pullsOf('beta')).map((p) => p.length)).toEqual([1, 1, 1]);
    },
    SLOW,
  );

  it(
    'replaces its own earlier upgrade on the branch, but never commits someone else pushed there',
    async () => {
      const repo = emulator.repos().find((r) => r.fullName === 'beta/svc-b1')!;
      const before = await branchSha('beta', 'svc-b1');
      // A person resolves something on the upgrade branch.
      const clone = await scratch.make('idp-fleet-person-');
      await git(clone, 'clone', '-q', '--branch', BRANCH, repo.gitDir, 'work');
      await git(`${clone}/work`, 'commit', '-q', '--allow-empty', '-m', 'resolve by hand');
      await git(`${clone}/work`, 'push', '-q', 'origin', BRANCH);
      const theirs = await branchSha('beta', 'svc-b1');
      expect(theirs).not.toBe(before);
      await templates.edit('skeleton/SECURITY.md', () => 'Report vulnerabilities to psirt@example.com\n');
      await templates.release('0.3.0');
      const run = await fleetUpgrade(options('beta'));
      expect(run.results.find((r) => r.service === 'svc-b1')).toMatchObject({
        outcome: 'skipped',
        steps: expect.arrayContaining([
          expect.objectContaining({ id: 'push', detail: expect.stringContaining('holds commits by t@example.com') }),
        ]),
      });
      expect(await branchSha('beta', 'svc-b1')).toBe(theirs);
      // The others move to 0.3.0 on the same branch and pull request.
      expect(run.results.find((r) => r.service === 'svc-b3')).toMatchObject({ outcome: 'updated', to: '0.3.0' });
      const [pull] = pullsOf('beta')['svc-b3']!;
      expect(pull).toMatchObject({ number: 1, title: 'Upgrade model-service 0.1.0 → 0.3.0' });
      expect(pull!.body).toContain('to **0.3.0**');
    },
    SLOW,
  );
});
