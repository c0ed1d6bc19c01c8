import type { GpuSharing } from './gpuSharing.js';
import type { AcceleratedGpuType } from './gpu.js';

/**
 * The memory sizes each GPU type is sold with, in GiB as the vendor names them: a pool's
 * `memoryGiB` in the platform contract must be one of them, which is how an A100 pool says whether
 * it has the 40 GB or the 80 GB part (p4d/a2-highgpu carry 40, p4de/a2-ultragpu 80).
 */
export const GPU_MEMORY_VARIANTS_GIB: Readonly<Record<AcceleratedGpuType, readonly number[]>> = {
  'nvidia-t4': [16],
  'nvidia-l4': [24],
  'nvidia-a10g': [24],
  'nvidia-a100': [40, 80],
  'nvidia-h100': [80],
};

/**
 * A pool's GPU memory when its contract entry does not say: the smallest variant of the type, so
 * an older contract can only under-promise (an A100 pool of unknown size is taken as 40 GiB).
 */
export const assumedGpuMemoryGiB = (gpuType: AcceleratedGpuType): number => Math.min(...GPU_MEMORY_VARIANTS_GIB[gpuType]);

const MIB = 1024 ** 2;

/**
 * The memory CUDA reports for the whole GPU (`torch.cuda.mem_get_info()`, nvidia-smi's "Total"),
 * which vLLM's `--gpu-memory-utilization` is a fraction of: a little less than the size on the box
 * (ECC and the driver's reservation). Figures as nvidia-smi prints them on the parts the clouds
 * rent (T4 on g4dn, L4 on g6/g2, A10G on g5, A100 40GB PCIe as the smaller of its SXM4/PCIe
 * figures, A100 80GB SXM4, H100 80GB HBM3).
 */
const VISIBLE_MIB: Readonly<Record<AcceleratedGpuType, Readonly<Record<number, number>>>> = {
  'nvidia-t4': { 16: 15_360 },
  'nvidia-l4': { 24: 23_034 },
  'nvidia-a10g': { 24: 23_028 },
  'nvidia-a100': { 40: 40_536, 80: 81_920 },
  'nvidia-h100': { 80: 81_559 },
};

/** Bytes CUDA reports for one whole GPU of this type and size. */
export function visibleGpuBytes(gpuType: AcceleratedGpuType, memoryGiB: number): number {
  const mib = VISIBLE_MIB[gpuType][memoryGiB];
  // A size the table lacks (the contract schema refuses them): assume 4% reserved, the largest gap above.
  return mib === undefined ? Math.floor(memoryGiB * 1024 * 0.96) * MIB : mib * MIB;
}

/**
 * Memory of one MIG slice as `nvidia-smi mig -lgip` lists it: the profile's name rounds it up
 * (a 3g.40gb slice of an A100 80GB has 39.25 GiB). Profiles missing here are taken at 95% of
 * their name, below every listed figure.
 */
const MIG_SLICE_MIB: Readonly<Record<string, number>> = {
  // A100 40GB
  '1g.5gb': 4_864,
  '1g.10gb': 9_728,
  '2g.10gb': 9_984,
  '3g.20gb': 20_096,
  '4g.20gb': 20_096,
  '7g.40gb': 40_448,
  // A100 80GB and H100 80GB (their 1g.10gb is listed above at the smaller figure)
  '1g.20gb': 19_968,
  '2g.20gb': 19_968,
  '3g.40gb': 40_192,
  '4g.40gb': 40_192,
  '7g.80gb': 80_640,
};

export interface MigSlice {
  /** Bytes of memory one slice has. */
  bytes: number;
  /** Slices one GPU holds when the whole GPU is cut into this profile (the MIG manager's `all-<profile>`). */
  perGpu: number;
}

/**
 * One slice of a MIG profile on a GPU of `memoryGiB`: its memory, and how many fit one GPU. A GPU
 * has 7 compute slices and 8 memory slices; a profile `Ng.Mgb` takes N of the first and M/(GPU/8)
 * of the second, so `all-3g.40gb` gives 2 per 80 GiB GPU and `all-1g.20gb` gives 4.
 */
export function migSlice(profile: string, memoryGiB: number): MigSlice {
  const match = /^([1-7])g\.(\d+)gb$/.exec(profile);
  if (!match) throw new Error(`not a MIG profile: ${profile} (e.g. 3g.40gb)`);
  const compute = Number(match[1]);
  const nominalGb = Number(match[2]);
  const memoryEighths = Math.max(1, Math.round((nominalGb * 8) / memoryGiB));
  const perGpu = Math.max(0, Math.min(Math.floor(7 / compute), Math.floor(8 / memoryEighths)));
  const mib = MIG_SLICE_MIB[profile] ?? Math.floor(nominalGb * 1024 * 0.95);
  return { bytes: mib * MIB, perGpu };
}

/** What one pod may use of a pool: the unit it requests as `nvidia.com/gpu`, and how many one node has. */
export interface GpuDevice {
  /** Bytes of GPU memory one requested GPU gives the pod (a whole GPU or one MIG slice). */
  bytes: number;
  /** Requestable GPUs on one node: a pod's GPUs come from one node. */
  perNode: number;
  /** Why a pod may not spread one model over several of them, if so. */
  singleDeviceOnly?: string;
  /** Why the pool offers no memory a process can count on, if so. */
  unusable?: string;
}

/**
 * The device a pool offers a pod, from its contract facts. MIG slices are separate devices that
 * NCCL cannot join (no peer-to-peer between MIG instances), so a model spans one slice. A
 * time-sliced GPU shares its memory with other pods without limits, which an engine that reserves
 * a fixed share of the GPU up front (vLLM) cannot live with.
 */
export function gpuDevice(
  gpuType: AcceleratedGpuType,
  facts: { memoryGiB?: number; gpusPerNode?: number; sharing?: GpuSharing },
): GpuDevice {
  const memoryGiB = facts.memoryGiB ?? assumedGpuMemoryGiB(gpuType);
  const gpusPerNode = facts.gpusPerNode ?? 1;
  const sharing = facts.sharing ?? { mode: 'none' };
  if (sharing.mode === 'mig') {
    const slice = migSlice(sharing.profile, memoryGiB);
    return {
      bytes: slice.bytes,
      perNode: gpusPerNode * slice.perGpu,
      singleDeviceOnly: `MIG ${sharing.profile} slices cannot be joined by tensor parallelism`,
    };
  }
  const device: GpuDevice = { bytes: visibleGpuBytes(gpuType, memoryGiB), perNode: gpusPerNode };
  if (sharing.mode === 'time-slicing') {
    device.unusable = `time-sliced ${sharing.replicas} ways: its memory is shared without limits, and vLLM reserves a fixed share of the whole GPU`;
  }
  return device;
}
