import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEMPLATES_DIR } from './runIdp.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf-8' }).trim();
}

export const scratch = (prefix = 'idp-upgrade-') => mkdtemp(path.join(tmpdir(), prefix));

/**
 * A platform team's own template repository: templates/model-service copied from this
 * repository and committed, to be moved on by the test as a platform team would.
 */
export async function createTemplateRepo(): Promise<{
  dir: string;
  skeleton: string;
  edit: (file: string, change: (text: string) => string) => Promise<void>;
  release: (version: string, message?: string) => string;
}> {
  const dir = await scratch('idp-template-repo-');
  const template = path.join(dir, 'templates/model-service');
  await cp(path.join(TEMPLATES_DIR, 'model-service/template.yaml'), path.join(template, 'template.yaml'));
  await cp(path.join(TEMPLATES_DIR, 'model-service/skeleton'), path.join(template, 'skeleton'), { recursive: true });
  // The version the platform's own template is at does not matter here: this repository starts at 0.1.0.
  const setVersion = (version: string) =>
    execFileSync(
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
  setVersion('0.1.0');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'model-service as released');
  const edit = async (file: string, change: (text: string) => string) => {
    const full = path.join(template, file);
    await writeFile(full, change(await readFile(full, 'utf-8').catch(() => '')));
  };
  /** Bumps the version everywhere the template states it, commits everything, answers the commit. */
  const release = (version: string, message = `release ${version}`) => {
    setVersion(version);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', message);
    return git(dir, 'rev-parse', 'HEAD');
  };
  return { dir, skeleton: path.join(template, 'skeleton'), edit, release };
}
