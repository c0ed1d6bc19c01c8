import { type AcceleratedGpuType, assumedGpuMemoryGiB } from '@idp/service-spec';

// The memory of a pool's GPUs, which the platform contract advertises for LLM sizing (docs/adr/0021).

/**
 * Instance families whose GPU is the larger variant of its type: the A100 80GB comes on p4de (EC2)
 * and a2-ultragpu (GCE); p4d and a2-highgpu carry the 40GB part. Every other type has one size.
 */
const LARGER_VARIANT_INSTANCES: readonly { gpuType: AcceleratedGpuType; prefix: string; memoryGiB: number }[] = [
  { gpuType: 'nvidia-a100', prefix: 'p4de.', memoryGiB: 80 },
  { gpuType: 'nvidia-a100', prefix: 'a2-ultragpu-', memoryGiB: 80 },
];

/**
 * GiB of one of the pool's GPUs: as configured, else as its instance type implies, else the
 * smallest size of the type (an existing cluster's A100 pool that does not say is taken as 40 GiB,
 * so sizing never promises memory the nodes lack).
 */
export function gpuPoolMemoryGiB(pool: { gpuType: AcceleratedGpuType; instanceType?: string; memoryGiB?: number }): number {
  if (pool.memoryGiB !== undefined) return pool.memoryGiB;
  const known = LARGER_VARIANT_INSTANCES.find((v) => v.gpuType === pool.gpuType && pool.instanceType?.startsWith(v.prefix));
  return known?.memoryGiB ?? assumedGpuMemoryGiB(pool.gpuType);
}
