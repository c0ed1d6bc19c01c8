import type { ModelShape } from './modelConfig.js';

/**
 * vLLM's paged KV cache hands out blocks of 16 tokens (`--block-size` default on CUDA), so a
 * sequence holds whole blocks: its length rounded up to 16.
 */
export const KV_BLOCK_TOKENS = 16;

/**
 * Bytes of KV cache one token takes over all layers: a key and a value (2) per layer, per KV head,
 * of head_dim elements. Grouped-query attention is why kvHeads, not attentionHeads, counts here.
 */
export const kvBytesPerToken = (shape: Pick<ModelShape, 'layers' | 'kvHeads' | 'headDim'>, elementBytes: number): number =>
  2 * shape.layers * shape.kvHeads * shape.headDim * elementBytes;

/** Bytes of KV cache one sequence of maxModelLen tokens holds, in whole blocks. */
export const kvBytesPerSequence = (perToken: number, maxModelLen: number): number =>
  Math.ceil(maxModelLen / KV_BLOCK_TOKENS) * KV_BLOCK_TOKENS * perToken;

/**
 * The longest maxModelLen whose maxNumSeqs full-length sequences fit in kvRoomBytes: whole blocks
 * only, so the answer is a multiple of 16 (0 when not even one block per sequence fits).
 */
export function largestModelLen(kvRoomBytes: number, perToken: number, maxNumSeqs: number): number {
  if (kvRoomBytes <= 0) return 0;
  return Math.floor(kvRoomBytes / (KV_BLOCK_TOKENS * perToken * maxNumSeqs)) * KV_BLOCK_TOKENS;
}
