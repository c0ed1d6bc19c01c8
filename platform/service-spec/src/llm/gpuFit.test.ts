import { describe, expect, it } from 'vitest';
import { judgeFit, type ModelFootprint, tensorParallelSizes } from '../index.js';

// The fit rule on its boundary, with numbers small enough to check by hand.
const model = (weightsBytes: number): ModelFootprint => ({
  weightsBytes,
  kvBytesPerToken: 1,
  kvBytesPerSequence: 32,
  maxNumSeqs: 2,
  overheadBytesPerGpu: () => 5,
});
const gpu = { gpuType: 'nvidia-l4' as const, bytesPerGpu: 1000 };

describe('judgeFit: weights + KV cache + overhead ≤ utilisation × memory', () => {
  it('fits with not one byte to spare, and not with one byte more', () => {
    // 0.125 × 1000 = 125 = 56 + 2 × 32 + 5
    expect(judgeFit(model(56), gpu, 1, 0.125)).toMatchObject({ availableBytes: 125, neededBytes: 125, fits: true });
    expect(judgeFit(model(57), gpu, 1, 0.125)).toMatchObject({ neededBytes: 126, fits: false });
  });

  it('splits weights and KV cache over the tensor-parallel ranks, each with its own overhead', () => {
    // 2 GPUs: 250 available, 57 + 64 + 2 × 5 needed.
    expect(judgeFit(model(57), gpu, 2, 0.125)).toMatchObject({ gpuCount: 2, availableBytes: 250, neededBytes: 131, fits: true });
  });

  it('the longest maxModelLen that fits is a whole number of 16-token blocks per sequence', () => {
    // Room for KV: 125 - 56 - 5 = 64 bytes = 2 sequences × 32 tokens.
    expect(judgeFit(model(56), gpu, 1, 0.125).largestMaxModelLen).toBe(32);
    expect(judgeFit(model(57), gpu, 1, 0.125).largestMaxModelLen).toBe(16);
    expect(judgeFit(model(200), gpu, 1, 0.125).largestMaxModelLen).toBe(0);
    expect(judgeFit({ ...model(56), maxPositionEmbeddings: 16 }, gpu, 1, 0.125).largestMaxModelLen).toBe(16);
  });
});

describe('tensorParallelSizes', () => {
  it('divide the attention heads and the KV heads', () => {
    expect(tensorParallelSizes({ attentionHeads: 32, kvHeads: 8 }, 8)).toEqual([1, 2, 4, 8]);
    expect(tensorParallelSizes({ attentionHeads: 28, kvHeads: 4 }, 8)).toEqual([1, 2, 4]);
    expect(tensorParallelSizes({ attentionHeads: 14, kvHeads: 2 }, 8)).toEqual([1, 2]);
    expect(tensorParallelSizes({ attentionHeads: 64, kvHeads: 8 }, 4)).toEqual([1, 2, 4]);
  });
});
