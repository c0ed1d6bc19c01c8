import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { loadPlatformContract, sizeLlmStep } from '@idp/scaffold';
import { createContractsDir } from '../__testUtils__/contracts';
import { createLlmSizeAction } from './llmSize';

// The model configs of the sizing fixtures, as a portal's mirror of configs (idp.llm.modelConfigDir).
const MIRROR = path.resolve(__dirname, '../../../../service-spec/src/llm/fixtures');
const REVISION = '0e9e39f249a16976918f6564b8830bc894c89659';
const LLAMA_8B = {
  name: 'support-chat',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  modelRevision: REVISION,
  modelConfig: 'llama-3.1-8b.config.json',
  maxModelLen: 4096,
  maxNumSeqs: 4,
};

describe('idp:llm:size', () => {
  let contracts: Awaited<ReturnType<typeof createContractsDir>>;
  beforeAll(async () => {
    contracts = await createContractsDir();
  });
  afterAll(() => contracts.remove());

  async function run(input: Record<string, unknown>, options: Parameters<typeof createLlmSizeAction>[0] = {}) {
    const action = createLlmSizeAction({ contractsDir: contracts.dir, modelConfigDir: MIRROR, ...options });
    const ctx = createMockActionContext({ input: input as any, isDryRun: true });
    await action.handler(ctx);
    return ctx.output as jest.Mock;
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('the action accepted the values');
      },
      error => error,
    );

  it("outputs exactly what the host-neutral core resolves (the CLI's step), the GPUs chosen by sizing", async () => {
    const output = await run({ values: LLAMA_8B });
    const expected = await sizeLlmStep(
      { values: LLAMA_8B },
      { contract: await loadPlatformContract(), localFiles: { baseDir: MIRROR, confined: true } },
    );
    expect(output).toHaveBeenCalledTimes(1);
    expect(output).toHaveBeenCalledWith('spec', expected.spec);
    expect(expected.spec).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 1, tensorParallelSize: 1, namespace: 'ml-team' });
  });

  it('refuses a model too big for the GPU type asked for with an InputError naming the numbers and what would fit', async () => {
    const error = await refusal(run({ values: { ...LLAMA_8B, gpuType: 'nvidia-t4', gpuCount: 1 } }));
    expect(error).toMatchObject({ name: 'InputError' });
    expect(error.message).toMatch(/The LLM sizing is invalid/);
    expect(error.message).toMatch(/maxModelLen: must fit the GPUs, but the model needs \d+\.\d GiB: weights 15\.0 GiB/);
    expect(error.message).toMatch(/nvidia-t4 \d+\.\d GiB/);
  });

  it('refuses a model beyond the team quota, and bad values, before reading anything', async () => {
    const file = await contracts.write('tiny-quota.yaml', c => {
      for (const env of ['staging', 'production']) c.environments[env].teamQuotas = { 'ml-team': { gpus: 1 } };
    });
    const quota = await refusal(run({ values: LLAMA_8B, file: path.basename(file) }));
    expect(quota.message).toMatch(/gpuCount: must keep the owner team within its GPU quota/);
    const fetched: string[] = [];
    const fetchSpy = (async (url: URL) => {
      fetched.push(String(url));
      return new Response('{}');
    }) as typeof fetch;
    const bad = await refusal(run({ values: { name: 'Chat', model: 'meta-llama/Llama-3.1-8B' } }, { fetch: fetchSpy }));
    expect(bad.message).toMatch(/name: must be a DNS-1035 label/);
    expect(bad.message).toMatch(/modelRevision: must pin a Hugging Face model to a commit/);
    expect(fetched).toEqual([]);
  });

  it('reads a path only inside the mirror, and without one only URLs', async () => {
    const outside = await refusal(run({ values: { ...LLAMA_8B, modelConfig: '../../../../../../etc/passwd' } }));
    expect(outside.message).toMatch(/modelConfig: must be a path inside the portal's mirror/);
    const noMirror = await refusal(run({ values: LLAMA_8B }, { modelConfigDir: undefined }));
    expect(noMirror.message).toMatch(/modelConfig: must be an https URL here/);
  });
});
