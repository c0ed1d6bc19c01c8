import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoPath } from '../../../test/repoRoot.js';
import { runIdp } from './runIdp.js';
import { git, scratch } from './templateRepo.js';

// Any template idp new runs, idp upgrade upgrades: the runner records the render (template, source,
// answers) whatever the template writes, and both sides of the merge are runs of the same engine.
// The template here is the corpus's step-conditions, a Backstage template that knows nothing of idp.

const read = (dir: string, file: string) => readFile(path.join(dir, file), 'utf-8');
const commitAll = (dir: string, message: string) => {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
};

describe('idp upgrade: a service made from a third-party Backstage template', () => {
  it('merges the template’s change, keeps the owners’, records the new source, and takes --set typed by its form', async () => {
    const repo = await scratch('idp-any-template-');
    const template = path.join(repo, 'templates/step-conditions');
    await cp(repoPath('test/fixtures/backstage-templates/step-conditions'), template, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    commitAll(repo, 'step-conditions as found');

    const service = path.join(await scratch(), 'envs-svc');
    const created = runIdp([
      'new',
      'step-conditions',
      'envs-svc',
      '--yes',
      '--templates',
      repo,
      '--out',
      service,
      '--set',
      'includeProd=true',
    ]);
    expect(created.status, created.stderr).toBe(0);
    const first = parse(await read(service, '.idp/answers.yaml'));
    expect(first).toMatchObject({
      template: 'step-conditions',
      source: { repository: repo, path: 'templates/step-conditions', commit: git(repo, 'rev-parse', 'HEAD'), reproducible: true },
      // The form's values, typed by its schema (includeProd is a boolean), defaults filled in.
      answers: { name: 'envs-svc', includeProd: true, minimal: false, regions: ['eu-west-1'] },
    });
    expect(await read(service, 'envs/prod/values.yaml')).toContain('tier: high');
    git(service, 'init', '-q', '-b', 'main');
    commitAll(service, 'first commit');

    // The owners add a line; the template's next commit adds another to every environment.
    await writeFile(path.join(service, 'README.md'), `${await read(service, 'README.md')}\nOwned by the envs team.\n`);
    commitAll(service, 'our README');
    await writeFile(path.join(template, 'env/values.yaml'), `${await read(template, 'env/values.yaml')}managed: true\n`);
    commitAll(repo, 'environments say they are managed');

    const upgraded = runIdp(['upgrade', service]);
    expect(upgraded.status, `${upgraded.stderr}\n${upgraded.stdout}`).toBe(0);
    expect(await read(service, 'envs/dev/values.yaml')).toContain('managed: true');
    expect(await read(service, 'envs/prod/values.yaml')).toContain('managed: true');
    expect(await read(service, 'README.md')).toContain('Owned by the envs team.');
    expect(parse(await read(service, '.idp/answers.yaml')).source.commit).toBe(git(repo, 'rev-parse', 'HEAD'));
    commitAll(service, 'upgrade');

    // --set in the one grammar: minimal is a boolean of this form; the extra/ folder goes with it.
    const minimal = runIdp(['upgrade', service, '--set', 'minimal=true']);
    expect(minimal.status, `${minimal.stderr}\n${minimal.stdout}`).toBe(0);
    expect(parse(await read(service, '.idp/answers.yaml')).answers).toMatchObject({ minimal: true, includeProd: true });
    expect(git(service, 'status', '--porcelain')).toMatch(/^D {2}extra\/regions\.yaml$/m);
  });
});
