import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '@idp/service-spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '@idp/github-emulator';
import { createGithubClient, fleetStatus, fleetUpgrade, upgradeBranch, type FleetUpgradeOptions } from '../src/index.js';
import {
  createTemplateRepo,
  git,
  publishRepo,
  releaseNextVersion,
  renderServiceRepo,
  scratchDirs,
  type TemplateRepo,
} from './fleetFixtures.js';
import { FAST } from './helpers.js';

// What a fleet run meets besides services that simply are behind: a protected upgrade branch, a
// branch someone else pushed to, a hostile answers file, a service whose recorded source is gone,
// and mistakes in the command line. Each is named and counted; none is retried in vain.

const BRANCH = upgradeBranch('model-service');
const PWNED = `/tmp/idp-fleet-pwned-${randomBytes(4).toString('hex')}`;
const SLOW = 300_000;

let emulator: GithubEmulator;
let templates: TemplateRepo;
const scratch = scratchDirs();

const options = (extra: Partial<FleetUpgradeOptions> = {}): FleetUpgradeOptions => ({
  org: 'acme',
  token: emulator.token,
  githubUrl: emulator.apiBaseUrl,
  timing: FAST,
  ...extra,
});
const gitDirOf = (name: string) => emulator.repos().find((r) => r.fullName === `acme/${name}`)!.gitDir;

/** Rewrites the service's answers file with `change` and commits it, as its owners (or an attacker) would. */
async function editAnswers(service: string, change: (text: string) => string): Promise<void> {
  const file = join(service, '.idp/answers.yaml');
  await writeFile(file, change(await readFile(file, 'utf-8')));
  await git(service, 'commit', '-qam', 'edit the answers');
}

beforeAll(async () => {
  emulator = await startGithubEmulator();
  templates = await createTemplateRepo(await scratch.make('idp-outcomes-templates-'));
  const dir = await scratch.make('idp-outcomes-services-');
  const names = ['billing-svc', 'hostile-svc', 'ledger-svc', 'lost-svc'];
  const services = await Promise.all(names.map((name) => renderServiceRepo(templates.dir, name, dir)));
  await editAnswers(services[1]!, (t) => t.replace(/^template: .*$/m, `template: "../x;touch ${PWNED}"`));
  await editAnswers(services[3]!, (t) => t.replace(/^( {2}repository: ).*$/m, '$1"http://127.0.0.1:9/platform/retired-templates.git"'));
  await releaseNextVersion(templates);
  for (const [i, name] of names.entries()) await publishRepo(emulator, 'acme', services[i]!, name);

  // Someone resolves things by hand on billing-svc's upgrade branch, and opens its pull request.
  const personDir = await scratch.make('idp-outcomes-person-');
  await git(gitDirOf('billing-svc'), 'branch', BRANCH, 'main');
  await git(personDir, 'clone', '-q', '--branch', BRANCH, gitDirOf('billing-svc'), 'work');
  const person = join(personDir, 'work');
  await git(person, 'commit', '-q', '--allow-empty', '-m', 'pin the base image by hand');
  await git(person, 'push', '-q', 'origin', BRANCH);
  const github = createGithubClient({ baseUrl: emulator.apiBaseUrl, token: emulator.token, ...FAST });
  await github.rest.pulls.create({ owner: 'acme', repo: 'billing-svc', head: BRANCH, base: 'main', title: 'Base image by hand' });

  // A rule protecting every idp/* branch of ledger-svc (made in GitHub's settings).
  await emulator.protectBranches('acme/ledger-svc', 'idp/*');
}, 120_000);

afterAll(async () => {
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
  await scratch.removeAll();
});

