import { z } from 'zod';
import { ACCELERATED_GPU_TYPES, MAX_GPUS_PER_POD } from '../gpu.js';
import { TeamName } from '../teamName.js';
import { KV_CACHE_DTYPES, LLM_DTYPES, LLM_QUANTIZATIONS } from './precision.js';

const whole = (min: number, max: number, example: number) =>
  z
    .int(`must be a whole number from ${min} to ${max} (e.g. ${example})`)
    .min(min, `must be a whole number from ${min} to ${max} (e.g. ${example})`)
    .max(max, `must be a whole number from ${min} to ${max} (e.g. ${example})`);

const oneOf = <T extends readonly [string, ...string[]]>(values: T, example: T[number]) =>
  z.enum(values, { error: `must be one of ${values.join(', ')} (e.g. ${example})` });

/** vLLM's own default for --gpu-memory-utilization. */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/**
 * What the doors ask sizing: the model (its parsed config.json and, when there is one, its parsed
 * safetensors index), how it is served, and optionally the GPUs and the owner's namespace. Names
 * as the llm-service template's parameters spell them.
 */
export const LlmSizingRequest = z
  .object({
    /** The parsed config.json (the doors read it from `modelConfig`, a path or URL). */
    config: z.unknown(),
    /** The parsed model.safetensors.index.json, whose total_size gives the weights exactly. */
    index: z.unknown().optional(),
    dtype: oneOf(LLM_DTYPES, 'auto').default('auto'),
    quantization: oneOf(LLM_QUANTIZATIONS, 'awq').optional(),
    kvCacheDtype: oneOf(KV_CACHE_DTYPES, 'auto').default('auto'),
    maxModelLen: whole(16, 10_485_760, 8192),
    maxNumSeqs: whole(1, 4096, 16),
    gpuMemoryUtilization: z
      .number({ error: 'must be a share of GPU memory above 0 and at most 1 (e.g. 0.9)' })
      .gt(0, 'must be a share of GPU memory above 0 and at most 1 (e.g. 0.9)')
      .max(1, 'must be a share of GPU memory above 0 and at most 1 (e.g. 0.9)')
      .default(DEFAULT_GPU_MEMORY_UTILIZATION),
    gpuType: oneOf(ACCELERATED_GPU_TYPES as [string, ...string[]], 'nvidia-l4').optional(),
    gpuCount: whole(1, MAX_GPUS_PER_POD, 1).optional(),
    /** The owner team's namespace, whose GPU quota the choice must fit; absent, no quota is checked. */
    namespace: TeamName.optional(),
    minReplicas: whole(0, 100, 1).default(1),
    maxReplicas: whole(1, 100, 2).default(1),
  })
  .strict();
export type LlmSizingRequest = z.input<typeof LlmSizingRequest>;
