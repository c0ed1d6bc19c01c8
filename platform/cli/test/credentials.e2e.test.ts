import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '@idp/github-emulator';
import {
  createTemplateRepo,
  git,
  publishRepo,
  releaseNextVersion,
  renderServiceRepo,
  scratchDirs,
  type TemplateRepo,
} from '../../github/test/fleetFixtures.js';
import { idpArgv, REPO_ROOT, type IdpResult } from './runIdp.js';

// The installed idp, in its own process, against a private templates repository on the GitHub
// emulator: a token typed into --templates or --github-url, a credential helper in the person's
// ~/.gitconfig. No credential may come out in what idp writes or prints, or in git's argv.

const READER_TOKEN = `tplread_${randomBytes(12).toString('hex')}`;
const FLEET_TOKEN = `fleet_${randomBytes(12).toString('hex')}`;
const API_PASSWORD = `apipw_${randomBytes(8).toString('hex')}`;
const SECRETS = [READER_TOKEN, FLEET_TOKEN, API_PASSWORD];

let emulator: GithubEmulator;
let templates: TemplateRepo;
let publicUrl: string;
let tokenUrl: string;
let apiUrlWithPassword: string;
let shim: string;
let argvLog: string;
let helperHome: string;
let emptyHome: string;
const scratch = scratchDirs();
const savedCacheHome = process.env.XDG_CACHE_HOME;

function expectFreeOfSecrets(text: string, what: string) {
  for (const secret of SECRETS)
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(`x-access-token:${secret}`).toString('base64')])
      expect(text.includes(form), `${what} holds a credential`).toBe(false);
}

async function script(dir: string, name: string, body: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

async function texts(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile() && !entry.parentPath.includes('/objects')) parts.push(await readFile(join(entry.parentPath, entry.name), 'utf-8'));
  return parts.join('\n');
}

