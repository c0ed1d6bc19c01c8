import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeFixture } from '../../test/fixtureTemplate.js';
import { loadPlatformContract } from '../loadPlatformContract.js';
import { TEMPLATE_ACTIONS, type TemplateAction } from './index.js';
import { runTemplateSteps, type TemplateUser } from './runTemplateSteps.js';
import type { TemplateDefinition, TemplateStep } from './templateDefinition.js';

// The runner's registry: actions that return outputs, later steps reading them as
// steps.<id>.output, and the workspace actions (fs:rename, fs:delete, catalog:write) run locally.

async function template(steps: TemplateStep[], files: Record<string, string> = {}): Promise<TemplateDefinition> {
  const dir = await makeFixture({ 'template.yaml': '', ...files });
  return { dir, name: 'things', title: 't', description: '', tags: [], parameters: [], steps, output: {} };
}
const texts = (entries: Awaited<ReturnType<typeof runTemplateSteps>>['entries']) =>
  Object.fromEntries(entries.flatMap((e) => (e.kind === 'file' ? [[e.path, e.content.toString('utf-8')]] : [])));

describe('the action registry', () => {
  it('passes each step’s outputs to the steps after it (lists for each:), user and secrets as the scaffolder does', async () => {
    // A host's own action, registered beside the built-ins: one entry in the map.
    const shout: TemplateAction = {
      id: 'acme:shout',
      inputs: { word: 'string' },
      run: async (input, context) => ({ loud: `${String(input.word).toUpperCase()} from ${context.stepLabel}` }),
    };
    const actions = new Map([...TEMPLATE_ACTIONS, [shout.id, shout]]);
    const user: TemplateUser = { ref: 'user:default/ada' };
    const run = await runTemplateSteps(
      await template(
        [
          { id: 'one', action: 'acme:shout', input: { word: '${{ parameters.word }}' } },
          { id: 'many', action: 'acme:shout', each: ['a', 'b'], input: { word: '${{ each.value }}' } },
          {
            id: 'write',
            action: 'fetch:template:file',
            input: {
              url: './f.txt',
              targetPath: 'out.txt',
              values: { one: '${{ steps.one.output.loud }}', many: '${{ steps.many.output.loud }}', who: '${{ user.ref }}' },
            },
          },
          { id: 'publish', action: 'publish:github', input: { token: '${{ secrets.token }}', repoUrl: 'github.com?owner=o&repo=r' } },
        ],
        { 'f.txt': '${{ values.one }} | ${{ values.many | join(",") }} | ${{ values.who }}' },
      ),
      { word: 'hi' },
      { actions, user, secrets: { token: 's3cret-value' } },
    );
    expect(texts(run.entries)).toEqual({
      'out.txt': 'HI from one (acme:shout) | A from many[0] (acme:shout),B from many[1] (acme:shout) | user:default/ada',
    });
    expect(run.outputs.many).toEqual({ loud: ['A from many[0] (acme:shout)', 'B from many[1] (acme:shout)'] });
    // A step that reaches another system is listed with its input, the secret's value never shown.
    expect(run.notRun).toEqual([
      { id: 'publish', name: 'publish:github', action: 'publish:github', inputs: [{ token: '***', repoUrl: 'github.com?owner=o&repo=r' }] },
    ]);
    expect(run.outputs.publish).toEqual({});
  });

  it('checks a registered action’s inputs before it runs, numbers included', async () => {
    const count: TemplateAction = { id: 'acme:count', inputs: { n: 'number' }, run: async (input) => ({ twice: (input.n as number) * 2 }) };
    const actions = new Map([...TEMPLATE_ACTIONS, [count.id, count]]);
    const steps = (n: unknown): TemplateStep[] => [{ id: 'c', action: 'acme:count', input: { n } }];
    expect((await runTemplateSteps(await template(steps('${{ parameters.n }}')), { n: 4 }, { actions })).outputs.c).toEqual({ twice: 8 });
    await expect(runTemplateSteps(await template(steps('four')), {}, { actions })).rejects.toThrow(
      /Step c \(acme:count\): input n must be number, but is "four"/,
    );
  });

  it('runs idp:platform:contract and idp:spec:validate once per run’s contract, ServiceSpec’s message unchanged', async () => {
    let reads = 0;
    const contract = async () => {
      reads += 1;
      return loadPlatformContract();
    };
    const steps: TemplateStep[] = [
      { id: 'validate', action: 'idp:spec:validate', input: { values: '${{ parameters }}' } },
      { id: 'contract', action: 'idp:platform:contract' },
      {
        id: 'show',
        action: 'fetch:template:file',
        input: {
          url: './f.txt',
          targetPath: 'f.txt',
          values: { spec: '${{ steps.validate.output.spec }}', org: '${{ steps.contract.output.platform.github.org }}' },
        },
      },
    ];
    const files = { 'f.txt': '${{ values.spec.repoUrl }} ${{ values.spec.gpuCount }} ${{ values.org }}' };
    const run = await runTemplateSteps(await template(steps, files), { name: 'fraud-detector', gpuType: 'nvidia-l4' }, { contract });
    expect(texts(run.entries)).toEqual({ 'f.txt': 'github.com?owner=acme&repo=fraud-detector 1 acme' });
    expect(reads).toBe(1);
    await expect(runTemplateSteps(await template(steps, files), { name: 'Bad_Name' }, { contract })).rejects.toThrow(
      /The service spec is invalid:\n {2}name: .*DNS-1035 label/,
    );
  });
});

