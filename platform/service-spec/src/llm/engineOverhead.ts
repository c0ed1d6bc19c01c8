import type { ModelShape } from './modelConfig.js';

const GIB = 1024 ** 3;

/**
 * Memory vLLM needs on each GPU beside weights and KV cache, which it measures at start-up and
 * takes off what `--gpu-memory-utilization` allows before sizing the KV cache. An estimate, not
 * a measurement (no GPU here); docs/adr/0021 lists its assumptions:
 * - fixed: the CUDA context, cuBLAS and NCCL workspaces (vLLM's "non-torch memory") and the
 *   CUDA-graph pool captured for decode batches: 1 GiB, above what vLLM logs for 7–8B models.
 * - the activation peak of its profiling forward pass over maxNumBatchedTokens tokens: the
 *   gated MLP's two intermediate tensors (split over tensor-parallel ranks) and a few copies of
 *   the hidden state, with half again for the allocator's fragmentation; plus float32 logits and
 *   probabilities for maxNumSeqs sequences over the vocabulary (gathered whole on every rank).
 *   For Llama-3.1-8B at 8192 tokens that is about 1.3 GiB, the order vLLM logs as its
 *   "activation peak" on 24 GB GPUs.
 */
export const FIXED_OVERHEAD_BYTES = 1 * GIB;

/**
 * The tokens one forward pass holds at most: vLLM's `--max-num-batched-tokens`. The template passes
 * this value explicitly, so the estimate and the engine agree whatever vLLM's default becomes.
 */
export const MAX_NUM_BATCHED_TOKENS = 8192;

const FRAGMENTATION = 1.5;

/** Overhead bytes on each GPU of a tensor-parallel group of `tensorParallelSize`. */
export function overheadBytesPerGpu(
  shape: Pick<ModelShape, 'hiddenSize' | 'intermediateSize' | 'vocabSize'>,
  { activationBytes, maxNumSeqs, tensorParallelSize }: { activationBytes: number; maxNumSeqs: number; tensorParallelSize: number },
): number {
  // Without the MLP width (a config that leaves it out), take the usual 3.5 × hidden of Llama-class models.
  const intermediate = shape.intermediateSize ?? Math.ceil(3.5 * shape.hiddenSize);
  const perToken = ((2 * intermediate) / tensorParallelSize + 4 * shape.hiddenSize) * activationBytes;
  const activations = MAX_NUM_BATCHED_TOKENS * perToken * FRAGMENTATION;
  const sampler = 2 * maxNumSeqs * shape.vocabSize * 4;
  return Math.ceil(FIXED_OVERHEAD_BYTES + activations + sampler);
}
