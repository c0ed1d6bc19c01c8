// The GPU types a service can ask for. `none` runs on the CPU pool.
export const GPU_TYPES = ['none', 'nvidia-t4', 'nvidia-l4', 'nvidia-a10g', 'nvidia-a100', 'nvidia-h100'] as const;
export type GpuType = (typeof GPU_TYPES)[number];
export type AcceleratedGpuType = Exclude<GpuType, 'none'>;
export const ACCELERATED_GPU_TYPES = GPU_TYPES.filter((t) => t !== 'none') as AcceleratedGpuType[];
export const MAX_GPUS_PER_POD = 8;
