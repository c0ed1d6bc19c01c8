import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { loadPlatformContract } from '@idp/scaffold';
import { resolveService } from '@idp/service-spec';
import { createContractsDir, withContractEnv } from '../__testUtils__/contracts';
import { createValidateSpecAction } from './validateSpec';

describe('idp:spec:validate', () => {
  let contracts: Awaited<ReturnType<typeof createContractsDir>>;
  beforeAll(async () => {
    contracts = await createContractsDir();
  });
  afterAll(() => contracts.remove());

  async function run(input: Record<string, unknown>, extra: { isDryRun?: boolean; githubHosts?: string[] } = {}) {
    const action = createValidateSpecAction({ contractsDir: contracts.dir, githubHosts: extra.githubHosts });
    const ctx = createMockActionContext({ input: input as any, ...extra });
    await action.handler(ctx);
    return ctx.output as jest.Mock;
  }

  it('outputs the spec the CLI resolves, every default, repoUrl and pythonPackage included', async () => {
    const values = { name: 'fraud-detector', description: 'Scores "card" payments ✓ ${{ values.name }}' };
    const output = await run({ values });

    const expected = resolveService(values, await loadPlatformContract());
    expect(output).toHaveBeenCalledTimes(1);
    expect(output).toHaveBeenCalledWith('spec', expected);
    expect(expected).toMatchObject({
      name: 'fraud-detector',
      description: 'Scores "card" payments ✓ ${{ values.name }}',
      owner: 'group:default/ml-team',
      gpuType: 'none',
      gpuCount: 0,
      repoUrl: 'github.com?owner=acme&repo=fraud-detector',
      pythonPackage: 'fraud_detector',
    });
  });

  it('gives a GPU service one GPU by default', async () => {
    const output = await run({ values: { name: 'vision', gpuType: 'nvidia-l4' } });
    expect(output.mock.calls[0][1]).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 1 });
  });

  it('rejects bad values with an InputError naming every field, its rule and a fix', async () => {
    const values = { name: 'Bad_Name', gpuType: 'tpu-v5', minReplicas: 5, maxReplicas: 2, colour: 'blue' };
    const error = await run({ values }).then(
      () => undefined,
      e => e,
    );

    expect(error).toMatchObject({ name: 'InputError' });
    expect(error.message).toContain('The service spec is invalid');
    expect(error.message).toMatch(/name: must be a DNS-1035 label.*\(e\.g\. fraud-detector\)/);
    expect(error.message).toMatch(/gpuType: must be one of none, nvidia-t4.*\(e\.g\. nvidia-l4\)/);
    expect(error.message).toMatch(/maxReplicas: must be at least minReplicas \(5\)/);
    expect(error.message).toMatch(/colour: is not a known field; known fields: name, description/);
  });

  it('rejects a GPU type the platform has no pool for', async () => {
    const file = await contracts.write('no-h100.yaml', c => {
      delete c.environments.production.gpuPools['nvidia-h100'];
    });
    await expect(withContractEnv(file, () => run({ values: { name: 'llm', gpuType: 'nvidia-h100' } }))).rejects.toThrow(
      /gpuType: must be a GPU type the platform has a pool for, but nvidia-h100 has none in production/,
    );
  });

  it("refuses a service that cannot fit the owner team's GPU quota, with the same message as idp new", async () => {
    const file = await contracts.write('small-quota.yaml', c => {
      c.environments.production.teamQuotas = { 'ml-team': { gpus: 8 } };
    });
    const values = { name: 'llm', gpuType: 'nvidia-h100', gpuCount: 2, maxReplicas: 5 };
    const error = await withContractEnv(file, () => run({ values })).then(
      () => undefined,
      e => e,
    );
    expect(error).toMatchObject({ name: 'InputError' });
    expect(error.message).toContain(
      "maxReplicas: must fit the owner team's GPU quota: (maxReplicas 5 + 1 rollout pod) × gpuCount 2 = 12 GPUs, but ml-team has 8 in ml-production (production) (e.g. maxReplicas=3)",
    );
  });

  it('derives repoUrl from the contract named by IDP_PLATFORM_CONTRACT, as the CLI does', async () => {
    const file = await contracts.write('globex.yaml', c => {
      c.github.org = 'globex';
    });
    const output = await withContractEnv(file, () => run({ values: { name: 'ranker' } }));
    expect(output.mock.calls[0][1].repoUrl).toBe('github.com?owner=globex&repo=ranker');
  });

  it('reads the file input from the contracts directory and refuses paths outside it', async () => {
    await contracts.write('initech.yaml', c => {
      c.github.org = 'initech';
    });
    const output = await run({ values: { name: 'ranker' }, file: 'initech.yaml' });
    expect(output.mock.calls[0][1].repoUrl).toBe('github.com?owner=initech&repo=ranker');

    await expect(run({ values: { name: 'ranker' }, file: '../../etc/passwd' })).rejects.toThrow(
      /file: must name a contract inside .*, but \.\.\/\.\.\/etc\/passwd is outside it/,
    );
  });

  it('refuses a repoUrl host no GitHub integration serves, and accepts the configured ones', async () => {
    const values = { name: 'ranker', repoUrl: 'ghe.corp.example?owner=acme&repo=ranker' };
    await expect(run({ values })).rejects.toThrow(/repoUrl: must be on a GitHub host .*\(github\.com\), but names ghe\.corp\.example/);
    await expect(run({ values: { ...values, repoUrl: 'gitlab.com?owner=acme&repo=ranker' } })).rejects.toThrow(/repoUrl: must be on a GitHub host/);
    const output = await run({ values }, { githubHosts: ['github.com', 'ghe.corp.example'] });
    expect(output.mock.calls[0][1].repoUrl).toBe('ghe.corp.example?owner=acme&repo=ranker');
  });

  it('refuses unprintable free text naming the field', async () => {
    await expect(run({ values: { name: 'ranker', modelUri: 's3://m/\u001b', description: 'half \ud800' } })).rejects.toThrow(
      /description: must be printable text.*U\+D800[\s\S]*modelUri: must be printable text.*U\+001B/,
    );
  });

  it('behaves the same in a dry run', async () => {
    const output = await run({ values: { name: 'fraud-detector' } }, { isDryRun: true });
    expect(output.mock.calls[0][1]).toMatchObject({ name: 'fraud-detector', pythonPackage: 'fraud_detector' });
    expect(createValidateSpecAction().supportsDryRun).toBe(true);
  });

  it('documents itself with examples and schemas', () => {
    const action = createValidateSpecAction();
    expect(action.description).toMatch(/idp new/);
    expect(action.examples?.length).toBeGreaterThan(0);
    expect(action.schema?.input).toMatchObject({ type: 'object', properties: { values: { type: 'object' }, file: { type: 'string' } } });
    expect(action.schema?.output).toMatchObject({ properties: { spec: { properties: { repoUrl: { type: 'string' }, pythonPackage: { type: 'string' } } } } });
  });

  it("declares exactly the resolved spec's fields in its output schema, with their types (no drift from @idp/service-spec)", async () => {
    // The schema is written out for Backstage's zod; this pins it to what resolveService returns.
    const resolved = resolveService({ name: 'fraud-detector' }, await loadPlatformContract());
    const declared = (createValidateSpecAction().schema?.output as any).properties.spec;
    expect(Object.keys(declared.properties).sort()).toEqual(Object.keys(resolved).sort());
    expect(declared.required?.slice().sort()).toEqual(Object.keys(resolved).sort());
    for (const [field, value] of Object.entries(resolved)) {
      const type = Number.isInteger(value) ? 'integer' : typeof value;
      expect({ field, type: declared.properties[field].type }).toEqual({ field, type });
    }
  });
});
