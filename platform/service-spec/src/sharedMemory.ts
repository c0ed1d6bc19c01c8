import { parseQuantity } from './quantity.js';

const MEBIBYTE = 2 ** 20;
/** The container runtime's default /dev/shm: never go below it. */
const MIN_MEBIBYTES = 64;

/**
 * The size of a service's /dev/shm, a memory-backed emptyDir. What is written there counts against
 * the container's memory limit, so a /dev/shm as large as the limit lets shared memory alone
 * OOM-kill the pod: it gets a quarter of the memory, capped at 1Gi without a GPU and 16Gi with one
 * (data loaders and CUDA IPC), and never less than the 64Mi default.
 */
export function sharedMemorySize(memory: string, gpuType: string): string {
  const quarter = Math.floor((parseQuantity(memory) ?? 0) / 4 / MEBIBYTE);
  const cap = gpuType === 'none' ? 1024 : 16 * 1024;
  return `${Math.max(MIN_MEBIBYTES, Math.min(cap, quarter))}Mi`;
}
