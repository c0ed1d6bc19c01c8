import { execFile, execFileSync } from 'node:child_process';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvalidInputError } from '@idp/service-spec';
import { loadTemplateDefinition, openTemplateSource, runTemplate, templateProvenance, templatesAt } from '@idp/scaffold';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '@idp/github-emulator';
import { fleetStatus, fleetUpgrade, upgradeBranch } from '../src/index.js';
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

// A platform team keeps its templates in a private repository on its GitHub. A person reaches it
// with a token in the URL, a credential helper or GIT_ASKPASS; the fleet with its own token. None
// of those credentials may land in what idp records (answers.yaml, the template cache), in git's
// argv (visible in ps), in pull requests, in status output or in error messages.

const run = promisify(execFile);
const READER_TOKEN = `tplread_${randomBytes(12).toString('hex')}`;
const FLEET_TOKEN = `fleet_${randomBytes(12).toString('hex')}`;
const API_PASSWORD = `apipw_${randomBytes(8).toString('hex')}`;
const SLOW = 300_000;

let emulator: GithubEmulator;
let templates: TemplateRepo;
let publicUrl: string;
let tokenUrl: string;
let argvLog: string;
let emptyHome: string;
const scratch = scratchDirs();
const savedEnv = { PATH: process.env.PATH, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME };

/** Every form a secret travels in: raw, percent-encoded, inside Basic credentials. */
function secretForms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    Buffer.from(`x-access-token:${secret}`).toString('base64'),
    Buffer.from(`template-reader:${secret}`).toString('base64'),
  ];
}
function expectFreeOfSecrets(text: string, what: string) {
  for (const secret of [READER_TOKEN, FLEET_TOKEN, API_PASSWORD])
    for (const form of secretForms(secret)) expect(text.includes(form), `${what} holds a credential`).toBe(false);
}

/** Each file's text under `dir`, recursively (the template cache: configs, refs, logs). */
async function textsUnder(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.parentPath.includes('/objects')) parts.push(await readFile(join(entry.parentPath, entry.name), 'utf-8'));
  }
  return parts.join('\n');
}

