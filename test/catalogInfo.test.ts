import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validateEntities } from './validateEntity.js';

describe('catalog-info.yaml of the platform', () => {
  it('passes catalog-model validators: a System, a Component per package, a Location of the templates', async () => {
    const docs = parseAllDocuments(await readFile(new URL('../catalog-info.yaml', import.meta.url), 'utf-8')).map((d) => d.toJS());
    expect(await validateEntities(docs)).toEqual([]);
    expect(docs.filter((d) => d.kind === 'System').map((d) => d.metadata.name)).toEqual(['idp']);
    const workspaces: string[] = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf-8')).workspaces;
    expect(docs.filter((d) => d.kind === 'Component')).toHaveLength(workspaces.length);
    expect(docs.find((d) => d.kind === 'Location')?.spec.targets).toEqual([
      './templates/*/template.yaml',
      './platform/backstage/templates/*.yaml',
    ]);
  });

  it('is checked by validators that do reject a broken entity', async () => {
    const broken = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Bad Name!' },
      spec: { type: 'service', lifecycle: 'x' },
    };
    expect(await validateEntities([broken])).toEqual([expect.stringContaining('Component Bad Name!')]);
  });
});
