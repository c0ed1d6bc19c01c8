import { ACCELERATED_GPU_TYPES, type AcceleratedGpuType, MAX_GPUS_PER_POD } from '../gpu.js';
import { type GpuDevice, gpuDevice } from '../gpuMemory.js';
import { ENVIRONMENTS, type PlatformContract } from '../platformContract.js';

/** What a GPU type offers one pod in every environment the service deploys to. */
export interface GpuOffer {
  gpuType: AcceleratedGpuType;
  /** Bytes of one requested GPU, the smaller where the environments differ. */
  bytesPerGpu: number;
  /** The most GPUs one pod can hold: one node's, MIG's one slice, and the pod limit. */
  maxGpusPerPod: number;
  /** Why the type cannot serve an LLM here at all, if so. */
  unusable?: string;
}

/**
 * One offer per GPU type the contract lists, in GPU_TYPES order. A service deploys to staging
 * and production alike, so a type counts only where both have its pool, and at the lesser of
 * the two (memory, GPUs per node).
 */
export function gpuOffers(platform: PlatformContract): GpuOffer[] {
  return ACCELERATED_GPU_TYPES.flatMap((gpuType): GpuOffer[] => {
    const pools = ENVIRONMENTS.map((env) => [env, platform.environments[env].gpuPools[gpuType]] as const);
    const listed = pools.filter(([, pool]) => pool !== undefined);
    if (listed.length === 0) return [];
    const missing = pools.filter(([, pool]) => pool === undefined).map(([env]) => env);
    if (missing.length > 0) return [{ gpuType, bytesPerGpu: 0, maxGpusPerPod: 0, unusable: `no pool in ${missing.join(' and ')}` }];
    const devices: GpuDevice[] = listed.map(([, pool]) => gpuDevice(gpuType, pool!));
    const unusable = devices.find((d) => d.unusable)?.unusable;
    const singleOnly = devices.some((d) => d.singleDeviceOnly);
    const perNode = Math.min(...devices.map((d) => d.perNode));
    return [
      {
        gpuType,
        bytesPerGpu: Math.min(...devices.map((d) => d.bytes)),
        maxGpusPerPod: Math.min(singleOnly ? 1 : perNode, MAX_GPUS_PER_POD),
        ...(unusable ? { unusable } : {}),
      },
    ];
  });
}
