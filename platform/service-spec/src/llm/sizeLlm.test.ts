import { describe, expect, it } from 'vitest';
import { readDefaultContract } from '../../../../test/defaultContract.js';
import { modelConfig, modelIndex } from '../../../../test/modelFixtures.js';
import { InvalidInputError, type LlmSizingRequest, parsePlatformContract, sizeLlm } from '../index.js';

const GIB = 1024 ** 3;
const llama8b = modelConfig('llama-3.1-8b');
const llama70b = modelConfig('llama-3.1-70b');

/** The default contract, changed in both environments (they share their pools and quotas). */
function contract(change: (env: any) => void = () => {}) {
  const raw = readDefaultContract();
  for (const env of ['staging', 'production']) change(raw.environments[env]);
  return parsePlatformContract(raw);
}
const onlyPools = (...types: string[]) =>
  contract((env) => {
    for (const t of Object.keys(env.gpuPools)) if (!types.includes(t)) delete env.gpuPools[t];
  });

function refusal(request: LlmSizingRequest, platform = contract()) {
  try {
    sizeLlm(request, platform);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).problems;
  }
  throw new Error('sizeLlm accepted the request');
}

/** The maxModelLen a refusal suggests. */
const suggested = (message: string) => Number(/e\.g\. maxModelLen=(\d+)/.exec(message)?.[1]);

describe('sizeLlm on the default contract', () => {
  it('Llama-3.1-8B, 4096 tokens × 2 sequences: one L4, with the figures the dry-run shows', () => {
    const sizing = sizeLlm({ config: llama8b, index: modelIndex('llama-3.1-8b'), maxModelLen: 4096, maxNumSeqs: 2 }, contract());
    expect(sizing).toMatchObject({
      model: { parameters: 8_030_261_248, weightsFrom: 'config+safetensors-index', dtype: 'bfloat16', kvHeads: 8, headDim: 128 },
      weightsBytes: 16_060_522_496,
      kvBytesPerToken: 128 * 1024,
      kvBytesPerSequence: 512 * 1024 ** 2,
      choice: { gpuType: 'nvidia-l4', gpuCount: 1, tensorParallelSize: 1, utilisation: 0.9, fits: true },
    });
    expect(sizing.neededBytes).toBe(sizing.weightsBytes + 2 * sizing.kvBytesPerSequence + sizing.overheadBytes);
    expect(sizing.neededBytes).toBeLessThanOrEqual(sizing.choice.availableBytes);
    // The T4 cannot even hold the weights; the others are larger.
    expect(sizing.alternatives.map((a) => [a.gpuType, a.fits && 'gpuCount' in a ? a.gpuCount : a.fits])).toEqual([
      ['nvidia-t4', false],
      ['nvidia-a10g', 1],
      ['nvidia-a100', 1],
      ['nvidia-h100', 1],
    ]);
  });

  it('Llama-3.1-8B, 8192 tokens × 4 sequences outgrows one L4: two, tensor-parallel 2, beat one A100', () => {
    const { choice } = sizeLlm({ config: llama8b, maxModelLen: 8192, maxNumSeqs: 4 }, contract());
    expect(choice).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 2, tensorParallelSize: 2 });
  });

  it('Llama-3.1-70B in bfloat16 (131 GiB of weights) needs four 80 GiB GPUs; the A100 comes first in GPU_TYPES', () => {
    const sizing = sizeLlm({ config: llama70b, maxModelLen: 8192, maxNumSeqs: 8 }, contract());
    expect(sizing.weightsBytes / GIB).toBeCloseTo(131.4, 1);
    expect(sizing.kvBytesPerToken).toBe(320 * 1024);
    expect(sizing.choice).toMatchObject({ gpuType: 'nvidia-a100', gpuCount: 4, tensorParallelSize: 4 });
  });

  it('fp8 KV cache and AWQ weights shrink the footprint the way their bytes say', () => {
    const base = { config: llama70b, maxModelLen: 8192, maxNumSeqs: 8 };
    const awq = sizeLlm({ ...base, dtype: 'float16', quantization: 'awq', kvCacheDtype: 'fp8' }, contract());
    expect(awq.kvBytesPerToken).toBe(160 * 1024);
    expect(awq.weightsBytes / GIB).toBeLessThan(40);
    // 37 GiB of weights + 10 GiB of KV cache: one 80 GiB GPU, less than four 24 GiB ones.
    expect(awq.choice).toMatchObject({ gpuType: 'nvidia-a100', gpuCount: 1 });
  });
});

