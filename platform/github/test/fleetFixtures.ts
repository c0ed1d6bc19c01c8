import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadPlatformContract, loadTemplate, openTemplateSource, renderService, templateProvenance, writeAtomically } from '@idp/scaffold';
import { createGithubClient, type GithubEmulator } from '../src/index.js';

const run = promisify(execFile);

/** The platform's own model-service template, which a platform team copies into its template repository. */
export const MODEL_SERVICE = fileURLToPath(new URL('../../../templates/model-service', import.meta.url));

/** Git with a fixed identity and no user or system configuration: the same commits on every machine. */
export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, env: GIT_ENV })).stdout.trim();
}

/** Temporary directories of one test file, removed by `removeAll`. */
export function scratchDirs() {
  const dirs: string[] = [];
  return {
    make: async (prefix: string) => {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    removeAll: async () => {
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TemplateRepo {
  dir: string;
  skeleton: string;
  edit(file: string, change: (text: string) => string): Promise<void>;
  /** Bumps the version everywhere the template states it, commits everything, answers the commit. */
  release(version: string, message?: string): Promise<string>;
}

/** A platform team's template repository: templates/model-service committed as 0.1.0. */
export async function createTemplateRepo(dir: string): Promise<TemplateRepo> {
  const template = join(dir, 'templates/model-service');
  await cp(join(MODEL_SERVICE, 'template.yaml'), join(template, 'template.yaml'));
  await cp(join(MODEL_SERVICE, 'skeleton'), join(template, 'skeleton'), { recursive: true });
  // The version the platform's own template is at does not matter here: this repository starts at 0.1.0.
  const setVersion = (version: string) =>
    run(
      'sed',
      [
        '-i',
        `s/\\(template-version: \\|templateVersion: \\)[0-9.]*/\\1${version}/`,
        'template.yaml',
        'skeleton/catalog-info.yaml',
        'skeleton/.idp/answers.yaml',
      ],
      { cwd: template },
    );
  await setVersion('0.1.0');
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'model-service as released');
  return {
    dir,
    skeleton: join(template, 'skeleton'),
    edit: async (file, change) => {
      const full = join(template, file);
      await writeFile(full, change(await readFile(full, 'utf-8').catch(() => '')));
    },
    release: async (version, message = `release ${version}`) => {
      await setVersion(version);
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '-qm', message);
      return git(dir, 'rev-parse', 'HEAD');
    },
  };
}

/** The template's next release: a heading change (conflicts with owners who retitled their README), a fix, a new file, a changelog. */
export async function releaseNextVersion(repo: TemplateRepo, version = '0.2.0'): Promise<string> {
  await repo.edit('skeleton/README.md', (t) => t.replace(/^# \$\{\{ values\.name \}\}$/m, '# ${{ values.name }} (model service)'));
  await repo.edit('skeleton/SECURITY.md', () => 'Report vulnerabilities to security@example.com\n');
  await repo.edit('skeleton/Dockerfile', (t) => `${t}\n# patched base image\n`);
  await repo.edit(
    'CHANGELOG.md',
    () =>
      `# Changelog\n\n## ${version}\n\n- README title names the service kind.\n- SECURITY.md says where to report vulnerabilities.\n\n## 0.1.0\n\n- First release.\n`,
  );
  return repo.release(version);
}

/** Renders model-service from the template repository as it is now (committed), into `dir`, as a git repository with one commit. */
export async function renderServiceRepo(templates: string, name: string, dir: string): Promise<string> {
  const source = await openTemplateSource(templates);
  const provenance = await templateProvenance(source, 'model-service');
  const template = await loadTemplate(join(templates, 'templates/model-service'));
  const platform = await loadPlatformContract();
  const answers = { name, description: `The ${name} model`, owner: 'group:default/ml-team', repoUrl: `github.com?owner=acme&repo=${name}` };
  const { entries } = await renderService(template, answers, platform, provenance);
  const target = join(dir, name);
  await writeAtomically(entries, target);
  await git(target, 'init', '-q', '-b', 'main');
  await git(target, 'add', '-A');
  await git(target, 'commit', '-qm', 'first commit');
  return target;
}

/** What owners do that the template's next release conflicts with: retitle their README. */
export async function retitleReadme(service: string, name: string): Promise<void> {
  const file = join(service, 'README.md');
  await writeFile(file, (await readFile(file, 'utf-8')).replace(new RegExp(`^# ${name}$`, 'm'), `# ${name} — owned by the fraud team`));
  await appendFile(join(service, 'NOTES.md'), 'our notes\n');
  await git(service, 'add', '-A');
  await git(service, 'commit', '-qm', 'owners retitle the README');
}

/** Publishes a service repository on the emulator: creates the repository in `org` and pushes main. */
export async function publishRepo(emulator: GithubEmulator, org: string, service: string, name: string): Promise<void> {
  const github = createGithubClient({ baseUrl: emulator.apiBaseUrl, token: emulator.token, backoffUnitMs: 1, paceWrites: false });
  await github.rest.repos.createInOrg({ org, name, visibility: 'private' });
  const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${emulator.token}`).toString('base64')}`;
  await git(service, '-c', header, 'push', '-q', `${emulator.url}/${org}/${name}.git`, 'main');
}
