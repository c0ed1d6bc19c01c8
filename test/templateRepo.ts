import { readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { git } from './git.js';
import { repoPath } from './repoRoot.js';

export interface TemplateRepo {
  dir: string;
  skeleton: string;
  edit(file: string, change: (text: string) => string): Promise<void>;
  /** Bumps the version everywhere the template states it, commits everything, answers the commit. */
  release(version: string, message?: string): string;
}

// Where our templates state their version; a release changes all of them.
const VERSION_FILES = ['template.yaml', 'skeleton/catalog-info.yaml', 'skeleton/.idp/answers.yaml'];

/**
 * A platform team's own template repository: one of this repository's templates (model-service by
 * default) copied into `dir` (a new temporary directory by default) and committed as 0.1.0, to be
 * moved on by the test as a platform team would.
 */
export async function createTemplateRepo(dir?: string, name = 'model-service'): Promise<TemplateRepo> {
  const root = dir ?? (await mkdtemp(path.join(tmpdir(), 'idp-template-repo-')));
  const template = path.join(root, 'templates', name);
  await cp(repoPath(`templates/${name}/template.yaml`), path.join(template, 'template.yaml'));
  await cp(repoPath(`templates/${name}/skeleton`), path.join(template, 'skeleton'), { recursive: true });
  const setVersion = (version: string) => {
    for (const file of VERSION_FILES) {
      const full = path.join(template, file);
      writeFileSync(full, readFileSync(full, 'utf-8').replace(/(template-version: |templateVersion: )[0-9.]*/g, `$1${version}`));
    }
  };
  // The version the platform's own template is at does not matter here: this repository starts at 0.1.0.
  setVersion('0.1.0');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', `${name} as released`);
  return {
    dir: root,
    skeleton: path.join(template, 'skeleton'),
    edit: async (file, change) => {
      const full = path.join(template, file);
      await writeFile(full, change(await readFile(full, 'utf-8').catch(() => '')));
    },
    release: (version, message = `release ${version}`) => {
      setVersion(version);
      git(root, 'add', '-A');
      git(root, 'commit', '-qm', message);
      return git(root, 'rev-parse', 'HEAD');
    },
  };
}
