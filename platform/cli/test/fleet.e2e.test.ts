import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '@idp/github-emulator';
import {
  createTemplateRepo,
  git,
  publishRepo,
  releaseNextVersion,
  renderServiceRepo,
  retitleReadme,
  scratchDirs,
} from '../../github/test/fleetFixtures.js';
import { repoPath } from '../../../test/repoRoot.js';
import { idpArgv, REPO_ROOT, type IdpResult, runIdp } from './runIdp.js';

// `idp fleet` as a platform engineer runs it, against the GitHub emulator: the built CLI in its own
// process (spawned asynchronously: the emulator answers from this one).

let emulator: GithubEmulator;
let cacheHome: string;
const scratch = scratchDirs();

function idp(args: string[], env: NodeJS.ProcessEnv = {}, started?: (pid: number) => void): Promise<IdpResult> {
  const child = spawn(process.execPath, idpArgv([...args, '--github-url', emulator.apiBaseUrl]), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_TOKEN: emulator.token,
      GH_TOKEN: '',
      GITHUB_APP_ID: '',
      IDP_GITHUB_WRITE_PACING: 'off',
      // Template sources fetched by URL are cached here, not in the home folder.
      XDG_CACHE_HOME: cacheHome,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started?.(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

beforeAll(async () => {
  emulator = await startGithubEmulator({ orgs: [{ login: 'acme', teams: ['ml-team'] }, { login: 'relics' }, { login: 'corpus' }] });
  cacheHome = await scratch.make('idp-cli-fleet-cache-');
  const templates = await createTemplateRepo(await scratch.make('idp-cli-fleet-templates-'));
  const services = await scratch.make('idp-cli-fleet-services-');
  const [owned, plain] = await Promise.all(['owned-svc', 'plain-svc'].map((name) => renderServiceRepo(templates.dir, name, services)));
  await retitleReadme(owned!, 'owned-svc');
  await releaseNextVersion(templates);
  const current = await renderServiceRepo(templates.dir, 'current-svc', services);
  await publishRepo(emulator, 'acme', owned!, 'owned-svc');
  await publishRepo(emulator, 'acme', plain!, 'plain-svc');
  await publishRepo(emulator, 'acme', current, 'current-svc');
  // A service whose recorded templates repository is gone.
  const lost = await renderServiceRepo(templates.dir, 'lost-svc', services, 'relics');
  const answers = join(lost, '.idp/answers.yaml');
  await writeFile(
    answers,
    (await readFile(answers, 'utf-8')).replace(/^( {2}repository: ).*$/m, '$1"http://127.0.0.1:9/platform/retired.git"'),
  );
  await git(lost, 'commit', '-qam', 'the templates moved');
  await publishRepo(emulator, 'relics', lost, 'lost-svc');
  await publishThirdPartyService();
}, 120_000);

/**
 * A service made by idp new from a Backstage template that knows nothing of idp (the corpus's
 * step-conditions, in a repository of its own), published to the corpus organisation; then the
 * template moves on by one commit.
 */
async function publishThirdPartyService() {
  const repo = await scratch.make('idp-cli-fleet-corpus-');
  const template = join(repo, 'templates/step-conditions');
  await cp(repoPath('test/fixtures/backstage-templates/step-conditions'), template, { recursive: true });
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'step-conditions as found');
  const service = join(await scratch.make('idp-cli-fleet-corpus-services-'), 'envs-svc');
  const created = runIdp(['new', 'step-conditions', 'envs-svc', '--yes', '--templates', repo, '--out', service]);
  expect(created.status, created.stderr).toBe(0);
  await git(service, 'init', '-q', '-b', 'main');
  await git(service, 'add', '-A');
  await git(service, 'commit', '-qm', 'first commit');
  await publishRepo(emulator, 'corpus', service, 'envs-svc');
  await writeFile(join(template, 'env/values.yaml'), `${await readFile(join(template, 'env/values.yaml'), 'utf-8')}managed: true\n`);
  await git(repo, 'commit', '-qam', 'environments say they are managed');
}

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

  it('a run killed mid-way leaves its clones and renders in one folder, which the next run sweeps', async () => {
    const tmp = await scratch.make('idp-cli-fleet-tmp-');
    let killedPid = 0;
    const killed = idp(['fleet', 'upgrade', '--org', 'acme', '--dry-run'], { TMPDIR: tmp }, (pid) => {
      killedPid = pid;
    });
    // Wait for the run to have cloned something into its folder, then kill it where it stands.
    // (Before any pull request exists: a run that finds its upgrades already offered clones nothing.)
    const folder = async () => (await readdir(tmp)).find((name) => name.startsWith(`idp-fleet-${killedPid}-`));
    for (;;) {
      const name = await folder();
      if (name && (await readdir(join(tmp, name)).catch(() => [])).length > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    process.kill(killedPid, 'SIGKILL');
    expect((await killed).status).toBe(null);
    const left = await folder();
    expect(left).toBeDefined();
    // Someone else's folder of the same name pattern, alive (this process): never touched.
    const alive = join(tmp, `idp-fleet-${process.pid}-Keep01`);
    await mkdir(alive);

    const next = await idp(['fleet', 'upgrade', '--org', 'relics'], { TMPDIR: tmp });
    expect(next.status).toBe(1);
    expect(existsSync(join(tmp, left!))).toBe(false);
    // (Node.js keeps its compile cache in the temporary folder too.)
    expect((await readdir(tmp)).filter((name) => name.startsWith('idp-'))).toEqual([`idp-fleet-${process.pid}-Keep01`]);
  });

  it('upgrade opens one pull request per service behind and reports a line for each', async () => {
    const result = await idp(['fleet', 'upgrade', '--org', 'acme', '--concurrency', '2']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /\+ acme\/owned-svc model-service 0\.1\.0 → 0\.2\.0: opened http:\S+\/acme\/owned-svc\/pull\/1 \(draft\) — 1 conflict\(s\): README\.md/,
    );
    expect(result.stderr).toMatch(/\+ acme\/plain-svc model-service 0\.1\.0 → 0\.2\.0: opened http:\S+\/acme\/plain-svc\/pull\/1\n/);
    const acme = emulator.repos().filter((r) => r.fullName.startsWith('acme/'));
    expect(Object.fromEntries(acme.map((r) => [r.fullName, r.pulls.length]))).toEqual({
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

  it('status and upgrade work for a service made from a third-party Backstage template', async () => {
    const status = await idp(['fleet', 'status', '--org', 'corpus', '--json']);
    expect(status.status, status.stderr).toBe(0);
    const { services } = JSON.parse(status.stdout) as { services: Array<Record<string, unknown>> };
    expect(services).toMatchObject([
      { repository: 'corpus/envs-svc', template: 'step-conditions', state: 'behind', behind: { commits: 1 } },
    ]);

    const upgrade = await idp(['fleet', 'upgrade', '--org', 'corpus']);
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(upgrade.stderr).toMatch(/\+ corpus\/envs-svc step-conditions \S+ → \S+: opened http:\S+\/corpus\/envs-svc\/pull\/1\n/);
    const [repo] = emulator.repos().filter((r) => r.fullName === 'corpus/envs-svc');
    expect(repo!.pulls).toHaveLength(1);
  });

  it('rejects a bad --concurrency with the field, the rule and an example', async () => {
    const result = await idp(['fleet', 'upgrade', '--org', 'acme', '--concurrency', 'many']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--concurrency: must be a whole number from 1 to 64, but is "many" (e.g. --concurrency 4)');
  });

  it('status and upgrade count a service that cannot be compared as failed, with the whole reason, and exit 1', async () => {
    const status = await idp(['fleet', 'status', '--org', 'relics']);
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(
      /relics\/lost-svc\s+model-service\s+0\.2\.0\s+\?\s+failed: cannot compare with http:\/\/127\.0\.0\.1:9\/platform\/retired\.git: --templates: must be a git repository idp can read, but http:\/\/127\.0\.0\.1:9\/platform\/retired\.git could not be fetched: git clone failed in \S+: \S/,
    );
    expect(status.stderr).toContain('1 service(s): 0 behind, 0 up to date, 1 failed: the failed ones could not be compared');
    expect(status.stderr).not.toContain('✔');

    const upgrade = await idp(['fleet', 'upgrade', '--org', 'relics']);
    expect(upgrade.status).toBe(1);
    expect(upgrade.stderr).toContain(
      '✖ relics/lost-svc: not upgraded (failed): cannot compare with http://127.0.0.1:9/platform/retired.git',
    );
    expect(upgrade.stderr).toContain(
      '1 service(s), 0 behind: 0 opened, 0 updated, 0 unchanged, 0 planned, 0 skipped, 0 unknown, 1 failed (1 could not be compared), 0 other repositories skipped',
    );
    const json = await idp(['fleet', 'upgrade', '--org', 'relics', '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      services: [{ repository: 'relics/lost-svc', state: 'failed' }],
    });
  });

  it('an unknown --org and a --to no source has are refused with the flag named (exit 2)', async () => {
    const org = await idp(['fleet', 'status', '--org', 'umbrella-corp']);
    expect(org.status).toBe(2);
    expect(org.stderr).toContain('--org: must be a GitHub organisation the token can see, but GitHub answered 404 for "umbrella-corp"');
    expect(org.stderr).not.toContain('docs.github.com');
    const to = await idp(['fleet', 'status', '--org', 'acme', '--to', '4.0.4']);
    expect(to.status).toBe(2);
    expect(to.stderr).toMatch(/--to: must be a commit of .+ or a version of templates\/model-service, but "4\.0\.4" is neither/);
  });
});
