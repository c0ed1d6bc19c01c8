import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { loadPlatformContract } from '@idp/scaffold';
import { createContractsDir, withContractEnv } from '../__testUtils__/contracts';
import { createPlatformContractAction } from './platformContract';

describe('idp:platform:contract', () => {
  let contracts: Awaited<ReturnType<typeof createContractsDir>>;
  beforeAll(async () => {
    contracts = await createContractsDir();
  });
  afterAll(() => contracts.remove());

  async function run(input: Record<string, unknown> = {}, extra: { isDryRun?: boolean } = {}) {
    const action = createPlatformContractAction({ contractsDir: contracts.dir });
    const ctx = createMockActionContext({ input: input as any, ...extra });
    await action.handler(ctx);
    return ctx.output as jest.Mock;
  }

  it('outputs the contract the CLI loads', async () => {
    const output = await run();
    expect(output).toHaveBeenCalledWith('platform', await loadPlatformContract());
    expect(output.mock.calls[0][1]).toMatchObject({ version: 1, github: { org: 'acme' } });
  });

  it('honours IDP_PLATFORM_CONTRACT', async () => {
    const file = await contracts.write('linkerd.yaml', c => {
      c.environments.staging.mesh = 'linkerd';
    });
    const output = await withContractEnv(file, () => run());
    expect(output.mock.calls[0][1].environments.staging.mesh).toBe('linkerd');
    expect(output.mock.calls[0][1]).toEqual(await loadPlatformContract(file));
  });

  it('reads the file input from the contracts directory, in a dry run too', async () => {
    await contracts.write('sidecar.yaml', c => {
      c.environments.production.mesh = 'istio-sidecar';
    });
    const output = await run({ file: 'sidecar.yaml' }, { isDryRun: true });
    expect(output.mock.calls[0][1].environments.production.mesh).toBe('istio-sidecar');
  });

  it('rejects an invalid contract with an InputError naming the field and the rule', async () => {
    await contracts.write('bad.yaml', c => {
      c.environments.staging.mesh = 'consul';
      c.github.org = '-acme';
    });
    const error = await run({ file: 'bad.yaml' }).then(
      () => undefined,
      e => e,
    );
    expect(error).toMatchObject({ name: 'InputError' });
    expect(error.message).toMatch(/environments\.staging\.mesh:/);
    expect(error.message).toMatch(/github\.org: must be a GitHub organisation \(e\.g\. acme\)/);
  });

  it('rejects a missing file and a path outside the contracts directory', async () => {
    await expect(run({ file: 'absent.yaml' })).rejects.toThrow(/Cannot read the platform contract .*absent\.yaml/);
    await expect(run({ file: '/etc/hostname' })).rejects.toThrow(/file: must name a contract inside/);
  });
});
