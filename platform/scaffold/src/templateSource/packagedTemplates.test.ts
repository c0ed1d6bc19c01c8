import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../../../test/repoRoot.js';
import { openTemplateSource, PACKAGED_SOURCE_FILE, resolveTemplateCommit, templateProvenance, templatesAt } from '../index.js';

// A templates folder as the installed CLI unpacks it: a copy of one commit, with a record of where
// it came from, read without git (it may sit inside someone's dotfiles repository).
const scratch = mkdtempSync(path.join(tmpdir(), 'idp-packaged-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const COMMIT = 'c0ffee'.repeat(6).slice(0, 40);

function packagedFolder(commit: string): string {
  const root = mkdtempSync(path.join(scratch, 'templates-'));
  cpSync(repoPath('templates/model-service'), path.join(root, 'model-service'), {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}test`),
  });
  const record = { package: '@idp/cli@9.9.9', repository: '', commit, templatesPath: 'templates', versions: { 'model-service': '0.2.1' } };
  writeFileSync(path.join(root, PACKAGED_SOURCE_FILE), JSON.stringify(record));
  return root;
}

describe('templates packaged with the CLI', () => {
  it('are a source of their own: the package as repository, the packed commit, no git', async () => {
    const root = packagedFolder(COMMIT);
    const source = await openTemplateSource(root);
    expect(source).toMatchObject({ repository: 'npm:@idp/cli@9.9.9', templatesPath: 'templates' });
    expect(source.gitDir).toBeUndefined();
    expect(await templateProvenance(source, 'model-service')).toEqual({
      repository: 'npm:@idp/cli@9.9.9',
      path: 'templates/model-service',
      commit: COMMIT,
      reproducible: true,
    });
    expect((await templatesAt(source)).templatesRoot).toBe(root);
    expect((await templatesAt(source, COMMIT)).templatesRoot).toBe(root);
  });

  it('answer for their own commit and template version only; anything older names --templates', async () => {
    const source = await openTemplateSource(packagedFolder(COMMIT));
    expect(await resolveTemplateCommit(source, 'templates/model-service', '0.2.1')).toBe(COMMIT);
    expect(await resolveTemplateCommit(source, 'templates/model-service', COMMIT.slice(0, 8))).toBe(COMMIT);
    const older = resolveTemplateCommit(source, 'templates/model-service', '0.1.0', '--from');
    await expect(older).rejects.toBeInstanceOf(InvalidInputError);
    await expect(older).rejects.toMatchObject({
      problems: [{ field: '--templates', message: expect.stringContaining('e.g. --templates https://') }],
    });
    await expect(templatesAt(source, 'f'.repeat(40))).rejects.toMatchObject({ problems: [{ field: '--templates' }] });
  });

  it('packed from uncommitted templates, record no commit and are not reproducible', async () => {
    const source = await openTemplateSource(packagedFolder(''));
    expect(await templateProvenance(source, 'model-service')).toMatchObject({ commit: '', reproducible: false });
  });
});
