import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefaultContract } from '../../../../test/defaultContract.js';
import { MODEL_FIXTURES, modelConfig } from '../../../../test/modelFixtures.js';
import { propertyRuns } from '../../../../test/propertyRuns.js';
import {
  DTYPE_BYTES,
  gpuOffers,
  InvalidInputError,
  judgeFit,
  kvBytesPerSequence,
  type LlmSizingRequest,
  overheadBytesPerGpu,
  parseModelConfig,
  reservedGiB,
  sizeLlm,
  tensorParallelSizes,
} from '../index.js';

const platform = loadDefaultContract();

const request = fc.record({
  model: fc.constantFrom(...MODEL_FIXTURES),
  quantization: fc.constantFrom(undefined, 'fp8', 'awq'),
  kvCacheDtype: fc.constantFrom('auto', 'fp8'),
  maxModelLen: fc.integer({ min: 16, max: 32_768 }),
  maxNumSeqs: fc.integer({ min: 1, max: 256 }),
  gpuMemoryUtilization: fc.constantFrom(0.8, 0.85, 0.9, 0.95),
});

const asRequest = (r: fc.RecordValue<typeof request>): LlmSizingRequest => ({
  config: modelConfig(r.model),
  ...(r.quantization ? { quantization: r.quantization as 'fp8' | 'awq' } : {}),
  kvCacheDtype: r.kvCacheDtype as 'auto' | 'fp8',
  maxModelLen: r.maxModelLen,
  maxNumSeqs: r.maxNumSeqs,
  gpuMemoryUtilization: r.gpuMemoryUtilization,
});

describe('sizeLlm, for any model, length, concurrency and format', () => {
  it('the choice fits by the rule recomputed from its own numbers, and nothing reserving less memory fits', () => {
    fc.assert(
      fc.property(request, (r) => {
        let sizing: ReturnType<typeof sizeLlm>;
        try {
          sizing = sizeLlm(asRequest(r), platform);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          return;
        }
        const { choice } = sizing;
        const shape = parseModelConfig(modelConfig(r.model));
        const kv = kvBytesPerSequence(sizing.kvBytesPerToken, r.maxModelLen) * r.maxNumSeqs;
        const overhead = overheadBytesPerGpu(shape, {
          activationBytes: DTYPE_BYTES[sizing.model.dtype],
          maxNumSeqs: r.maxNumSeqs,
          tensorParallelSize: choice.tensorParallelSize,
        });
        expect(sizing.weightsBytes + kv + overhead * choice.tensorParallelSize).toBeLessThanOrEqual(
          Math.floor(r.gpuMemoryUtilization * choice.memoryPerGpu) * choice.tensorParallelSize,
        );
        expect(shape.attentionHeads % choice.tensorParallelSize).toBe(0);
        expect(shape.kvHeads % choice.tensorParallelSize).toBe(0);
        const footprint = {
          weightsBytes: sizing.weightsBytes,
          kvBytesPerToken: sizing.kvBytesPerToken,
          kvBytesPerSequence: sizing.kvBytesPerSequence,
          maxNumSeqs: r.maxNumSeqs,
          overheadBytesPerGpu: (tp: number) =>
            overheadBytesPerGpu(shape, {
              activationBytes: DTYPE_BYTES[sizing.model.dtype],
              maxNumSeqs: r.maxNumSeqs,
              tensorParallelSize: tp,
            }),
        };
        for (const offer of gpuOffers(platform).filter((o) => !o.unusable)) {
          expect(choice.gpuType !== offer.gpuType || choice.gpuCount <= offer.maxGpusPerPod).toBe(true);
          for (const tp of tensorParallelSizes(shape, offer.maxGpusPerPod)) {
            const other = judgeFit(footprint, offer, tp, r.gpuMemoryUtilization);
            if (reservedGiB(other) < reservedGiB(choice)) expect(other.fits).toBe(false);
          }
        }
      }),
      propertyRuns(200),
    );
  });

  it('a refusal for length suggests a maxModelLen that is then accepted, and one block more is not', () => {
    fc.assert(
      fc.property(request, (r) => {
        const long = { ...asRequest(r), maxModelLen: 131_072 - (r.maxModelLen % 16), maxNumSeqs: r.maxNumSeqs };
        if (r.model.startsWith('mistral') || r.model === 'qwen2.5-0.5b') long.maxModelLen = 32_768;
        let message: string | undefined;
        try {
          sizeLlm(long, platform);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          message = (error as InvalidInputError).problems[0]?.message;
        }
        const suggested = Number(/e\.g\. maxModelLen=(\d+)/.exec(message ?? '')?.[1]);
        if (!suggested) return;
        expect(sizeLlm({ ...long, maxModelLen: suggested }, platform).choice.fits).toBe(true);
        expect(() => sizeLlm({ ...long, maxModelLen: suggested + 16 }, platform)).toThrow(/must fit the GPUs/);
      }),
      propertyRuns(200),
    );
  });
});
