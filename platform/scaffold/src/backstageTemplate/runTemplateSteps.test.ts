import { InvalidInputError } from '@idp/service-spec';
import { describe, expect, it } from 'vitest';
import { runTemplateSteps, type TemplateDefinition, type TemplateStep } from '../index.js';
import { makeFixture } from '../../test/fixtureTemplate.js';

async function template(steps: TemplateStep[], files: Record<string, string> = {}): Promise<TemplateDefinition> {
  const dir = await makeFixture({ 'template.yaml': '', ...files });
  return { dir, name: 't', title: 't', description: '', tags: [], parameters: [], steps, output: {} };
}
const texts = (entries: Awaited<ReturnType<typeof runTemplateSteps>>['entries']) =>
  Object.fromEntries(entries.flatMap((e) => (e.kind === 'file' ? [[e.path, e.content.toString('utf-8')]] : [])));

describe("a template's steps, run as the scaffolder runs them", () => {
  it('loops each: over a mapping and a list, deciding if: per item, with each.key and each.value', async () => {
    const definition = await template(
      [
        {
          id: 'envs',
          action: 'fetch:template:file',
          each: { dev: 1, prod: 3 },
          if: "${{ each.key != 'prod' or parameters.prod }}",
          input: { url: './f.txt', targetPath: 'env-${{ each.key }}.txt', values: { n: '${{ each.value }}' } },
        },
        {
          id: 'list',
          action: 'fetch:template:file',
          each: '${{ parameters.items }}',
          input: { url: './f.txt', targetPath: 'item-${{ each.key }}.txt', values: { n: '${{ each.value }}' } },
        },
      ],
      { 'f.txt': 'n=${{ values.n }}' },
    );
    const run = await runTemplateSteps(definition, { prod: false, items: ['a', 'b'] });
    expect(texts(run.entries)).toEqual({ 'env-dev.txt': 'n=1', 'item-0.txt': 'n=a', 'item-1.txt': 'n=b' });
  });

  it('skips a step whose if: is false, and records steps that write no files with their evaluated input, once per item', async () => {
    const definition = await template([
      { id: 'off', action: 'fetch:plain', if: '${{ parameters.n > 5 }}', input: { url: './nowhere' } },
      { id: 'never', action: 'fetch:plain', if: false, input: { url: './nowhere' } },
      { id: 'notify', name: 'Tell', action: 'acme:notify', each: ['x', 'y'], input: { to: '${{ each.value }}', n: '${{ parameters.n }}' } },
    ]);
    const run = await runTemplateSteps(definition, { n: 2 });
    expect(run.skipped).toEqual(['off', 'never']);
    expect(run.notRun).toEqual([
      {
        id: 'notify',
        name: 'Tell',
        action: 'acme:notify',
        inputs: [
          { to: 'x', n: 2 },
          { to: 'y', n: 2 },
        ],
      },
    ]);
  });

  it("refuses input the action's schema refuses, and each: that is not a list or mapping", async () => {
    const run = async (step: TemplateStep) => runTemplateSteps(await template([step], { 's/a': 'a' }), { n: 1 });
    await expect(run({ id: 'x', action: 'fetch:template', input: { url: './s', typo: 1 } })).rejects.toThrow(
      /Step x \(fetch:template\): input typo is not one the action takes/,
    );
    await expect(run({ id: 'x', action: 'fetch:template', input: { targetPath: 'a' } })).rejects.toThrow(/input url is required/);
    await expect(run({ id: 'x', action: 'fetch:plain', input: { url: 7 } })).rejects.toThrow(/input url must be string, but is 7/);
    await expect(run({ id: 'x', action: 'fetch:plain', each: '${{ parameters.n }}', input: { url: './s' } })).rejects.toThrow(
      /each must resolve to a list or an object, but is 1/,
    );
    await expect(run({ id: 'x', action: 'fetch:plain', each: '${{ parameters.none }}', input: { url: './s' } })).rejects.toThrow(
      /cannot be resolved to a value/,
    );
  });

  it('refuses a remote url, a url outside the template, and a targetPath outside the workspace', async () => {
    const run = async (input: Record<string, unknown>) =>
      runTemplateSteps(await template([{ id: 'f', action: 'fetch:plain', input }], { 's/a': 'a' }), {});
    await expect(run({ url: 'https://github.com/o/r/tree/main/s' })).rejects.toThrow(
      /is a remote location; idp renders only what the template folder holds/,
    );
    await expect(run({ url: '../outside' })).rejects.toThrow(/points outside the template folder/);
    // A targetPath outside is bad input (it often comes from a parameter): exit 2, the step named.
    const outside = run({ url: './s', targetPath: '../up' });
    await expect(outside).rejects.toThrow(InvalidInputError);
    await expect(outside).rejects.toThrow(
      /Step f \(fetch:plain\): targetPath: must stay inside the directory the template writes, but "\.\.\/up" is outside it/,
    );
  });

  it('warns that copyWithoutRender is ignored (as Backstage ignores it) and renders those files', async () => {
    const definition = await template(
      [{ id: 'f', action: 'fetch:template', input: { url: './s', copyWithoutRender: ['**'], values: { n: 1 } } }],
      { 's/a.txt': '${{ values.n }}' },
    );
    const run = await runTemplateSteps(definition, {});
    expect(texts(run.entries)).toEqual({ 'a.txt': '1' });
    expect(run.warnings).toEqual([expect.stringMatching(/copyWithoutRender is ignored/)]);
  });

  it('keeps what an earlier step wrote unless replace: is set; fetch:plain always overwrites', async () => {
    const files = { 'one/a.txt': 'one ${{ values.v }}', 'two/a.txt': 'two ${{ values.v }}', 'two/b.txt': 'b' };
    const step = (id: string, action: string, input: Record<string, unknown>): TemplateStep => ({ id, action, input });
    const kept = await runTemplateSteps(
      await template(
        [step('1', 'fetch:template', { url: './one', values: { v: 1 } }), step('2', 'fetch:template', { url: './two', values: { v: 2 } })],
        files,
      ),
      {},
    );
    expect(texts(kept.entries)).toEqual({ 'a.txt': 'one 1', 'b.txt': 'b' });
    const replaced = await runTemplateSteps(
      await template(
        [
          step('1', 'fetch:template', { url: './one', values: { v: 1 } }),
          step('2', 'fetch:template', { url: './two', replace: true, values: { v: 2 } }),
        ],
        files,
      ),
      {},
    );
    expect(texts(replaced.entries)).toEqual({ 'a.txt': 'two 2', 'b.txt': 'b' });
    const plain = await runTemplateSteps(
      await template([step('1', 'fetch:template', { url: './one', values: { v: 1 } }), step('2', 'fetch:plain', { url: './two' })], files),
      {},
    );
    expect(texts(plain.entries)).toEqual({ 'a.txt': 'two ${{ values.v }}', 'b.txt': 'b' });
  });
});