describe('fleet outcomes', () => {
  it('status: a hostile template name is refused as not a record of idp answers; a source that cannot be fetched fails with its whole reason', async () => {
    const status = await fleetStatus(options());
    expect(status.skipped).toEqual([
      {
        repository: 'acme/hostile-svc',
        reason: expect.stringMatching(
          /^\.idp\/answers\.yaml is not a record of idp answers: template: must be a template name: .*\(e\.g\. model-service\)/,
        ),
      },
    ]);
    const lost = status.services.find((s) => s.service === 'lost-svc')!;
    expect(lost.state).toBe('failed');
    expect(lost.detail).toMatch(
      /^cannot compare with http:\/\/127\.0\.0\.1:9\/platform\/retired-templates\.git: --templates: must be a git repository idp can read, but http:\/\/127\.0\.0\.1:9\/platform\/retired-templates\.git could not be fetched: git clone failed in .*(Failed to connect|Connection refused|Could not connect)/,
    );
    expect(status.services.filter((s) => s.state === 'behind').map((s) => s.service)).toEqual(['billing-svc', 'ledger-svc']);
  });

  it("status: a --templates that cannot be read, a --to no source has and an unknown --org are the command line's mistakes, named once", async () => {
    const refusal = async (extra: Partial<FleetUpgradeOptions>) => {
      const error = await fleetStatus(options(extra)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      return (error as InvalidInputError).problems;
    };
    expect(await refusal({ templates: 'http://127.0.0.1:9/nowhere/templates.git' })).toEqual([
      {
        field: '--templates',
        message: expect.stringContaining('http://127.0.0.1:9/nowhere/templates.git could not be fetched: git clone failed'),
      },
    ]);
    expect(await refusal({ to: '7.7.7' })).toEqual([
      { field: '--to', message: expect.stringMatching(/"7\.7\.7" is neither \(versions: 0\.2\.0, 0\.1\.0; e\.g\. --to 0\.2\.0\)$/) },
    ]);
    expect(await refusal({ org: 'umbrella-corp' })).toEqual([
      {
        field: '--org',
        message:
          'must be a GitHub organisation the token can see, but GitHub answered 404 for "umbrella-corp" (e.g. --org acme, or github.org in the platform contract)',
      },
    ]);
  });

  it(
    '--dry-run skips what the real run skips: a branch holding someone else\'s commits is not "would update"',
    async () => {
      const dry = await fleetUpgrade(options({ dryRun: true }));
      const billing = dry.results.find((r) => r.service === 'billing-svc')!;
      expect(billing.outcome).toBe('skipped');
      expect(billing.steps.find((s) => s.id === 'push')).toMatchObject({
        status: 'skipped',
        detail: expect.stringContaining(`${BRANCH} holds commits by t@example.com`),
      });
      expect(JSON.stringify(dry.results)).not.toContain('would update');
      expect(dry.results.find((r) => r.service === 'ledger-svc')!.outcome).toBe('planned');
    },
    SLOW,
  );

  it(
    'upgrade: a protected upgrade branch (GH006) is skipped and said so, pushed once, not retried; nothing is run or made from a hostile name',
    async () => {
      const before = emulator.requests().length;
      const progress: string[] = [];
      const run = await fleetUpgrade(options({ onProgress: (line) => progress.push(line) }));
      expect(run.results.map((r) => [r.service, r.outcome])).toEqual([
        ['billing-svc', 'skipped'],
        ['ledger-svc', 'skipped'],
      ]);
      const ledger = run.results.find((r) => r.service === 'ledger-svc')!;
      expect(ledger.error).toBeUndefined();
      expect(ledger.steps.find((s) => s.id === 'push')).toMatchObject({
        status: 'skipped',
        detail: `${BRANCH} is a protected branch of acme/ledger-svc (GitHub refused the push: GH006): let idp's token push to idp/* branches, or lift the rule, then run again`,
      });
      const pushes = emulator
        .requests()
        .slice(before)
        .filter((r) => r.method === 'POST' && r.path === '/acme/ledger-svc.git/git-receive-pack');
      expect(pushes).toHaveLength(1);
      expect(progress.filter((line) => line.includes('retrying'))).toEqual([]);
      expect(await git(gitDirOf('ledger-svc'), 'for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
      // The hostile service: listed as skipped, nothing made from its name, nothing run.
      expect(run.skipped.map((s) => s.repository)).toEqual(['acme/hostile-svc']);
      expect(await git(gitDirOf('hostile-svc'), 'for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
      expect(existsSync(PWNED)).toBe(false);
      expect(run.services.find((s) => s.service === 'lost-svc')?.state).toBe('failed');
    },
    SLOW,
  );
});
