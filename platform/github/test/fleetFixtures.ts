import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  loadPlatformContract,
  loadTemplateDefinition,
  openTemplateSource,
  runTemplate,
  templateProvenance,
  templatesAt,
  writeAtomically,
} from '@idp/scaffold';
import { GIT_ENV } from '../../../test/git.js';
import type { TemplateRepo } from '../../../test/templateRepo.js';
import type { GithubEmulator } from '@idp/github-emulator';
import { createGithubClient } from '../src/index.js';

export { createTemplateRepo, type TemplateRepo } from '../../../test/templateRepo.js';

const run = promisify(execFile);

// Asynchronous: these tests push to the emulator, which answers from this same process.
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

/**
 * Renders model-service from a templates source as it is now (committed): a local template
 * repository, or a git URL as typed (a token in it included), into `dir`, as a git repository with
 * one commit.
 */
export async function renderServiceRepo(templates: string, name: string, dir: string, org = 'acme'): Promise<string> {
  const source = await openTemplateSource(templates);
  const provenance = await templateProvenance(source, 'model-service');
  const checkout = await templatesAt(source);
  const target = join(dir, name);
  try {
    const definition = await loadTemplateDefinition(join(checkout.templatesRoot, 'model-service'));
    const platform = await loadPlatformContract();
    const answers = {
      name,
      description: `The ${name} model`,
      owner: 'group:default/ml-team',
      repoUrl: `github.com?owner=${org}&repo=${name}`,
    };
    const { entries } = await runTemplate(definition, answers, { contract: async () => platform, provenance: async () => provenance });
    await writeAtomically(entries, target);
  } finally {
    await checkout.release();
  }
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
