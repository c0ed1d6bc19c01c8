import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import { parse } from 'yaml';
import { catalogFeatures, scaffolderFeatures } from '../features';
import { postDryRun } from './__testUtils__/dryRunRequest';
import { firstDifference } from './__testUtils__/firstDifference';
import { filesFromDryRun } from './__testUtils__/generatedFiles';
import { renderLikeCli } from './__testUtils__/renderLikeCli';
import { repoRoot } from './__testUtils__/repoRoot';

// The llm-service golden path in the real scaffolder, in-process: the dry-run runs idp:llm:size
// (reading config.json from the portal's mirror of model configs), the contract, provenance and
// fetch:template, and returns every file it would publish. They must be the bytes `idp new
// llm-service`'s engine renders for the same values (the same idp:llm:size, through its registry).

const ROOT = repoRoot();
const TEMPLATE_DIR = path.join(ROOT, 'templates/llm-service');
const MIRROR = path.join(ROOT, 'platform/service-spec/src/llm/fixtures');
const VALUES = {
  name: 'support-chat',
  owner: 'group:default/ml-team',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  modelRevision: '0e9e39f249a16976918f6564b8830bc894c89659',
  modelConfig: 'llama-3.1-8b.config.json',
  maxModelLen: 4096,
  maxNumSeqs: 4,
  repoUrl: 'github.com?owner=acme&repo=support-chat',
};

describe('llm-service in the portal', () => {
  let backend: TestBackend;
  let baseUrl: string;

  beforeAll(async () => {
    const { catalog } = parse(await readFile(path.join(ROOT, 'platform/backstage/app-config.yaml'), 'utf-8'));
    for (const location of catalog.locations) {
      if (location.type === 'file') location.target = path.resolve(ROOT, 'platform/backstage/backend', location.target);
    }
    backend = await startTestBackend({
      features: [
        ...catalogFeatures,
        ...scaffolderFeatures,
        mockServices.rootConfig.factory({ data: { catalog, idp: { llm: { modelConfigDir: MIRROR } } } }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}`;
  });
  afterAll(async () => backend?.stop());

  const dryRun = (values: Record<string, unknown>) => postDryRun(baseUrl, TEMPLATE_DIR, values);

  it("dry-runs the template: sizing, then the files idp new's engine renders for the same values, byte for byte", async () => {
    const { status, body } = await dryRun(VALUES);
    if (status !== 200) throw new Error(`dry-run answered ${status}: ${JSON.stringify(body, null, 2)}`);
    const steps = body.log.map((entry: any) => entry.body.message).join('\n');
    expect(steps).toMatch(/support-chat: meta-llama\/Llama-3\.1-8B-Instruct fits 1 × nvidia-l4 \(tensor-parallel 1\) at 4096 tokens × 4 sequences/);
    expect(steps).toMatch(/Skipping because publish:github does not support dry-run/);
    const actual = await expectSameAsCli(VALUES, body);
    const deployment = actual.get('deploy/base/deployment.yaml')!.content.toString('utf-8');
    expect(deployment).toContain('--tensor-parallel-size=1');
    expect(deployment).toContain('nvidia.com/gpu: 1');
  });

  // Other models and sources: tensor parallelism over one node's GPUs, quantised weights with an
  // fp8 KV cache, weights on a PVC with their own served name, the defaults.
  it.each([
    { model: 'meta-llama/Llama-3.1-70B-Instruct', modelConfig: 'llama-3.1-70b.config.json', maxModelLen: 8192, maxNumSeqs: 8 },
    {
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      modelConfig: 'llama-3.1-70b.config.json',
      quantization: 'awq',
      dtype: 'float16',
      kvCacheDtype: 'fp8',
    },
    { model: 'pvc://models/qwen2.5-7b', modelRevision: undefined, modelConfig: 'qwen2.5-7b.config.json', servedModelName: 'qwen-chat' },
    { model: 'Qwen/Qwen2.5-0.5B-Instruct', modelConfig: 'qwen2.5-0.5b.config.json', maxModelLen: undefined, maxNumSeqs: undefined },
  ])('renders the same files through both doors for $model ($modelConfig)', async (change) => {
    const values = Object.fromEntries(Object.entries({ ...VALUES, ...change }).filter(([, value]) => value !== undefined));
    const { status, body } = await dryRun(values);
    if (status !== 200) throw new Error(`dry-run answered ${status}: ${JSON.stringify(body, null, 2)}`);
    await expectSameAsCli(values, body);
  });

  /** The dry-run's files equal what the CLI's engine renders for the same values, reading the same mirror. */
  async function expectSameAsCli(values: Record<string, unknown>, body: any) {
    const expected = await renderLikeCli(TEMPLATE_DIR, values, { modelFiles: { localFiles: { baseDir: MIRROR, confined: false } } });
    const actual = filesFromDryRun(body.directoryContents);
    expect(actual.size).toBeGreaterThan(20);
    expect(firstDifference(expected, actual)).toBeUndefined();
    return actual;
  }

  it('refuses, before anything is rendered, a model the asked GPUs cannot hold, with the numbers', async () => {
    const { status, body } = await dryRun({ ...VALUES, gpuType: 'nvidia-t4', gpuCount: 1 });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ name: 'InputError' });
    expect(body.error.message).toMatch(/maxModelLen: must fit the GPUs, but the model needs \d+\.\d GiB: weights 15\.0 GiB \+ KV cache/);
    expect(body.error.message).toMatch(/the most each pool gives one pod: nvidia-t4 \d+\.\d GiB/);
  });

  it('is in the portal\'s template list, sizing first, with no processing errors', async () => {
    const deadline = Date.now() + 30_000;
    let template: any;
    while (!template && Date.now() < deadline) {
      const all = (await (await fetch(`${baseUrl}/api/catalog/entities?filter=kind=template`)).json()) as any[];
      template = all.find(e => e.metadata.name === 'llm-service');
      if (!template) await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(template.spec.steps.map((s: any) => s.action)).toEqual([
      'idp:llm:size',
      'idp:platform:contract',
      'idp:template:provenance',
      'fetch:template',
      'publish:github',
      'idp:catalog:register',
    ]);
    expect((template.status?.items ?? []).filter((item: any) => item.level === 'error')).toEqual([]);
    const actions = (await (await fetch(`${baseUrl}/api/scaffolder/v2/actions`)).json()) as any[];
    expect(actions.find(a => a.id === 'idp:llm:size')).toMatchObject({ description: expect.stringMatching(/sizes it for the platform's GPUs/) });
  });
});
