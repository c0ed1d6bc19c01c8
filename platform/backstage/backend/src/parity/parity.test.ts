import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import { DEFAULT_CONTRACT_FILE } from '@idp/scaffold';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { catalogFeatures, scaffolderFeatures } from '../features';
import { postDryRun } from './__testUtils__/dryRunRequest';
import { firstDifference } from './__testUtils__/firstDifference';
import { filesFromDryRun } from './__testUtils__/generatedFiles';
import { PARITY_CASES, type ParityCase } from './__testUtils__/parityCases';
import { renderLikeCli } from './__testUtils__/renderLikeCli';
import { repoRoot } from './__testUtils__/repoRoot';

// The headline promise: the portal creates exactly what `idp new` creates. The real catalog and
// scaffolder (with our module) run in-process; the scaffolder's dry-run renders the template
// through validate → contract → fetch:template and returns every file it would publish.

const ROOT = repoRoot();
const TEMPLATE_DIR = path.join(ROOT, 'templates/model-service');
const PLATFORM_CATALOG = path.join(ROOT, 'catalog-info.yaml');

describe('the portal and idp new', () => {
  let backend: TestBackend;
  let baseUrl: string;
  let contractsDir: string;
  let contractCount = 0;

  beforeAll(async () => {
    contractsDir = await mkdtemp(path.join(os.tmpdir(), 'idp-parity-contracts-'));
    backend = await startTestBackend({
      features: [
        ...catalogFeatures,
        ...scaffolderFeatures,
        // The catalog exactly as `npm run portal` configures it (rules and locations).
        mockServices.rootConfig.factory({ data: { catalog: await portalCatalogConfig() } }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}`;
  });

  afterAll(async () => {
    await backend?.stop();
    await rm(contractsDir, { recursive: true, force: true });
  });

  const dryRun = (values: Record<string, unknown>) => postDryRun(baseUrl, TEMPLATE_DIR, values);

  /** Runs `fn` with IDP_PLATFORM_CONTRACT naming a variant of the default contract, for both doors. */
  async function withContract<T>(change: ParityCase['contract'], fn: () => Promise<T>): Promise<T> {
    if (!change) return fn();
    const contract = JSON.parse(JSON.stringify(parse(await readFile(DEFAULT_CONTRACT_FILE, 'utf-8'))));
    change(contract);
    const file = path.join(contractsDir, `contract-${(contractCount += 1)}.yaml`);
    await writeFile(file, stringify(contract));
    process.env.IDP_PLATFORM_CONTRACT = file;
    try {
      return await fn();
    } finally {
      delete process.env.IDP_PLATFORM_CONTRACT;
    }
  }

  it.each(PARITY_CASES.map(c => [c.title, c] as const))('generate the same files: %s', async (_title, parityCase) => {
    await withContract(parityCase.contract, async () => {
      const expected = await renderLikeCli(TEMPLATE_DIR, parityCase.values);
      const { status, body } = await dryRun(parityCase.values);
      if (status !== 200) throw new Error(`dry-run answered ${status}: ${JSON.stringify(body, null, 2)}`);

      const steps = body.log.map((entry: any) => entry.body.message).join('\n');
      // publish:github and idp:catalog:register have no dry-run mode: the scaffolder skips them.
      expect(steps).toMatch(/Skipping because publish:github does not support dry-run/);
      expect(steps).toMatch(/Skipping because idp:catalog:register does not support dry-run/);

      const actual = filesFromDryRun(body.directoryContents);
      expect(actual.size).toBeGreaterThan(10);
      expect(firstDifference(expected, actual)).toBeUndefined();
    });
  });

  it('rejects values the spec refuses with every problem, as idp new does', async () => {
    const { status, body } = await dryRun({ ...PARITY_CASES[0]!.values, gpuType: 'none', gpuCount: 2, minReplicas: 5, maxReplicas: 2 });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ name: 'InputError' });
    expect(body.error.message).toMatch(/gpuCount: must be 0 when gpuType is none/);
    expect(body.error.message).toMatch(/maxReplicas: must be at least minReplicas \(5\)/);
  });

  it('lists the idp actions with their descriptions, examples and schemas', async () => {
    const actions = (await (await fetch(`${baseUrl}/api/scaffolder/v2/actions`)).json()) as any[];
    for (const id of ['idp:spec:validate', 'idp:platform:contract']) {
      const action = actions.find(a => a.id === id);
      expect(action).toMatchObject({ description: expect.stringMatching(/idp new/), schema: { input: { type: 'object' }, output: { type: 'object' } } });
      expect(action.examples.length).toBeGreaterThan(0);
    }
  });

  it('loads the template and the platform catalog-info.yaml with no processing errors', async () => {
    const platformEntities = parseAllDocuments(await readFile(PLATFORM_CATALOG, 'utf-8'))
      .map(doc => doc.toJS())
      .filter(Boolean);
    const wanted = [
      'template:default/model-service',
      ...platformEntities.map((e: any) => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase()),
    ];

    const entities = await waitFor(async () => {
      const response = await fetch(`${baseUrl}/api/catalog/entities`);
      const all = (await response.json()) as any[];
      const refs = all.map(e => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase());
      return wanted.every(ref => refs.includes(ref)) ? all : undefined;
    });

    const errors = entities.flatMap((e: any) =>
      (e.status?.items ?? []).filter((item: any) => item.level === 'error').map((item: any) => `${e.kind}:${e.metadata.name}: ${item.error?.message}`),
    );
    expect(errors).toEqual([]);
    const template = entities.find((e: any) => e.kind === 'Template' && e.metadata.name === 'model-service');
    // Templates reach the catalog through the platform's own catalog-info.yaml (its Location entity).
    expect(template.metadata.annotations['backstage.io/managed-by-origin-location']).toBe(`file:${PLATFORM_CATALOG}`);
    expect(template.spec.steps.map((s: any) => s.action)).toEqual([
      'idp:spec:validate',
      'idp:platform:contract',
      'idp:template:provenance',
      'fetch:template',
      'publish:github',
      'idp:catalog:register',
    ]);
  });
});

/** app-config.yaml's catalog section, its file locations made absolute (they are relative to the backend). */
async function portalCatalogConfig() {
  const { catalog } = parse(await readFile(path.join(ROOT, 'platform/backstage/app-config.yaml'), 'utf-8'));
  const backendDir = path.join(ROOT, 'platform/backstage/backend');
  for (const location of catalog.locations) {
    if (location.type === 'file') location.target = path.resolve(backendDir, location.target);
  }
  return catalog;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