/** An executable script in `dir`. */
async function script(dir: string, name: string, body: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

beforeAll(async () => {
  emulator = await startGithubEmulator({
    tokens: {
      [FLEET_TOKEN]: { login: 'idp-bot', scopes: ['repo', 'admin:org', 'workflow'] },
      [READER_TOKEN]: { login: 'template-reader', scopes: ['repo'] },
    },
  });
  // Every git idp starts passes through this stand-in first, which writes down its argv.
  const shim = await scratch.make('idp-cred-shim-');
  argvLog = join(shim, 'argv.log');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf-8' }).trim();
  await script(shim, 'git', `printf '%s\\n' "$*" >> '${argvLog}'\nexec '${realGit}' "$@"`);
  await writeFile(argvLog, '');
  process.env.PATH = `${shim}:${process.env.PATH}`;
  process.env.XDG_CACHE_HOME = await scratch.make('idp-cred-cache-');
  emptyHome = await scratch.make('idp-cred-home-');

  templates = await createTemplateRepo(await scratch.make('idp-cred-templates-'));
  await publishRepo(emulator, 'acme', templates.dir, 'idp-templates');
  publicUrl = `${emulator.url}/acme/idp-templates.git`;
  tokenUrl = `http://template-reader:${READER_TOKEN}@${emulator.host}/acme/idp-templates.git`;
}, 120_000);

afterAll(async () => {
  process.env.PATH = savedEnv.PATH;
  if (savedEnv.XDG_CACHE_HOME === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedEnv.XDG_CACHE_HOME;
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
  await scratch.removeAll();
});

describe('a private templates repository', () => {
  it('reached with a token in the --templates URL: recorded, cached and passed to git without it', async () => {
    const cache = await scratch.make('idp-cred-cache-a-');
    const env = { ...process.env, HOME: emptyHome, XDG_CACHE_HOME: cache };
    const source = await openTemplateSource(tokenUrl, env);
    expect(source.repository).toBe(publicUrl);
    expect(await templateProvenance(source, 'model-service')).toMatchObject({ repository: publicUrl, reproducible: true });
    // Again: the cached clone is fetched, with the same credential.
    expect((await openTemplateSource(tokenUrl, env)).gitDir).toBe(source.gitDir);
    const checkout = await templatesAt(source);
    try {
      const definition = await loadTemplateDefinition(join(checkout.templatesRoot, 'model-service'));
      const answers = {
        name: 'ledger-model',
        description: 'Scores ledgers',
        owner: 'group:default/ml-team',
        repoUrl: 'github.com?owner=acme&repo=ledger-model',
      };
      const { entries } = await runTemplate(definition, answers, { provenance: (template) => templateProvenance(source, template) });
      const answersFile = entries.find((e) => e.kind === 'file' && e.path === '.idp/answers.yaml');
      const recorded = answersFile?.kind === 'file' ? answersFile.content.toString() : '';
      expect(recorded).toContain(`repository: "${publicUrl}"`);
      expectFreeOfSecrets(recorded, 'answers.yaml');
    } finally {
      await checkout.release();
    }
    expect(await readFile(join(source.gitDir!, 'config'), 'utf-8')).toContain(`url = ${publicUrl}`);
    expectFreeOfSecrets(await textsUnder(cache), 'the template cache');
    const argv = await readFile(argvLog, 'utf-8');
    expect(argv).toContain(`clone --quiet --bare -- ${publicUrl}`);
    expectFreeOfSecrets(argv, "git's argv");
  });

  it('a wrong password is refused, naming the source, without echoing the password', async () => {
    const wrong = `wrongpw_${randomBytes(6).toString('hex')}`;
    const env = { ...process.env, HOME: emptyHome, XDG_CACHE_HOME: await scratch.make('idp-cred-cache-b-') };
    const attempt = openTemplateSource(`http://template-reader:${wrong}@${emulator.host}/acme/idp-templates.git`, env);
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    const error = (await attempt.catch((e: unknown) => e)) as InvalidInputError;
    expect(error.problems[0]!.field).toBe('--templates');
    expect(error.problems[0]!.message).toContain(`${publicUrl} could not be fetched`);
    expect(JSON.stringify(error.problems) + error.message).not.toContain(wrong);
    expect(await readFile(argvLog, 'utf-8')).not.toContain(wrong);
  });

  it('reached as git users expect: their credential helper, or GIT_ASKPASS; without either, refused with how to fix it', async () => {
    const helperHome = await scratch.make('idp-cred-helper-home-');
    const helper = await script(
      helperHome,
      'vault-helper',
      `test "$1" = get || exit 0\necho username=template-reader\necho password=${READER_TOKEN}`,
    );
    await writeFile(join(helperHome, '.gitconfig'), `[credential]\n\thelper = ${helper}\n`);
    const viaHelper = await openTemplateSource(publicUrl, {
      ...process.env,
      HOME: helperHome,
      XDG_CACHE_HOME: await scratch.make('idp-cred-cache-c-'),
    });
    expect(viaHelper.repository).toBe(publicUrl);

    const askpassDir = await scratch.make('idp-cred-askpass-');
    const askpass = await script(askpassDir, 'askpass', `case "$1" in Username*) echo template-reader ;; *) echo ${READER_TOKEN} ;; esac`);
    const viaAskpass = await openTemplateSource(publicUrl, {
      ...process.env,
      HOME: emptyHome,
      GIT_ASKPASS: askpass,
      XDG_CACHE_HOME: await scratch.make('idp-cred-cache-d-'),
    });
    expect(viaAskpass.repository).toBe(publicUrl);

    const without = openTemplateSource(publicUrl, {
      ...process.env,
      HOME: emptyHome,
      GIT_ASKPASS: '',
      XDG_CACHE_HOME: await scratch.make('idp-cred-cache-e-'),
    });
    await expect(without).rejects.toMatchObject({
      problems: [
        {
          field: '--templates',
          message: expect.stringContaining('a private repository is reached through your git credential helper, GIT_ASKPASS or ssh agent'),
        },
      ],
    });
    expectFreeOfSecrets(await readFile(argvLog, 'utf-8'), "git's argv");
  });
});

describe('a fleet whose services record the private templates repository', () => {
  beforeAll(async () => {
    const dir = await scratch.make('idp-cred-services-');
    for (const name of ['churn-model', 'fraud-model'])
      await publishRepo(emulator, 'acme', await renderServiceRepo(tokenUrl, name, dir), name);
    await releaseNextVersion(templates);
    const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x:${FLEET_TOKEN}`).toString('base64')}`;
    await run('git', ['-C', templates.dir, '-c', header, 'push', '-q', publicUrl, 'main'], {
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    await writeFile(argvLog, '');
  }, 120_000);

  // --github-url with a user and password in it, as someone pasted it: dropped and never shown.
  const options = (progress: string[]) => ({
    org: 'acme',
    token: FLEET_TOKEN,
    githubUrl: `http://robot:${API_PASSWORD}@${emulator.host}/api/v3`,
    templates: tokenUrl,
    timing: FAST,
    onProgress: (line: string) => progress.push(line),
  });

  it(
    'status and upgrade name the source without its token; pull requests, results, progress, git argv and the cache hold no credential',
    async () => {
      const progress: string[] = [];
      emulator.faults.inject({ kind: 'server-error', match: /^GET \/orgs\/acme\/repos/ });
      const status = await fleetStatus(options(progress));
      expect(progress.join('\n')).toMatch(/GitHub answered 502 on GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/orgs\/acme\/repos/);
      expect(status.services.map((s) => [s.service, s.state, s.source])).toEqual([
        ['churn-model', 'behind', publicUrl],
        ['fraud-model', 'behind', publicUrl],
      ]);
      expectFreeOfSecrets(JSON.stringify(status), 'fleet status');

      const upgrade = await fleetUpgrade(options(progress));
      expect(upgrade.results.map((r) => [r.service, r.outcome, r.error])).toEqual([
        ['churn-model', 'opened', undefined],
        ['fraud-model', 'opened', undefined],
      ]);
      expectFreeOfSecrets(JSON.stringify(upgrade), 'fleet upgrade results');
      expectFreeOfSecrets(progress.join('\n'), 'progress lines');
      for (const repo of emulator.repos().filter((r) => r.fullName.endsWith('-model'))) {
        const [pull] = repo.pulls;
        expect(pull!.body).toContain(`of \`${publicUrl}\``);
        expectFreeOfSecrets(`${pull!.title}\n${pull!.body}`, `${repo.fullName}'s pull request`);
        const answers = await git(repo.gitDir, 'show', `${upgradeBranch('model-service')}:.idp/answers.yaml`);
        expect(answers).toContain(`repository: "${publicUrl}"`);
        expectFreeOfSecrets(answers, `${repo.fullName}'s upgraded answers.yaml`);
      }
      const argv = await readFile(argvLog, 'utf-8');
      expect(argv).toMatch(/^push --porcelain /m);
      expectFreeOfSecrets(argv, "git's argv");
      expectFreeOfSecrets(await textsUnder(process.env.XDG_CACHE_HOME!), 'the template cache');
    },
    SLOW,
  );
});
