import { z } from 'zod';
import type { GpuType } from './gpu.js';

/**
 * How a GPU pool's GPUs are shared between pods: not at all, by time-slicing (N pods per GPU) or by
 * MIG partitions. Infra's cluster config takes it, the cluster layer exports it and the GPU stack
 * labels nodes by it: one schema for all three.
 */
export const GpuSharing = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('none') }).strict(),
    z
      .object({
        mode: z.literal('time-slicing'),
        replicas: z.number().int().min(2, 'must be at least 2 pods per GPU (e.g. 4)').max(48, 'must be at most 48 pods per GPU (e.g. 4)'),
      })
      .strict(),
    z
      .object({ mode: z.literal('mig'), profile: z.string().regex(/^[1-7]g\.\d+gb$/, 'must be a MIG profile such as 1g.10gb or 3g.40gb') })
      .strict(),
  ],
  { error: () => 'must be {mode: none}, {mode: time-slicing, replicas: N} or {mode: mig, profile: 1g.10gb}' },
);
export type GpuSharing = z.output<typeof GpuSharing>;

/** MIG partitions exist only on the data-centre GPUs; time-slicing works everywhere. */
export const MIG_CAPABLE_GPU_TYPES: readonly GpuType[] = ['nvidia-a100', 'nvidia-h100'];
