import type { AcceleratedGpuType } from '../gpu.js';
import { largestModelLen } from './kvCache.js';
import type { ModelShape } from './modelConfig.js';

/** What a model needs whatever GPUs it lands on. */
export interface ModelFootprint {
  weightsBytes: number;
  kvBytesPerToken: number;
  kvBytesPerSequence: number;
  maxNumSeqs: number;
  /** The model's own limit on maxModelLen (max_position_embeddings), if the config says. */
  maxPositionEmbeddings?: number;
  /** Overhead on each GPU of a tensor-parallel group of the given size. */
  overheadBytesPerGpu: (tensorParallelSize: number) => number;
}

/** One GPU type and count, judged against the fit rule. */
export interface GpuFit {
  gpuType: AcceleratedGpuType;
  gpuCount: number;
  /** vLLM's --tensor-parallel-size: every GPU of the pod holds 1/tensorParallelSize of weights and KV cache. */
  tensorParallelSize: number;
  /** Bytes CUDA reports for one of the GPUs (a whole GPU or one MIG slice). */
  memoryPerGpu: number;
  /** vLLM's --gpu-memory-utilization: the share of each GPU it may use. */
  utilisation: number;
  /** utilisation × memoryPerGpu × tensorParallelSize, rounded down to whole bytes. */
  availableBytes: number;
  /** Weights + KV cache for maxNumSeqs full-length sequences + overhead on every GPU. */
  neededBytes: number;
  overheadBytes: number;
  fits: boolean;
  /** The longest maxModelLen this configuration holds for maxNumSeqs sequences (0: not even the weights fit). */
  largestMaxModelLen: number;
}

/**
 * The fit rule (docs/adr/0021): weights + KV cache + overhead ≤ utilisation × memory of the GPUs.
 * Weights and KV cache split evenly over the tensor-parallel ranks, each rank has its own overhead,
 * so the per-GPU and the whole-pod forms of the rule are the same inequality.
 */
export function judgeFit(
  model: ModelFootprint,
  gpu: { gpuType: AcceleratedGpuType; bytesPerGpu: number },
  tensorParallelSize: number,
  utilisation: number,
): GpuFit {
  const overheadBytes = model.overheadBytesPerGpu(tensorParallelSize) * tensorParallelSize;
  const availableBytes = Math.floor(utilisation * gpu.bytesPerGpu) * tensorParallelSize;
  const kvBytes = model.kvBytesPerSequence * model.maxNumSeqs;
  const neededBytes = model.weightsBytes + kvBytes + overheadBytes;
  const room = availableBytes - model.weightsBytes - overheadBytes;
  const longest = largestModelLen(room, model.kvBytesPerToken, model.maxNumSeqs);
  return {
    gpuType: gpu.gpuType,
    gpuCount: tensorParallelSize,
    tensorParallelSize,
    memoryPerGpu: gpu.bytesPerGpu,
    utilisation,
    availableBytes,
    neededBytes,
    overheadBytes,
    fits: neededBytes <= availableBytes,
    largestMaxModelLen: model.maxPositionEmbeddings === undefined ? longest : Math.min(longest, model.maxPositionEmbeddings),
  };
}

/**
 * The tensor-parallel sizes a model allows up to maxGpus: vLLM splits attention by heads, so the
 * size must divide the attention heads and the KV heads (no KV head replicated across ranks).
 */
export function tensorParallelSizes(shape: Pick<ModelShape, 'attentionHeads' | 'kvHeads'>, maxGpus: number): number[] {
  const sizes: number[] = [];
  for (let tp = 1; tp <= maxGpus; tp++) if (shape.attentionHeads % tp === 0 && shape.kvHeads % tp === 0) sizes.push(tp);
  return sizes;
}

const GIB = 1024 ** 3;

/**
 * Smallest first: the least GPU memory the pod reserves (the contract's stand-in for cost), in
 * whole GiB (an L4 and an A10G both round to 22 GiB, though CUDA reports 6 MiB less of the
 * A10G: noise, not a reason to prefer it), then fewer GPUs, then the earlier type in GPU_TYPES. Deterministic, so
 * the same request always picks the same GPUs.
 */
export const reservedGiB = (fit: Pick<GpuFit, 'memoryPerGpu' | 'gpuCount'>): number => Math.round(fit.memoryPerGpu / GIB) * fit.gpuCount;

export function bySize(order: readonly string[]) {
  return (a: GpuFit, b: GpuFit): number =>
    reservedGiB(a) - reservedGiB(b) || a.gpuCount - b.gpuCount || order.indexOf(a.gpuType) - order.indexOf(b.gpuType);
}
