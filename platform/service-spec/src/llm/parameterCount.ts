import type { ModelShape } from './modelConfig.js';

/**
 * A decoder-only transformer's parameters, split by how quantization treats them: the linear
 * layers of the decoder blocks (what AWQ, GPTQ and FP8 quantize) and the rest (embeddings, output
 * layer, norms and biases, which stay in 16-bit).
 */
export interface ParameterCount {
  total: number;
  linear: number;
  other: number;
}

/**
 * Counts the parameters from the shape of a Llama-class block: q/k/v/o attention projections, a
 * gated MLP (gate, up, down), two RMSNorms per layer, input embeddings, an output layer unless
 * tied, and a final norm. Undefined when the config lacks the MLP width.
 */
export function countParameters(shape: ModelShape): ParameterCount | undefined {
  if (shape.intermediateSize === undefined) return undefined;
  const { hiddenSize: h, attentionHeads, kvHeads, headDim, layers, vocabSize, intermediateSize } = shape;
  const qWidth = attentionHeads * headDim;
  const kvWidth = kvHeads * headDim;
  const attention = h * qWidth + 2 * h * kvWidth + qWidth * h;
  const mlp = 3 * h * intermediateSize;
  const linear = layers * (attention + mlp);
  const biases = shape.qkvBias ? layers * (qWidth + 2 * kvWidth) : 0;
  const norms = layers * 2 * h + h;
  const embeddings = vocabSize * h * (shape.tiedEmbeddings ? 1 : 2);
  const other = embeddings + norms + biases;
  return { total: linear + other, linear, other };
}
