// What the skeleton tells Backstage, GitHub, Docker and the next template upgrade: catalog entities
// that pass catalog-model's validators, CODEOWNERS from the owner ref, replayable answers, TechDocs
// nav, container images — with free text carried verbatim, never evaluated.
import { spawnSync } from 'node:child_process';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  type Entity,
} from '@backstage/catalog-model';
import { loadPlatformContract, loadTemplateDefinition, renderTemplate } from '@idp/scaffold';
import { ServiceSpec, serviceValues, type ServiceSpecInput } from '@idp/service-spec';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { PYTHON, SKELETON_DIR } from './serviceHarness.js';

const HOSTILE = 'Scores "card" txns — it\'s ünïcode ✓ ${{ values.name }} {% if x %}y{% endif %} {{ z }} {# c #} \\ end';

async function render(spec: ServiceSpecInput) {
  const values = serviceValues(spec, await loadPlatformContract());
  const entries = await renderTemplate(SKELETON_DIR, values);
  const files = new Map(entries.flatMap((e) => (e.kind === 'file' ? [[e.path, e.content.toString('utf-8')] as const] : [])));
  const file = (name: string) => {
    const text = files.get(name);
    if (text === undefined) throw new Error(`the skeleton renders no ${name}`);
    return text;
  };
  return { values, files, file };
}

