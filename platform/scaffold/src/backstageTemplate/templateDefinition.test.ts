import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '@idp/service-spec';
import { keepSkeletonsUnder, listTemplateDefinitions, loadTemplateDefinition } from '../index.js';
import { makeFixture } from '../../test/fixtureTemplate.js';

const template = (name: string, extra = '') =>
  `apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: ${name}\n  title: T ${name}\n  tags: [a, b]\nspec:\n  steps: []\n${extra}`;

describe('template definitions', () => {
  it('reads one parameters object as one page, and refuses what is not a v1beta3 Template', async () => {
    const one = await makeFixture({ 'template.yaml': template('one', '  parameters:\n    properties: { x: { type: string } }\n') });
    expect((await loadTemplateDefinition(one)).parameters).toEqual([{ properties: { x: { type: 'string' } } }]);
    const old = await makeFixture({ 'template.yaml': template('old').replace('v1beta3', 'v1beta2') });
    await expect(loadTemplateDefinition(old)).rejects.toThrow(InvalidInputError);
    await expect(loadTemplateDefinition(old)).rejects.toThrow(
      /template\.yaml: must be a Backstage template idp can run \(kind: Template, apiVersion: scaffolder\.backstage\.io\/v1beta3.* but it has apiVersion "scaffolder\.backstage\.io\/v1beta2" and kind "Template"/,
    );
  });

  it('names the file and says what it holds when template.yaml is not a template at all (no "apiVersion undefined")', async () => {
    const cases: Array<[string, RegExp]> = [
      ['# Checkout service\n\nOwner: payments team\n', /but it has no apiVersion and no kind$/m],
      ['just a sentence about the template\n', /but it is a single string, not a YAML mapping$/m],
      ['- one\n- two\n', /but it is a list, not a YAML mapping$/m],
      ['{"name": "x",,}\n', /but it cannot be read as YAML: /],
    ];
    for (const [text, problem] of cases) {
      const dir = await makeFixture({ 'template.yaml': text });
      const refused = loadTemplateDefinition(dir);
      await expect(refused, text).rejects.toThrow(InvalidInputError);
      await expect(refused, text).rejects.toThrow(problem);
      await expect(refused, text).rejects.toThrow(`${path.join(dir, 'template.yaml')}: must be a Backstage template`);
      await expect(refused, text).rejects.not.toThrow(/undefined/);
    }
  });

  it("reads a template that never changes once (the installed CLI's), and any other on every load", async () => {
    const [kept, other] = await Promise.all([
      makeFixture({ 't/template.yaml': template('kept') }),
      makeFixture({ 't/template.yaml': template('other') }),
    ]);
    const forget = keepSkeletonsUnder(kept);
    const first = await loadTemplateDefinition(path.join(kept, 't'));
    expect((await loadTemplateDefinition(path.join(other, 't'))).name).toBe('other');
    for (const root of [kept, other]) await writeFile(path.join(root, 't/template.yaml'), template('changed'));
    expect(await loadTemplateDefinition(path.join(kept, 't'))).toBe(first);
    expect((await loadTemplateDefinition(path.join(other, 't'))).name).toBe('changed');
    // Forgotten (a released checkout): read from disk again, and nothing of it is kept.
    forget();
    expect((await loadTemplateDefinition(path.join(kept, 't'))).name).toBe('changed');
    await writeFile(path.join(kept, 't/template.yaml'), template('again'));
    expect((await loadTemplateDefinition(path.join(kept, 't'))).name).toBe('again');
  });

  it('lists the templates of any repository layout, without looking inside a template for more', async () => {
    const root = await makeFixture({
      'templates/a/template.yaml': template('alpha'),
      'scaffolder-templates/group/b/template.yaml': template('beta'),
      'scaffolder-templates/group/b/skeleton/template.yaml': template('${{ values.name }}'),
      'docs/template.yaml': 'kind: Location\n',
      'node_modules/x/template.yaml': template('hidden'),
    });
    await mkdir(path.join(root, 'empty'));
    await writeFile(path.join(root, 'README.md'), '# templates');
    const listed = await listTemplateDefinitions(root);
    expect(listed.map((t) => [t.name, path.relative(root, t.dir), t.tags])).toEqual([
      ['alpha', 'templates/a', ['a', 'b']],
      ['beta', 'scaffolder-templates/group/b', ['a', 'b']],
    ]);
  });
});