describe('the per-node cap and tensor-parallel divisibility', () => {
  const oneL4PerNode = contract((env) => {
    env.gpuPools['nvidia-l4'].gpusPerNode = 1;
  });

  it('a pod takes no more GPUs than one node of the pool has', () => {
    const { choice } = sizeLlm({ config: llama8b, maxModelLen: 8192, maxNumSeqs: 4 }, oneL4PerNode);
    expect(choice).toMatchObject({ gpuType: 'nvidia-a10g', gpuCount: 2 });
    expect(refusal({ config: llama8b, maxModelLen: 8192, maxNumSeqs: 4, gpuType: 'nvidia-l4', gpuCount: 2 }, oneL4PerNode)).toEqual([
      {
        field: 'gpuCount',
        message: "must be at most the 1 GPU(s) one nvidia-l4 node gives a pod, as a pod's GPUs come from one node (e.g. 1)",
      },
    ]);
  });

  it('the lesser environment decides: production with one L4 per node caps staging too', () => {
    const mixed = contract((env) => {
      if (env.cluster.name === 'ml-production') env.gpuPools['nvidia-l4'] = { ...env.gpuPools['nvidia-l4'], gpusPerNode: 1 };
    });
    expect(sizeLlm({ config: llama8b, maxModelLen: 8192, maxNumSeqs: 4 }, mixed).choice.gpuType).toBe('nvidia-a10g');
  });

  it('a GPU count must divide the attention and KV heads: Qwen2.5-7B (28 and 4) takes 1, 2 or 4', () => {
    expect(refusal({ config: modelConfig('qwen2.5-7b'), maxModelLen: 4096, maxNumSeqs: 1, gpuCount: 3 })).toEqual([
      {
        field: 'gpuCount',
        message: "must divide the model's 28 attention heads and 4 KV heads, which tensor parallelism splits (e.g. 2; any of 1, 2, 4)",
      },
    ]);
    const sizing = sizeLlm({ config: modelConfig('qwen2.5-7b'), maxModelLen: 32768, maxNumSeqs: 16, gpuType: 'nvidia-l4' }, contract());
    expect(sizing.choice.tensorParallelSize).toBe(4);
  });

  it('MIG slices hold a model one slice at a time', () => {
    const mig = contract((env) => {
      env.gpuPools = { 'nvidia-h100': { ...env.gpuPools['nvidia-h100'], sharing: { mode: 'mig', profile: '3g.40gb' } } };
    });
    expect(sizeLlm({ config: llama8b, maxModelLen: 8192, maxNumSeqs: 8 }, mig).choice).toMatchObject({
      gpuType: 'nvidia-h100',
      gpuCount: 1,
      memoryPerGpu: 39.25 * GIB,
    });
    expect(refusal({ config: llama8b, maxModelLen: 8192, maxNumSeqs: 8, gpuType: 'nvidia-h100', gpuCount: 2 }, mig)[0]?.message).toMatch(
      /at most the 1 GPU\(s\) one nvidia-h100 node/,
    );
  });

  it('time-sliced pools and pools missing from one environment are not offered, and say why', () => {
    const platform = contract((env) => {
      env.gpuPools['nvidia-a10g'] = { ...env.gpuPools['nvidia-a10g'], sharing: { mode: 'time-slicing', replicas: 4 } };
      if (env.cluster.name === 'ml-production') delete env.gpuPools['nvidia-t4'];
    });
    const { alternatives } = sizeLlm({ config: llama8b, maxModelLen: 4096, maxNumSeqs: 2 }, platform);
    expect(alternatives).toContainEqual({ gpuType: 'nvidia-t4', fits: false, reason: 'no pool in production' });
    expect(alternatives).toContainEqual(
      expect.objectContaining({ gpuType: 'nvidia-a10g', reason: expect.stringMatching(/^time-sliced 4 ways/) }),
    );
    expect(refusal({ config: llama8b, maxModelLen: 4096, maxNumSeqs: 2, gpuType: 'nvidia-a10g' }, platform)[0]).toMatchObject({
      field: 'gpuType',
    });
  });
});

