import type { Problem } from '../problems.js';
import type { GpuFit, ModelFootprint } from './gpuFit.js';
import type { GpuOffer } from './gpuOffers.js';

const GIB = 1024 ** 3;
/** Bytes as GiB with one decimal, as the dry-run and every message print them. */
export const gib = (bytes: number): string => `${(bytes / GIB).toFixed(1)} GiB`;

/**
 * Why no GPUs hold the model, with the numbers: what it needs, what each pool offers one pod at
 * most, and the longest maxModelLen the best of them would hold (or what else to change when even
 * the weights do not fit).
 */
export function memoryRefusal(
  model: ModelFootprint,
  request: { maxModelLen: number; maxNumSeqs: number },
  largestPerPool: readonly GpuFit[],
  unusable: readonly GpuOffer[],
): Problem {
  const best = [...largestPerPool].sort((a, b) => b.largestMaxModelLen - a.largestMaxModelLen || a.gpuCount - b.gpuCount)[0];
  const kv = model.kvBytesPerSequence * model.maxNumSeqs;
  const overhead = best ? best.overheadBytes : 0;
  const needed = model.weightsBytes + kv + overhead;
  const pools = [
    ...largestPerPool.map(
      (fit) =>
        `${fit.gpuType} ${gib(fit.availableBytes)} (${fit.gpuCount} × ${gib(fit.memoryPerGpu)} × ${fit.utilisation}${fit.gpuCount > 1 ? `, overhead ${gib(fit.overheadBytes)}` : ''})`,
    ),
    ...unusable.map((offer) => `${offer.gpuType} none (${offer.unusable})`),
  ];
  const shape =
    `weights ${gib(model.weightsBytes)} + KV cache ${gib(kv)} (maxNumSeqs ${request.maxNumSeqs} × maxModelLen ${request.maxModelLen} × ` +
    `${model.kvBytesPerToken / 1024} KiB per token) + overhead ${gib(overhead)}`;
  let example: string;
  if (best && best.largestMaxModelLen >= 16) {
    example = `e.g. maxModelLen=${best.largestMaxModelLen} fits ${best.gpuCount} × ${best.gpuType} at maxNumSeqs=${request.maxNumSeqs}`;
  } else {
    example = `e.g. quantization=awq, or ask the platform team for a pool with more GPU memory: the weights alone need ${gib(model.weightsBytes)}`;
  }
  return {
    field: 'maxModelLen',
    message: `must fit the GPUs, but the model needs ${gib(needed)}: ${shape}; the most each pool gives one pod: ${pools.join('; ') || 'no GPU pools'} (${example})`,
  };
}

/** The smallest GPUs that hold the model break the owner team's quota: say so with the quota's own words. */
export function quotaRefusal(smallest: GpuFit, quotaProblem: Problem): Problem {
  return {
    field: 'gpuCount',
    message: `must keep the owner team within its GPU quota, but the fewest GPUs the model fits on are ${smallest.gpuCount} × ${smallest.gpuType}, and with them the service ${quotaProblem.message.replace(/^must /, 'would have to ')}`,
  };
}
