import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LlmServiceSpec, llmServiceSpecJsonSchema } from '@idp/service-spec';
import { loadTemplateDefinition } from '@idp/scaffold';
import { validateEntities } from '../../../test/validateEntity.js';
import { LLAMA_8B, llmValues, TEMPLATE_DIR } from './llmRender.js';

const template = parse(await readFile(new URL('../template.yaml', import.meta.url), 'utf-8'));
type Schema = Record<string, unknown>;
const formProperties: Record<string, Schema> = Object.assign(
  {},
  ...template.spec.parameters.map((page: { properties: Record<string, Schema> }) => page.properties),
);

// The JSON Schema keywords that decide what a form accepts; ui:* and titles are presentation.
const RULE_KEYWORDS = ['type', 'pattern', 'enum', 'const', 'minimum', 'maximum', 'minLength', 'maxLength', 'default'];
const rulesOf = (schema: Schema): Schema => Object.fromEntries(RULE_KEYWORDS.filter((k) => k in schema).map((k) => [k, schema[k]]));

describe('llm-service template.yaml', () => {
  it('passes Backstage validators, templateEntityV1beta3Validator included', async () => {
    expect(await validateEntities([template])).toEqual([]);
  });

  it('asks for exactly the fields of LlmServiceSpec, with its JSON Schema rules (no drift)', () => {
    const specProperties = (llmServiceSpecJsonSchema() as { properties: Record<string, Schema> }).properties;
    expect(Object.keys(formProperties).sort()).toEqual(Object.keys(specProperties).sort());
    for (const [field, schema] of Object.entries(specProperties)) {
      expect(rulesOf(formProperties[field]!), `parameter ${field}`).toEqual(rulesOf(schema));
    }
  });

  it('uses the parameter names issue 24 lists, so values files and --set read the same everywhere', () => {
    const names = ['name', 'owner', 'system', 'model', 'modelRevision', 'modelConfig', 'servedModelName', 'dtype', 'quantization'];
    const more = ['maxModelLen', 'maxNumSeqs', 'gpuType', 'gpuCount', 'minReplicas', 'maxReplicas'];
    expect(Object.keys(LlmServiceSpec.shape)).toEqual(expect.arrayContaining([...names, ...more]));
  });

  it('lets the portal form (RJSF with ajv) accept exactly the models the spec accepts', async () => {
    const { customizeValidator } = await import('@rjsf/validator-ajv8');
    const validator = customizeValidator();
    const samples = [
      'meta-llama/Llama-3.1-8B-Instruct',
      'Qwen/Qwen2.5-7B',
      's3://models/llama/8b',
      'pvc://models/x',
      'llama',
      'http://x/y',
      'a/b/c',
      '-a/b',
    ];
    for (const model of samples) {
      const schema = { type: 'object', properties: { model: formProperties.model } } as never;
      const formAccepts = validator.validateFormData({ model }, schema).errors.length === 0;
      const specAccepts = !LlmServiceSpec.safeParse({ name: 'x', model }).error?.issues.some((i) => i.path[0] === 'model');
      expect(formAccepts, model).toBe(specAccepts);
    }
  });

  it('sizes first (idp:llm:size), then contract → provenance → fetch:template → publish:github → idp:catalog:register', () => {
    expect(template.spec.steps.map((s: { action: string }) => s.action)).toEqual([
      'idp:llm:size',
      'idp:platform:contract',
      'idp:template:provenance',
      'fetch:template',
      'publish:github',
      'idp:catalog:register',
    ]);
    expect(template.spec.steps[0].input).toEqual({ values: '${{ parameters }}' });
    const publish = template.spec.steps.find((s: { action: string }) => s.action === 'publish:github').input;
    expect(publish).toMatchObject({
      defaultBranch: 'main',
      protectDefaultBranch: true,
      repoVisibility: 'private',
      requireCodeOwnerReviews: true,
    });
  });

  it('passes fetch:template every value the skeleton renders with, each from the size step explicitly (the answers as given)', async () => {
    const keys = [...Object.keys(await llmValues(LLAMA_8B)), 'provenance'].sort();
    const fetch = template.spec.steps.find((s: { action: string }) => s.action === 'fetch:template').input;
    expect(Object.keys(fetch.values).sort()).toEqual(keys);
    for (const [key, expression] of Object.entries(fetch.values)) {
      const expected = {
        platform: '${{ steps.contract.output.platform }}',
        provenance: '${{ steps.provenance.output.provenance }}',
        answers: '${{ parameters }}',
      }[key];
      expect(expression).toBe(expected ?? `\${{ steps.size.output.spec.${key} }}`);
    }
  });

  it('is version 0.1.0, as the skeleton records it', async () => {
    expect((await loadTemplateDefinition(TEMPLATE_DIR)).version).toBe('0.1.0');
  });
});