const policies = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** As the catalog ingests: resolve $text placeholders (from the repo), apply the policies, then the kind's validator. */
async function ingest(entity: Entity, file: (name: string) => string): Promise<Entity> {
  const definition = (entity.spec as { definition?: { $text?: string } } | undefined)?.definition;
  if (definition && typeof definition === 'object' && definition.$text) {
    (entity.spec as Record<string, unknown>).definition = file(definition.$text.replace(/^\.\//, ''));
  }
  const accepted = await policies.enforce(entity);
  if (!accepted) throw new Error('rejected by the entity policies');
  const validator = entity.kind === 'Component' ? componentEntityV1alpha1Validator : apiEntityV1alpha1Validator;
  expect(await validator.check(accepted)).toBe(true);
  return accepted;
}

describe('catalog-info.yaml', () => {
  it.each([
    ['defaults', { name: 'fraud-detector' }],
    [
      'a system, a user owner, a hostile description',
      { name: 'x-1-y', system: 'payments', owner: 'user:default/jane.doe', description: HOSTILE },
    ],
    ['a 46-character name and a GPU', { name: 'n'.repeat(46), gpuType: 'nvidia-l4', gpuCount: 2 }],
  ] as const)('passes catalog-model validation: %s', async (_label, spec: ServiceSpecInput) => {
    const { values, file } = await render(spec);
    const [component, api, ...rest] = parseAllDocuments(file('catalog-info.yaml')).map((d) => d.toJS() as Entity);
    expect(rest).toEqual([]);
    const c = await ingest(component!, file);
    expect(c).toMatchObject({
      kind: 'Component',
      metadata: {
        name: values.name,
        description: values.description,
        annotations: {
          'github.com/project-slug': `acme/${values.name}`,
          'backstage.io/techdocs-ref': 'dir:.',
          'backstage.io/kubernetes-label-selector': `app.kubernetes.io/name=${values.name}`,
        },
      },
      spec: { type: 'service', lifecycle: 'experimental', owner: values.owner, providesApis: [`${values.name}-oip`] },
    });
    expect((c.spec as { system?: string }).system).toBe(values.system || undefined);
    const a = await ingest(api!, file);
    expect(a).toMatchObject({ kind: 'API', metadata: { name: `${values.name}-oip` }, spec: { type: 'openapi', owner: values.owner } });
    const openapi = parse((a.spec as { definition: string }).definition);
    expect(openapi.openapi).toMatch(/^3\./);
    expect(openapi.info.description).toContain(values.description);
    expect(Object.keys(openapi.paths)).toContain('/v2/models/{model_name}/infer');
  });

  it('is refused by the validators when a required field is missing (the check can fail)', async () => {
    const { file } = await render({ name: 'fraud-detector' });
    const [component] = parseAllDocuments(file('catalog-info.yaml')).map((d) => d.toJS() as Entity);
    delete (component!.spec as Record<string, unknown>).lifecycle;
    await expect(componentEntityV1alpha1Validator.check(component!)).rejects.toThrow(/lifecycle/);
  });
});

describe('.github/CODEOWNERS', () => {
  it.each([
    ['group:default/ml-team', '* @acme/ml-team'],
    ['ml-team', '* @acme/ml-team'],
    ['group:payments/fraud-squad', '* @acme/fraud-squad'],
    ['user:default/jane.doe', '* @jane.doe'],
    ['user:jdoe', '* @jdoe'],
  ])('maps %s to %s', async (owner, line) => {
    const { file } = await render({ name: 'fraud-detector', owner });
    const rules = file('.github/CODEOWNERS')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(rules).toEqual([line]);
  });
});

describe('.idp/answers.yaml', () => {
  it('records the template, its version and every spec answer, verbatim', async () => {
    const spec = {
      name: 'x-1-y',
      description: HOSTILE,
      gpuType: 'nvidia-t4',
      gpuCount: 1,
      system: 'payments',
      modelUri: 's3://models/x/1',
    } as const;
    const { values, file } = await render(spec);
    const answers = parse(file('.idp/answers.yaml'));
    expect(answers.template).toBe('model-service');
    expect(answers.templateVersion).toBe((await loadTemplateDefinition(new URL('..', import.meta.url).pathname)).version);
    expect(Object.keys(answers.answers).sort()).toEqual(Object.keys(ServiceSpec.in.shape).sort());
    const { platform: _platform, pythonPackage: _pythonPackage, namespace: _namespace, sharedMemory: _sharedMemory, ...recorded } = values;
    expect(answers.answers).toEqual(recorded);
    // Replaying the answers gives the same values.
    expect(serviceValues(answers.answers, await loadPlatformContract())).toEqual(values);
  });
});

describe('rendering', () => {
  it('does not depend on the order of the values (the portal passes form order, the CLI spec order)', async () => {
    const values = serviceValues({ name: 'fraud-detector', system: 'payments' }, await loadPlatformContract());
    const reversed = Object.fromEntries(Object.entries(values).reverse());
    const render = async (v: Record<string, unknown>) =>
      (await renderTemplate(SKELETON_DIR, v)).map((e) => (e.kind === 'file' ? `${e.path}\n${e.content.toString('utf-8')}` : e.path)).sort();
    expect(await render(reversed)).toEqual(await render(values));
  });
});

describe('free text and template syntax', () => {
  it('carries a hostile description verbatim into YAML, TOML and OpenAPI, unevaluated', async () => {
    const { file } = await render({ name: 'quoted', description: HOSTILE });
    expect(parse(file('mkdocs.yml')).site_description).toBe(HOSTILE);
    expect(parseAllDocuments(file('catalog-info.yaml'))[0]!.toJS().metadata.description).toBe(HOSTILE);
    expect(parse(file('openapi.yaml')).info.description).toContain(HOSTILE);
    const toml = spawnSync(
      PYTHON,
      ['-c', 'import sys, tomllib; print(tomllib.loads(sys.stdin.read())["project"]["description"], end="")'],
      { input: file('pyproject.toml'), encoding: 'utf-8' },
    );
    expect(toml.stdout).toBe(HOSTILE);
  });

  it('leaves no template syntax in the files it owns', async () => {
    const { files } = await render({
      name: 'plain',
      gpuType: 'nvidia-a100',
      gpuCount: 8,
      maxReplicas: 1,
      system: 's',
      modelUri: 'gs://b/m',
    });
    const owned = [...files.keys()].filter((p) => !/^(\.github\/workflows|deploy|monitoring)\/|^docs\/runbook\.md$/.test(p));
    expect(owned.length).toBeGreaterThan(25);
    for (const name of owned) expect(files.get(name), name).not.toMatch(/\$\{\{|\{%|%\}|\{#/);
  });
});

describe('mkdocs.yml and docs/', () => {
  it('lists pages that exist, including the runbook', async () => {
    const { files, file } = await render({ name: 'fraud-detector' });
    const nav: Array<Record<string, string>> = parse(file('mkdocs.yml')).nav;
    const pages = nav.map((entry) => Object.values(entry)[0]!);
    expect(pages).toEqual(['index.md', 'api.md', 'serve-your-model.md', 'configuration.md', 'runbook.md']);
    for (const page of pages) expect(files.has(`docs/${page}`), page).toBe(true);
  });
});

describe('Dockerfile', () => {
  const stages = (text: string) => [...text.matchAll(/^FROM (\S+)(?: AS (\S+))?/gm)].map((m) => m[1]!);
  it('builds on pinned python slim without a GPU, on pinned CUDA runtime with one; non-root 10001', async () => {
    const cpu = (await render({ name: 'fraud-detector' })).file('Dockerfile');
    const gpu = (await render({ name: 'fraud-detector', gpuType: 'nvidia-h100', gpuCount: 4 })).file('Dockerfile');
    expect(stages(cpu)[0]).toMatch(/^python:3\.\d+\.\d+-slim-bookworm$/);
    expect(stages(gpu)[0]).toMatch(/^nvidia\/cuda:\d+\.\d+\.\d+-runtime-ubuntu22\.04$/);
    for (const text of [cpu, gpu]) {
      expect(stages(text).length).toBeGreaterThanOrEqual(3);
      expect(text).not.toMatch(/:latest\b/);
      expect(text).toMatch(/^USER 10001:10001$/m);
      expect(text).toMatch(/--uid 10001 --gid 10001/);
      expect(text).toMatch(/^CMD \["python", "-m", "fraud_detector"\]$/m);
      expect(text).toMatch(/MODEL_CACHE_DIR=\/var\/cache\/model/);
    }
    expect(cpu).not.toContain('nvidia');
  });

  it("installs the model format's runtime, pinned, with CUDA wheels only for a GPU build", async () => {
    const pins = (text: string) => text.split('\n').filter((line) => line && !line.startsWith('#') && !line.startsWith('-'));
    const gpu = await render({ name: 'vision', gpuType: 'nvidia-l4', modelFormat: 'pytorch', modelUri: 's3://m/1' });
    expect(gpu.file('Dockerfile')).toMatch(/^ARG DEVICE=cuda$/m);
    expect(gpu.file('Dockerfile')).toContain('-r requirements/pytorch-${DEVICE}.txt');
    expect(gpu.file('Makefile')).toMatch(/^DEVICE \?= cuda$/m);
    // The GPU build also pins NVML's bindings: GPU memory on /metrics whatever the framework.
    expect(pins(gpu.file('requirements/pytorch-cuda.txt'))).toEqual([
      expect.stringMatching(/^torch==\d+\.\d+\.\d+$/),
      expect.stringMatching(/^nvidia-ml-py==\d+\.\d+\.\d+$/),
    ]);
    expect(pins(gpu.file('requirements/pytorch-cpu.txt'))).toEqual([expect.stringMatching(/^torch==\d+\.\d+\.\d+\+cpu$/)]);
    expect(gpu.file('requirements-dev.txt')).toContain('-r requirements/pytorch-cpu.txt'); // tests and CI: no CUDA
    const cpu = await render({ name: 'tabular', modelFormat: 'xgboost', modelUri: 's3://m/1' });
    expect(cpu.file('Dockerfile')).toMatch(/^ARG DEVICE=cpu$/m);
    expect(pins(cpu.file('requirements/xgboost-cpu.txt'))).toEqual([expect.stringMatching(/^xgboost-cpu==\d+\.\d+\.\d+$/)]);
    expect(pins(cpu.file('requirements/xgboost-cuda.txt'))).toEqual(expect.arrayContaining([expect.stringMatching(/^nvidia-ml-py==/)]));
    expect(cpu.files.has('requirements/pytorch-cpu.txt')).toBe(false);
    expect(cpu.file('src/tabular/config.py')).toContain('DEFAULT_MODEL_FORMAT = "xgboost"');
    expect(cpu.file('src/tabular/config.py')).toContain('DEFAULT_DEVICE = "cpu"');
    expect(gpu.file('src/vision/config.py')).toContain('DEFAULT_DEVICE = "cuda"');
  });
});
