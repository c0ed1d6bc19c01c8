import type { ModelShape } from './modelConfig.js';
import { countParameters, type ParameterCount } from './parameterCount.js';
import { checkpointBytesPerParameter, type ConcreteDtype, DTYPE_BYTES, type LlmQuantization, QUANTIZED_WEIGHT_BYTES } from './precision.js';

export interface Weights {
  /** Bytes the weights take on the GPUs, all tensor-parallel ranks together. */
  bytes: number;
  /** The parameter count, when the config or the index tells it. */
  parameters?: number;
  /** Where the figure came from, for the dry-run to show. */
  source: 'config' | 'safetensors-index' | 'config+safetensors-index';
}

/**
 * The weights' bytes once loaded. A checkpoint quantized ahead (its config has a
 * quantization_config) loads as it is stored, so the index's size is the answer. Otherwise the
 * parameters (the index's size over the checkpoint's bytes per parameter, or the count from the
 * config) times the bytes of the format served: quantized linear layers at their width, the
 * rest at the model dtype.
 */
export function weightsBytes(
  shape: ModelShape,
  { dtype, quantization, indexBytes }: { dtype: ConcreteDtype; quantization?: LlmQuantization; indexBytes?: number },
): Weights | undefined {
  if (shape.checkpointQuantization !== undefined && indexBytes !== undefined) return { bytes: indexBytes, source: 'safetensors-index' };
  const counted = countParameters(shape);
  const stored = checkpointBytesPerParameter(shape.checkpointDtype);
  const fromIndex = indexBytes !== undefined && stored !== undefined ? Math.round(indexBytes / stored) : undefined;
  const params: ParameterCount | undefined =
    fromIndex === undefined
      ? counted
      : // The index counts what the config may not describe (a vision tower, extra heads): that stays unquantized.
        {
          total: fromIndex,
          linear: Math.min(counted?.linear ?? 0, fromIndex),
          other: fromIndex - Math.min(counted?.linear ?? 0, fromIndex),
        };
  if (params === undefined) return undefined;
  const dense = DTYPE_BYTES[dtype];
  const linearBytes = quantization === undefined ? dense : QUANTIZED_WEIGHT_BYTES[quantization];
  // With a quantization but no count of the linear layers, nothing can be taken off: size it dense.
  const quantizable = counted === undefined ? 0 : params.linear;
  const bytes = Math.ceil(quantizable * linearBytes + (params.total - quantizable) * dense);
  const source = fromIndex === undefined ? 'config' : counted === undefined ? 'safetensors-index' : 'config+safetensors-index';
  return { bytes, parameters: params.total, source };
}