describe('refusals name the numbers', () => {
  it('too long for every pool: needed GiB, each pool, and the longest maxModelLen the best pool holds', () => {
    const platform = onlyPools('nvidia-l4', 'nvidia-t4');
    const request = { config: llama8b, maxModelLen: 131_072, maxNumSeqs: 4 };
    const [problem] = refusal(request, platform);
    expect(problem?.field).toBe('maxModelLen');
    expect(problem?.message).toMatch(
      /^must fit the GPUs, but the model needs \d+\.\d GiB: weights 15\.0 GiB \+ KV cache 64\.0 GiB \(maxNumSeqs 4 × maxModelLen 131072 × 128 KiB per token\) \+ overhead/,
    );
    expect(problem?.message).toMatch(/nvidia-t4 13\.5 GiB \(1 × 15\.0 GiB × 0\.9\); nvidia-l4 81\.0 GiB \(4 × 22\.5 GiB × 0\.9, overhead/);
    const longest = suggested(problem!.message);
    expect(longest % 16).toBe(0);
    // The suggestion fits, and one block more does not.
    expect(sizeLlm({ ...request, maxModelLen: longest }, platform).choice).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 4 });
    expect(refusal({ ...request, maxModelLen: longest + 16 }, platform)[0]?.field).toBe('maxModelLen');
  });

  it('when not even the weights fit, it says what else would', () => {
    const [problem] = refusal({ config: llama70b, maxModelLen: 4096, maxNumSeqs: 1 }, onlyPools('nvidia-t4'));
    expect(problem?.message).toMatch(
      /\(e\.g\. quantization=awq, or ask the platform team for a pool with more GPU memory: the weights alone need 131\.4 GiB\)$/,
    );
  });

  it("beyond the owner team's GPU quota: the smallest fit and the quota's numbers", () => {
    const tight = contract((env) => {
      env.teamQuotas['ml-team'] = { gpus: 6 };
    });
    const [problem] = refusal({ config: llama70b, maxModelLen: 8192, maxNumSeqs: 8, namespace: 'ml-team', maxReplicas: 1 }, tight);
    expect(problem).toEqual({
      field: 'gpuCount',
      message: expect.stringMatching(
        /^must keep the owner team within its GPU quota, but the fewest GPUs the model fits on are 4 × nvidia-a100, and with them the service would have to fit the owner team's GPU quota: \(maxReplicas 1 \+ 1 rollout pod\) × gpuCount 4 = 8 GPUs, but ml-team has 6 in ml-staging/,
      ),
    });
    // Another team, whose quota the contract does not list, is not held to one.
    expect(sizeLlm({ config: llama70b, maxModelLen: 8192, maxNumSeqs: 8, namespace: 'search' }, tight).choice.gpuCount).toBe(4);
  });

  it('the quota steers the choice to fewer, larger GPUs when the smaller ones would break it', () => {
    const two = contract((env) => {
      env.teamQuotas['ml-team'] = { gpus: 2 };
    });
    const request = { config: llama8b, maxModelLen: 8192, maxNumSeqs: 4, namespace: 'ml-team', maxReplicas: 1 };
    expect(sizeLlm(request, two).choice).toMatchObject({ gpuType: 'nvidia-a100', gpuCount: 1 });
  });

  it('refuses requests the engine would refuse, naming field, rule and example', () => {
    expect(refusal({ config: llama8b, maxModelLen: 200_000, maxNumSeqs: 1 })).toEqual([
      { field: 'maxModelLen', message: "must be at most the model's max_position_embeddings 131072 (e.g. 8192)" },
    ]);
    expect(refusal({ config: llama8b, maxModelLen: 4096, maxNumSeqs: 0, dtype: 'int3' as never })).toEqual([
      { field: 'dtype', message: 'must be one of auto, bfloat16, float16, float32 (e.g. auto)' },
      { field: 'maxNumSeqs', message: 'must be a whole number from 1 to 4096 (e.g. 16)' },
    ]);
    expect(refusal({ config: llama8b, index: { metadata: {} }, maxModelLen: 4096, maxNumSeqs: 1 })).toEqual([
      { field: 'modelIndex.metadata.total_size', message: 'must be the checkpoint size in bytes (e.g. 16060522496)' },
    ]);
    const awqCheckpoint = { ...llama8b, quantization_config: { quant_method: 'awq', bits: 4 } };
    expect(refusal({ config: awqCheckpoint, maxModelLen: 4096, maxNumSeqs: 1, quantization: 'fp8' })).toEqual([
      { field: 'quantization', message: "must be the checkpoint's own, quantization_config.quant_method awq (e.g. awq)" },
    ]);
    expect(sizeLlm({ config: awqCheckpoint, maxModelLen: 4096, maxNumSeqs: 1 }, contract()).model.quantization).toBe('awq');
    const compressed = { ...llama8b, quantization_config: { quant_method: 'compressed-tensors' } };
    expect(refusal({ config: compressed, maxModelLen: 4096, maxNumSeqs: 1 })[0]).toMatchObject({ field: 'modelIndex' });
    expect(refusal({ config: llama8b, maxModelLen: 4096, maxNumSeqs: 1, gpuType: 'nvidia-h100' }, onlyPools('nvidia-l4'))[0]?.message).toBe(
      'must be a GPU type that can serve an LLM, but nvidia-h100: the platform contract has no pool for it (e.g. leave it out to have one chosen)',
    );
  });
});
