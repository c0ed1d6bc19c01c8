// The number formats vLLM serves a model in, and their bytes. Names as vLLM's own flags spell them
// (`--dtype`, `--quantization`, `--kv-cache-dtype`), so the template passes them through unchanged.

export const LLM_DTYPES = ['auto', 'bfloat16', 'float16', 'float32'] as const;
export type LlmDtype = (typeof LLM_DTYPES)[number];

export const LLM_QUANTIZATIONS = ['awq', 'gptq', 'fp8', 'int8'] as const;
export type LlmQuantization = (typeof LLM_QUANTIZATIONS)[number];

export const KV_CACHE_DTYPES = ['auto', 'fp8'] as const;
export type KvCacheDtype = (typeof KV_CACHE_DTYPES)[number];

/** Bytes of one number in the unquantized formats. */
export const DTYPE_BYTES = { bfloat16: 2, float16: 2, float32: 4 } as const;
export type ConcreteDtype = keyof typeof DTYPE_BYTES;

/**
 * Bytes a quantized linear-layer weight takes, scales included.
 * - fp8 (vLLM's dynamic FP8 and FP8 checkpoints) and int8 (W8A8, compressed-tensors): one byte per
 *   weight; one fp32 scale per tensor or per output channel is under 0.1% and left out.
 * - awq and gptq at 4 bits, group size 128 (the AutoAWQ and AutoGPTQ defaults every published
 *   checkpoint uses): half a byte per weight, plus per group of 128 weights one fp16 scale
 *   (2 bytes) and one packed 4-bit zero point (0.5 bytes): 0.5 + 2.5/128 ≈ 0.52 bytes. GPTQ's
 *   act-order index (one int32 per input row) adds under 0.2% and is left out.
 * Embeddings, the output layer and norms are not quantized by any of them: they stay 16-bit.
 */
export const QUANTIZED_WEIGHT_BYTES: Readonly<Record<LlmQuantization, number>> = {
  fp8: 1,
  int8: 1,
  awq: 0.5 + 2.5 / 128,
  gptq: 0.5 + 2.5 / 128,
};

/**
 * What `--dtype auto` becomes, as vLLM decides it: bfloat16 checkpoints run in bfloat16, float16
 * and float32 ones (and configs that do not say) in float16.
 */
export function resolveDtype(dtype: LlmDtype, checkpointDtype: string | undefined): ConcreteDtype {
  if (dtype !== 'auto') return dtype;
  return checkpointDtype === 'bfloat16' ? 'bfloat16' : 'float16';
}

/** Bytes per parameter the checkpoint files store, for turning the index's total_size into a count. */
export function checkpointBytesPerParameter(checkpointDtype: string | undefined): number | undefined {
  return checkpointDtype !== undefined && checkpointDtype in DTYPE_BYTES ? DTYPE_BYTES[checkpointDtype as ConcreteDtype] : undefined;
}

/** Bytes of one cached key or value element: the model's dtype, or one with `--kv-cache-dtype fp8`. */
export const kvElementBytes = (kvCacheDtype: KvCacheDtype, dtype: ConcreteDtype): number =>
  kvCacheDtype === 'fp8' ? 1 : DTYPE_BYTES[dtype];