describe('the workspace actions', () => {
  const files = { 's/a.txt': 'a', 's/docs/x.md': 'x', 's/docs/y.md': 'y', 's/keep.txt': 'k' };
  const fetch: TemplateStep = { id: 'fetch', action: 'fetch:plain', input: { url: './s' } };

  it('fs:rename moves files and folders, refusing to overwrite unless told to', async () => {
    const run = await runTemplateSteps(
      await template(
        [
          fetch,
          {
            id: 'mv',
            action: 'fs:rename',
            input: {
              files: [
                { from: 'docs', to: 'guide' },
                { from: 'a.txt', to: 'keep.txt', overwrite: true },
              ],
            },
          },
        ],
        files,
      ),
      {},
    );
    expect(texts(run.entries)).toEqual({ 'guide/x.md': 'x', 'guide/y.md': 'y', 'keep.txt': 'a' });
    await expect(
      runTemplateSteps(
        await template([fetch, { id: 'mv', action: 'fs:rename', input: { files: [{ from: 'a.txt', to: 'keep.txt' }] } }], files),
        {},
      ),
    ).rejects.toThrow(/Step mv \(fs:rename\): Cannot move a\.txt to keep\.txt: dest already exists/);
    await expect(
      runTemplateSteps(
        await template([fetch, { id: 'mv', action: 'fs:rename', input: { files: [{ from: 'a.txt', to: '../out' }] } }], files),
        {},
      ),
    ).rejects.toThrow(/must stay inside the directory the template writes/);
  });

  it('fs:delete removes paths and globs (dot files too); a path that matches nothing is no error', async () => {
    const run = await runTemplateSteps(
      await template([fetch, { id: 'rm', action: 'fs:delete', input: { files: ['docs/*.md', 'a.txt', 'absent.txt'] } }], files),
      {},
    );
    expect(texts(run.entries)).toEqual({ 'keep.txt': 'k' });
  });

  it('catalog:write writes the entity as YAML with the template as its source-template', async () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: '${{ parameters.name }}' },
      spec: { type: 'service' },
    };
    const run = await runTemplateSteps(await template([{ id: 'cat', action: 'catalog:write', input: { entity } }]), { name: 'svc' });
    expect(parse(texts(run.entries)['catalog-info.yaml']!)).toEqual({
      ...entity,
      metadata: { name: 'svc', annotations: { 'backstage.io/source-template': 'template:default/things' } },
    });
  });
});
