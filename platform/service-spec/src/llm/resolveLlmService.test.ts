import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDefaultContract } from '../../../../test/defaultContract.js';
import { repoPath } from '../../../../test/repoRoot.js';
import { InvalidInputError, parsePlatformContract, resolveLlmService, VLLM_ENGINE } from '../index.js';

const fixture = (file: string) => readFileSync(repoPath(`platform/service-spec/src/llm/fixtures/${file}`), 'utf-8');
const contract = parsePlatformContract(readDefaultContract());
const REVISION = '0e9e39f249a16976918f6564b8830bc894c89659';
const llama8b = { config: fixture('llama-3.1-8b.config.json'), index: fixture('llama-3.1-8b.index.json') };
const base = { name: 'chat', model: 'meta-llama/Llama-3.1-8B-Instruct', modelRevision: REVISION };

function refusal(input: unknown, model = llama8b): InvalidInputError {
  try {
    resolveLlmService(input, { contract, model });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('resolveLlmService accepted the input');
}

describe('resolveLlmService', () => {
  it('sizes Llama-3.1-8B at 4096 tokens × 2 sequences onto one L4, with every default and derived value', () => {
    const values = resolveLlmService({ ...base, maxModelLen: 4096, maxNumSeqs: 2 }, { contract, model: llama8b });
    expect(values).toMatchObject({
      name: 'chat',
      owner: 'group:default/ml-team',
      namespace: 'ml-team',
      repoUrl: 'github.com?owner=acme&repo=chat',
      modelSource: 'hf',
      modelConfig: `https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/${REVISION}/config.json`,
      servedModelName: 'meta-llama/Llama-3.1-8B-Instruct',
      gpuType: 'nvidia-l4',
      gpuCount: 1,
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxNumBatchedTokens: 8192,
      engineImage: `${VLLM_ENGINE.image}@${VLLM_ENGINE.digest}`,
      cpu: '4',
      memory: '16Gi',
      sharedMemory: '4096Mi',
      // 16.06 GB of bf16 weights × 1.1 + 2 GiB, in 10 GiB steps.
      modelCacheSize: '20Gi',
      // 180 s of warm-up + 15 GiB at 4 s per GiB.
      startupSeconds: 240,
    });
    expect(values.sizing.weightsBytes).toBe(16_060_522_496);
    expect(values.sizing.kvBytesPerToken).toBe(128 * 1024);
  });

  it('the defaults (8192 tokens × 16 sequences) need two L4s, tensor-parallel 2', () => {
    const values = resolveLlmService(base, { contract, model: llama8b });
    expect(values).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 2, tensorParallelSize: 2, maxModelLen: 8192, maxNumSeqs: 16, cpu: '6' });
  });

  it('refuses a model too big for the asked GPU type, naming the GiB needed, the pools and the longest context that fits', () => {
    const error = refusal({ ...base, gpuType: 'nvidia-t4', gpuCount: 1, maxModelLen: 4096, maxNumSeqs: 2 });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.field).toBe('maxModelLen');
    expect(error.problems[0]!.message).toMatch(/the model needs \d+\.\d GiB: weights 15\.0 GiB \+ KV cache 1\.0 GiB/);
    expect(error.problems[0]!.message).toMatch(/nvidia-t4 \d+\.\d GiB/);
    expect(error.problems[0]!.message).toMatch(/quantization=awq|maxModelLen=\d+/);
  });

  it('refuses a Hub model without a pinned revision and names every spec problem at once', () => {
    const error = refusal({ name: 'Chat', model: 'meta-llama/Llama-3.1-8B', maxNumSeqs: 0, minReplicas: 0, colour: 'blue' });
    const fields = error.problems.map((p) => p.field).sort();
    expect(fields).toEqual(['colour', 'maxNumSeqs', 'minReplicas', 'modelRevision', 'name']);
    expect(error.message).toMatch(/modelRevision: must pin a Hugging Face model to a commit.*\(e\.g\. /);
    expect(error.message).toMatch(/maxNumSeqs: must be a whole number from 1 to 4096 \(e\.g\. 16\)/);
  });

  it('needs modelConfig for weights in object storage, and names a config that is not JSON', () => {
    expect(refusal({ name: 'chat', model: 's3://models/llama-8b' }).problems).toEqual([
      { field: 'modelConfig', message: expect.stringMatching(/^must name the model's config.json when the weights are at s3:\/\//) },
    ]);
    const broken = refusal({ name: 'chat', model: 's3://models/llama-8b', modelConfig: './config.json' }, { config: '{"num_hidden' });
    expect(broken.problems[0]).toMatchObject({
      field: 'modelConfig',
      message: expect.stringMatching(/^must be JSON, but \.\/config\.json is not/),
    });
  });

  it('serves weights from a volume under the service name unless servedModelName is given', () => {
    const values = resolveLlmService(
      { name: 'chat', model: 'pvc://models/llama-3.1-8b', modelConfig: './config.json', maxModelLen: 4096, maxNumSeqs: 2 },
      { contract, model: llama8b },
    );
    expect(values).toMatchObject({ modelSource: 'pvc', servedModelName: 'chat', modelRevision: '' });
  });

  it('a gpuCount that does not divide the heads is refused with the sizes that do', () => {
    const error = refusal({ ...base, gpuCount: 3 });
    expect(error.problems[0]).toMatchObject({ field: 'gpuCount', message: expect.stringMatching(/any of 1, 2, 4, 8/) });
  });
});