/** idp in a child process (awaited: the emulator answers from this one), git's argv written down, its output checked for credentials. */
async function idp(args: string[], env: NodeJS.ProcessEnv = {}): Promise<IdpResult> {
  const child = spawn(process.execPath, idpArgv(args), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NO_COLOR: '1',
      PATH: `${shim}:${process.env.PATH}`,
      HOME: emptyHome,
      XDG_CONFIG_HOME: join(emptyHome, '.config'),
      XDG_CACHE_HOME: join(emptyHome, '.cache'),
      GITHUB_TOKEN: FLEET_TOKEN,
      GH_TOKEN: '',
      GITHUB_APP_ID: '',
      IDP_GITHUB_URL: '',
      IDP_TEMPLATES_DIR: '',
      IDP_BACKSTAGE_URL: '',
      IDP_GITHUB_WRITE_PACING: 'off',
      IDP_DAEMON: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expectFreeOfSecrets(stdout + stderr, `idp ${args.join(' ')}'s output`);
  expectFreeOfSecrets(await readFile(argvLog, 'utf-8'), "git's argv");
  return { status, stdout, stderr };
}

beforeAll(async () => {
  emulator = await startGithubEmulator({
    tokens: {
      [FLEET_TOKEN]: { login: 'idp-bot', scopes: ['repo', 'admin:org', 'workflow'] },
      [READER_TOKEN]: { login: 'template-reader', scopes: ['repo'] },
    },
  });
  shim = await scratch.make('idp-cli-cred-shim-');
  argvLog = join(shim, 'argv.log');
  await writeFile(argvLog, '');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf-8' }).trim();
  await script(shim, 'git', `printf '%s\\n' "$*" >> '${argvLog}'\nexec '${realGit}' "$@"`);
  emptyHome = await scratch.make('idp-cli-cred-home-');
  // This process renders services from the private templates too: into a cache of its own.
  process.env.XDG_CACHE_HOME = await scratch.make('idp-cli-cred-own-cache-');
  // A person whose ~/.gitconfig names a credential helper that knows the templates token.
  helperHome = await scratch.make('idp-cli-cred-helper-home-');
  const helper = await script(
    helperHome,
    'vault-helper',
    `test "$1" = get || exit 0\necho username=template-reader\necho password=${READER_TOKEN}`,
  );
  await writeFile(join(helperHome, '.gitconfig'), `[credential]\n\thelper = ${helper}\n`);

  templates = await createTemplateRepo(await scratch.make('idp-cli-cred-templates-'));
  await publishRepo(emulator, 'acme', templates.dir, 'idp-templates');
  publicUrl = `${emulator.url}/acme/idp-templates.git`;
  tokenUrl = `http://template-reader:${READER_TOKEN}@${emulator.host}/acme/idp-templates.git`;
  apiUrlWithPassword = `http://robot:${API_PASSWORD}@${emulator.host}/api/v3`;
}, 120_000);

afterAll(async () => {
  if (savedCacheHome === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCacheHome;
  expect(emulator.violations()).toEqual([]);
  await emulator.stop();
  await scratch.removeAll();
});

describe('credentials never come out of idp', () => {
  it('idp new --templates with a token in the URL: answers.yaml and the template cache record the URL without it', async () => {
    const out = join(await scratch.make('idp-cli-cred-new-'), 'churn-model');
    const made = await idp(['new', 'model-service', 'churn-model', '--templates', tokenUrl, '--yes', '--out', out]);
    expect(made.status, made.stderr).toBe(0);
    const answers = await readFile(join(out, '.idp/answers.yaml'), 'utf-8');
    expect(answers).toContain(`repository: "${publicUrl}"`);
    expectFreeOfSecrets(answers, 'answers.yaml');
    expectFreeOfSecrets(await texts(join(emptyHome, '.cache')), 'the template cache');
    expect(await readFile(argvLog, 'utf-8')).toContain(`clone --quiet --bare -- ${publicUrl}`);

    const wrong = `wrongpw_${randomBytes(6).toString('hex')}`;
    const refused = await idp(['new', 'model-service', 'x', '--templates', tokenUrl.replace(READER_TOKEN, wrong), '--yes', '--dry-run'], {
      XDG_CACHE_HOME: await scratch.make('idp-cli-cred-cache-'),
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`--templates: must be a git repository idp can read, but ${publicUrl} could not be fetched`);
    expect(refused.stderr).not.toContain(wrong);
  });

  it('idp config and idp doctor show a --github-url or templates URL without its user and password', async () => {
    const shown = await idp(['config', '--json'], { IDP_GITHUB_URL: apiUrlWithPassword, IDP_TEMPLATES_DIR: tokenUrl });
    expect(shown.status, shown.stderr).toBe(0);
    const { settings } = JSON.parse(shown.stdout) as { settings: Record<string, { value: string }> };
    expect(settings.githubUrl!.value).toBe(`http://***@${emulator.host}/api/v3`);
    expect(settings.templates!.value).toBe(`http://***@${emulator.host}/acme/idp-templates.git`);
    const table = await idp(['config'], { IDP_GITHUB_URL: apiUrlWithPassword });
    expect(table.stdout).toContain(`githubUrl     http://***@${emulator.host}/api/v3  [env IDP_GITHUB_URL]`);

    const doctor = await idp(['doctor', '--json', '--github-url', apiUrlWithPassword, '--templates', tokenUrl]);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string; detail: string }> }).checks;
    // The user and password are dropped, not sent: the token is what authenticates.
    expect(checks.find((c) => c.id === 'github')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(`on http://${emulator.host}/api/v3`),
    });
    expect(checks.find((c) => c.id === 'templates')).toMatchObject({ status: 'ok', detail: expect.stringContaining(`from ${publicUrl}`) });
  });

  it('idp fleet reaches the private templates the services record through the credential helper; status, upgrade and pull requests name them without a token', async () => {
    const services = await scratch.make('idp-cli-cred-services-');
    for (const name of ['churn-model', 'fraud-model'])
      await publishRepo(emulator, 'acme', await renderServiceRepo(tokenUrl, name, services), name);
    await releaseNextVersion(templates);
    const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x:${FLEET_TOKEN}`).toString('base64')}`;
    await git(templates.dir, '-c', header, 'push', '-q', publicUrl, 'main');

    const status = await idp(['fleet', 'status', '--org', 'acme', '--json', '--github-url', apiUrlWithPassword], {
      HOME: helperHome,
    });
    expect(status.status, `${status.stderr}${status.stdout}`).toBe(0);
    const { services: rows } = JSON.parse(status.stdout) as { services: Array<{ service: string; state: string; source: string }> };
    expect(rows.map((s) => [s.service, s.state, s.source])).toEqual([
      ['churn-model', 'behind', publicUrl],
      ['fraud-model', 'behind', publicUrl],
    ]);

    const upgrade = await idp(['fleet', 'upgrade', '--org', 'acme', '--json', '--github-url', apiUrlWithPassword], {
      HOME: helperHome,
    });
    // --json puts a failed repository's reason on stdout.
    expect(upgrade.status, `${upgrade.stderr}${upgrade.stdout}`).toBe(0);
    const { results } = JSON.parse(upgrade.stdout) as { results: Array<{ service: string; outcome: string }> };
    expect(results.map((r) => [r.service, r.outcome])).toEqual([
      ['churn-model', 'opened'],
      ['fraud-model', 'opened'],
    ]);
    for (const repo of emulator.repos().filter((r) => r.fullName.endsWith('-model'))) {
      expect(repo.pulls[0]!.body).toContain(`of \`${publicUrl}\``);
      expectFreeOfSecrets(repo.pulls[0]!.body ?? '', `${repo.fullName}'s pull request`);
    }
    expectFreeOfSecrets(await texts(join(emptyHome, '.cache')), 'the template cache');
  }, 300_000);
});
