import { sharedMemorySize } from '../sharedMemory.js';
import type { LlmSizing } from './sizeLlm.js';

const GIB = 1024 ** 3;

/**
 * What a vLLM pod needs besides its GPUs, and how long it takes to come up: derived from the sizing.
 * A type, not an interface: the resolved spec is plain JSON a scaffolder action outputs as a record.
 */
export type ServingResources = {
  /** CPU request and limit: the API server and engine core, plus one worker process per GPU. */
  cpu: string;
  /** Host memory: safetensors are read through it shard by shard, and NCCL's /dev/shm counts against it. */
  memory: string;
  /** The memory-backed /dev/shm (tensor-parallel workers exchange through it). */
  sharedMemory: string;
  /** The model cache PVC: the checkpoint as downloaded, with room for the Hub's metadata. */
  modelCacheSize: string;
  /** The start-up probe's window: loading the weights from the cache, profiling, CUDA graph capture. */
  startupSeconds: number;
  /** The init step's budget to download the checkpoint into an empty cache. */
  downloadSeconds: number;
};

/** Seconds to load one GiB of weights from the cache volume into GPU memory (about 250 MiB/s, network block storage). */
const LOAD_SECONDS_PER_GIB = 4;
/** Profiling, torch.compile and CUDA graph capture, which vLLM does after loading whatever the model's size. */
const WARM_UP_SECONDS = 180;
/** Seconds to download one GiB from the Hub or object storage at a pessimistic 50 MiB/s. */
const DOWNLOAD_SECONDS_PER_GIB = 21;

/**
 * The checkpoint as it is downloaded: the weights as served, unless vLLM quantizes a 16-bit
 * checkpoint while loading (fp8, int8 asked for), when the download is two bytes per parameter.
 */
function checkpointBytes(sizing: LlmSizing, quantizedAtLoad: boolean): number {
  const parameters = sizing.model.parameters ?? 0;
  return quantizedAtLoad ? Math.max(sizing.weightsBytes, 2 * parameters) : sizing.weightsBytes;
}

/**
 * The pod's resources and time budgets for a sized model (docs/adr/0024). Estimates from published
 * load and download rates, not measurements: no GPU or engine ran where they were chosen.
 */
export function servingResources(sizing: LlmSizing, { quantizedAtLoad }: { quantizedAtLoad: boolean }): ServingResources {
  const gpus = sizing.choice.gpuCount;
  const weightsGib = sizing.weightsBytes / GIB;
  const memory = `${8 * (gpus + 1)}Gi`;
  const cacheGib = Math.ceil((checkpointBytes(sizing, quantizedAtLoad) * 1.1 + 2 * GIB) / (10 * GIB)) * 10;
  return {
    cpu: String(2 + 2 * gpus),
    memory,
    sharedMemory: sharedMemorySize(memory, sizing.choice.gpuType),
    modelCacheSize: `${cacheGib}Gi`,
    startupSeconds: WARM_UP_SECONDS + Math.ceil(weightsGib * LOAD_SECONDS_PER_GIB),
    downloadSeconds: Math.ceil((cacheGib * DOWNLOAD_SECONDS_PER_GIB) / 10) * 10,
  };
}
