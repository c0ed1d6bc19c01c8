import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ServiceSpec, serviceSpecJsonSchema, serviceValues } from '@idp/service-spec';
import { loadTemplateDefinition } from '@idp/scaffold';
import { loadDefaultContract } from '../../../test/defaultContract.js';
import { validateEntities } from '../../../test/validateEntity.js';

const templateDir = fileURLToPath(new URL('..', import.meta.url));
const readYaml = async (relative: string) => parse(await readFile(new URL(`../${relative}`, import.meta.url), 'utf-8'));
const template = await readYaml('template.yaml');
type Schema = Record<string, unknown>;
const formProperties: Record<string, Schema> = Object.assign(
  {},
  ...template.spec.parameters.map((page: { properties: Record<string, Schema> }) => page.properties),
);

// The JSON Schema keywords that decide what a form accepts; ui:* and titles are presentation.
const RULE_KEYWORDS = ['type', 'pattern', 'enum', 'const', 'minimum', 'maximum', 'minLength', 'maxLength', 'default', 'anyOf'];
const rulesOf = (schema: Schema): Schema =>
  Object.fromEntries(
    RULE_KEYWORDS.filter((k) => k in schema).map((k) => [k, k === 'anyOf' ? (schema[k] as Schema[]).map(rulesOf) : schema[k]]),
  );

describe('model-service template.yaml', () => {
  it('passes Backstage validators, templateEntityV1beta3Validator included', async () => {
    expect(await validateEntities([template])).toEqual([]);
  });

  it('asks for exactly the fields of the spec, with the spec JSON Schema rules (no drift)', () => {
    const specProperties = (serviceSpecJsonSchema() as { properties: Record<string, Schema> }).properties;
    expect(Object.keys(formProperties).sort()).toEqual(Object.keys(specProperties).sort());
    for (const [field, schema] of Object.entries(specProperties)) {
      expect(rulesOf(formProperties[field]!), `parameter ${field}`).toEqual(rulesOf(schema));
    }
  });

  it('lets the portal form (RJSF with ajv, as the scaffolder runs it) accept exactly the free text the spec accepts', async () => {
    const { customizeValidator } = await import('@rjsf/validator-ajv8');
    const validator = customizeValidator();
    const samples: Record<string, string[]> = {
      description: ['Scores ✓ 👩‍💻 — ünïcode', 'esc \u001b', 'nul \u0000', 'half \ud800', 'line\u2028sep', 'bidi \u202e', 'tab\t'],
      modelUri: ['s3://models/fraud/1', 'hf://org/repo@v1', 'file:///m', 's3://m/\u001b', 's3://m/a b', 's3://m/\udfff', 's3://u:p@b/x'],
      repoUrl: ['github.com?owner=acme&repo=x', 'github.com?owner=acme&repo=x&\u001b=1', 'github.com?owner=acme&repo=\u00e9'],
    };
    for (const [field, values] of Object.entries(samples)) {
      for (const value of values) {
        const formAccepts =
          validator.validateFormData({ [field]: value }, { type: 'object', properties: { [field]: formProperties[field] } } as never).errors
            .length === 0;
        const specAccepts = ServiceSpec.safeParse({ name: 'x', [field]: value }).success;
        expect(formAccepts, `${field} ${JSON.stringify(value)}`).toBe(specAccepts);
      }
    }
  });

  it('uses the OwnerPicker for groups and the RepoUrlPicker limited to github.com', () => {
    expect(formProperties.owner).toMatchObject({ 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: { kind: 'Group' } } });
    expect(formProperties.repoUrl).toMatchObject({ 'ui:field': 'RepoUrlPicker', 'ui:options': { allowedHosts: ['github.com'] } });
  });

  it('runs validate → contract → fetch:template → publish:github → idp:catalog:register', () => {
    expect(template.spec.steps.map((s: { action: string }) => s.action)).toEqual([
      'idp:spec:validate',
      'idp:platform:contract',
      'idp:template:provenance',
      'fetch:template',
      'publish:github',
      'idp:catalog:register',
    ]);
    const publish = template.spec.steps.find((s: { action: string }) => s.action === 'publish:github').input;
    expect(publish).toMatchObject({ defaultBranch: 'main', protectDefaultBranch: true, repoVisibility: 'private' });
    expect(template.spec.output.links.map((l: { title: string }) => l.title)).toEqual(['Repository', 'Open in catalog']);
  });

  it('passes fetch:template every value the CLI renders with, each explicitly', async () => {
    const platform = loadDefaultContract();
    const cliKeys = [...Object.keys(serviceValues({ name: 'x' }, platform)), 'provenance'].sort();
    const fetch = template.spec.steps.find((s: { action: string }) => s.action === 'fetch:template').input;
    expect(Object.keys(fetch.values).sort()).toEqual(cliKeys);
    for (const [key, expression] of Object.entries(fetch.values)) {
      const expected = { platform: '${{ steps.contract.output.platform }}', provenance: '${{ steps.provenance.output.provenance }}' }[key];
      expect(expression).toBe(expected ?? `\${{ steps.validate.output.spec.${key} }}`);
    }
  });

  it('records the template version the skeleton writes into .idp/answers.yaml', async () => {
    const info = await loadTemplateDefinition(templateDir);
    const answers = await readFile(new URL('../skeleton/.idp/answers.yaml', import.meta.url), 'utf-8');
    expect(answers).toContain(`templateVersion: ${info.version}`);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
