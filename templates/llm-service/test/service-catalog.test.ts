// What the llm-service skeleton tells Backstage, TechDocs and the next template upgrade: catalog
// entities that pass Backstage's validators (the API's OpenAPI definition resolved as the catalog
// resolves $text), an OpenAPI document whose references resolve and whose schemas compile,
// replayable answers, the sizing recorded, and docs that say plainly what was not run.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { LlmServiceSpec } from '@idp/service-spec';
import { validateEntities } from '../../../test/validateEntity.js';
import { LLAMA_8B, llmValues, type RenderedLlmService, renderLlmService } from './llmRender.js';

type Json = Record<string, any>;
const HOSTILE = 'Chats "politely" — ünïcode ✓ ${{ values.name }} {% if x %}y{% endif %} {{ z }} \\ end';
let service: RenderedLlmService;
const file = (name: string) => readFile(path.join(service.dir, name), 'utf-8');

beforeAll(async () => {
  service = await renderLlmService({ ...LLAMA_8B, description: HOSTILE, system: 'support' });
});
afterAll(async () => service?.cleanup());

describe('catalog-info.yaml', () => {
  it('holds a Component and its OpenAI API that pass Backstage validators, free text carried verbatim', async () => {
    const docs = parseAllDocuments(await file('catalog-info.yaml')).map((d) => d.toJS() as Json);
    expect(docs.map((d) => d.kind)).toEqual(['Component', 'API']);
    const [component, api] = docs as [Json, Json];
    api.spec.definition = await file(api.spec.definition.$text.replace(/^\.\//, ''));
    expect(await validateEntities(docs)).toEqual([]);
    expect(component.metadata.description).toBe(HOSTILE);
    expect(component.spec).toMatchObject({ owner: 'group:default/ml-team', system: 'support', providesApis: [api.metadata.name] });
    expect(component.metadata.annotations).toMatchObject({ 'idp.dev/template': 'llm-service', 'idp.dev/template-version': '0.1.0' });
    expect(api.spec.type).toBe('openapi');
  });

  it('a broken entity is reported (the validators are real)', async () => {
    const docs = parseAllDocuments(await file('catalog-info.yaml')).map((d) => d.toJS() as Json);
    docs[0]!.metadata.name = 'Not A Name!';
    expect((await validateEntities(docs)).join()).toMatch(/Component Not A Name!/);
  });
});

describe('openapi.yaml', () => {
  it('is OpenAPI 3.0 whose references resolve and whose schemas compile, naming the served model', async () => {
    const openapi = parse(await file('openapi.yaml')) as Json;
    expect(openapi.openapi).toMatch(/^3\.0\.\d$/);
    expect(Object.keys(openapi.paths).sort()).toEqual(['/health', '/v1/chat/completions', '/v1/completions', '/v1/models']);
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema({ ...openapi, $id: 'https://idp.internal/llm-openapi.json' });
    for (const name of Object.keys(openapi.components.schemas)) {
      expect(() => ajv.getSchema(`https://idp.internal/llm-openapi.json#/components/schemas/${name}`), name).not.toThrow();
    }
    const request = ajv.getSchema('https://idp.internal/llm-openapi.json#/components/schemas/CompletionRequest')!;
    expect(request({ model: service.values.servedModelName, prompt: 'Hi', max_tokens: 1 })).toBe(true);
    expect(request({ prompt: 'Hi' })).toBe(false);
    expect(openapi.components.schemas.ModelList.properties.data.items.properties.id.example).toBe('meta-llama/Llama-3.1-8B-Instruct');
  });
});

describe('.idp and the docs', () => {
  it('answers.yaml records the answers as given, which size to the same service again, and sizing.json records the sizing', async () => {
    const answers = parse(await file('.idp/answers.yaml')) as Json;
    expect(answers).toMatchObject({ template: 'llm-service', templateVersion: '0.1.0' });
    // As given: the GPUs sizing chose are not pinned, so an upgrade that changes an answer sizes again.
    expect(answers.answers).toEqual(service.values.answers);
    expect(answers.answers).not.toHaveProperty('gpuCount');
    const replayed = await llmValues(answers.answers);
    expect(replayed.sizing).toEqual(service.values.sizing);
    expect(Object.keys(answers.answers).every((key) => key in LlmServiceSpec.shape)).toBe(true);
    expect(JSON.parse(await file('.idp/sizing.json'))).toEqual(service.values.sizing);
  });

  it('TechDocs lists pages that exist, and the docs say the engine was not run here', async () => {
    const mkdocs = parse(await file('mkdocs.yml')) as { nav: Record<string, string>[] };
    for (const page of mkdocs.nav.flatMap(Object.values)) expect((await file(`docs/${page}`)).length).toBeGreaterThan(100);
    expect(await file('docs/index.md')).toMatch(/The engine itself was not run there/);
    const runbook = await file('docs/runbook.md');
    for (const section of [
      'Out of memory, or the KV cache too small, at start-up',
      'Slow cold start',
      'Queue growing',
      'A new model revision',
    ])
      expect(runbook).toContain(`## ${section}`);
    expect(await file('docs/sizing.md')).toMatch(/\| Weights \| 15 GiB \(bfloat16\) \|/);
  });

  // mkdocs is Debian's (scripts/system-packages.txt); the TechDocs generator runs the same.
  it.skipIf(spawnSync('mkdocs', ['--version']).status !== 0)(
    'mkdocs builds the TechDocs with --strict (no broken link or missing page)',
    async () => {
      const site = await mkdtemp(path.join(tmpdir(), 'idp-llm-site-'));
      try {
        const result = spawnSync('mkdocs', ['build', '--strict', '--site-dir', site], { cwd: service.dir, encoding: 'utf-8' });
        expect(result.status, result.stderr).toBe(0);
      } finally {
        await rm(site, { recursive: true, force: true });
      }
    },
  );
});
