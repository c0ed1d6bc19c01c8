import { z } from 'zod';
import { InvalidInputError, problemsFromZod } from '../problems.js';

/**
 * What sizing needs to know of a transformer, read from its Hugging Face `config.json`: the shape
 * of the attention (which sizes the KV cache) and of the layers (which counts the parameters).
 */
export interface ModelShape {
  modelType?: string;
  layers: number;
  hiddenSize: number;
  attentionHeads: number;
  /** Grouped-query attention shares each KV head among attentionHeads / kvHeads query heads. */
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  tiedEmbeddings: boolean;
  /** Absent when the config does not say (the parameter count then needs the safetensors index). */
  intermediateSize?: number;
  /** Bias on the q, k and v projections (Qwen2 always has it; Llama-class models say attention_bias). */
  qkvBias: boolean;
  maxPositionEmbeddings?: number;
  /** The dtype the checkpoint is stored in (`torch_dtype`, or `dtype` in newer transformers). */
  checkpointDtype?: string;
  /** The method a pre-quantized checkpoint was quantized with (`quantization_config.quant_method`). */
  checkpointQuantization?: string;
}

const count = (example: number) => z.int(`must be a whole number (e.g. ${example})`).min(1, `must be at least 1 (e.g. ${example})`);

/** The keys of a config.json sizing reads; every other key (rope scaling, token ids…) is left alone. */
const TextConfig = z.looseObject({
  model_type: z.string().optional(),
  num_hidden_layers: count(32),
  hidden_size: count(4096),
  num_attention_heads: count(32),
  num_key_value_heads: count(8).optional(),
  head_dim: count(128).nullish(),
  vocab_size: count(128256),
  tie_word_embeddings: z.boolean({ error: 'must be true or false (e.g. false)' }).optional(),
  intermediate_size: count(14336).optional(),
  attention_bias: z.boolean({ error: 'must be true or false (e.g. false)' }).optional(),
  max_position_embeddings: count(131072).optional(),
  torch_dtype: z.string().nullish(),
  dtype: z.string().nullish(),
  quantization_config: z.looseObject({ quant_method: z.string().optional() }).optional(),
});

/** Model families whose q/k/v projections carry a bias without the config saying so. */
const QKV_BIAS_MODEL_TYPES = new Set(['qwen2']);

/**
 * Architectures whose memory the formulas here would get wrong: mixture-of-experts layers hold
 * many MLPs (the index's size still tells the weights), latent attention caches a compressed KV.
 */
const UNSUPPORTED_KEYS: readonly { key: string; why: string }[] = [
  { key: 'kv_lora_rank', why: 'multi-head latent attention (DeepSeek-class) caches a compressed KV this sizing does not model' },
];
const EXPERT_KEYS = ['num_local_experts', 'num_experts', 'n_routed_experts'];

/**
 * Reads a parsed config.json. Multimodal and wrapper models keep the language model's facts in
 * `text_config`; those win over the top level, which still gives the dtype and quantization.
 * Throws InvalidInputError naming the config key, the rule and an example.
 */
export function parseModelConfig(input: unknown, { hasIndex = false } = {}): ModelShape {
  const invalid = (problems: { field: string; message: string }[]) => new InvalidInputError('The model config (config.json)', problems);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid([{ field: 'modelConfig', message: 'must be the JSON object of a config.json (e.g. {"num_hidden_layers": 32, …})' }]);
  }
  const top = input as Record<string, unknown>;
  const nested = typeof top.text_config === 'object' && top.text_config !== null ? (top.text_config as Record<string, unknown>) : undefined;
  const merged = nested ? { ...top, ...nested, text_config: undefined } : top;
  const result = TextConfig.safeParse(merged);
  if (!result.success) {
    const prefix = nested ? 'modelConfig.text_config' : 'modelConfig';
    throw invalid(problemsFromZod(result.error).map((p) => ({ ...p, field: `${prefix}.${p.field}` })));
  }
  const c = result.data;
  for (const { key, why } of UNSUPPORTED_KEYS) {
    if (merged[key] !== undefined && merged[key] !== null)
      throw invalid([{ field: `modelConfig.${key}`, message: `is not supported: ${why} (e.g. a Llama-, Mistral- or Qwen2-class model)` }]);
  }
  const experts = EXPERT_KEYS.find((key) => typeof merged[key] === 'number' && (merged[key] as number) > 1);
  if (experts && !hasIndex) {
    throw invalid([
      {
        field: `modelConfig.${experts}`,
        message:
          'is a mixture of experts, whose weights the config cannot count: give the safetensors index (e.g. model.safetensors.index.json)',
      },
    ]);
  }
  const kvHeads = c.num_key_value_heads ?? c.num_attention_heads;
  const problems: { field: string; message: string }[] = [];
  if (c.num_attention_heads % kvHeads !== 0) {
    problems.push({
      field: 'modelConfig.num_key_value_heads',
      message: `must divide num_attention_heads ${c.num_attention_heads}, as grouped-query attention needs (e.g. 8 for 32)`,
    });
  }
  const headDim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  if (!Number.isInteger(headDim)) {
    problems.push({
      field: 'modelConfig.head_dim',
      message: `must be given when hidden_size ${c.hidden_size} is not a multiple of num_attention_heads ${c.num_attention_heads} (e.g. 128)`,
    });
  }
  if (problems.length > 0) throw invalid(problems);
  const checkpointDtype = c.torch_dtype ?? c.dtype ?? undefined;
  const checkpointQuantization = c.quantization_config?.quant_method;
  return {
    ...(c.model_type ? { modelType: c.model_type } : {}),
    layers: c.num_hidden_layers,
    hiddenSize: c.hidden_size,
    attentionHeads: c.num_attention_heads,
    kvHeads,
    headDim,
    vocabSize: c.vocab_size,
    // transformers' own default is true, but a config that omits it is rare; counting the output
    // layer separately is the choice that cannot under-size.
    tiedEmbeddings: c.tie_word_embeddings ?? false,
    ...(c.intermediate_size === undefined ? {} : { intermediateSize: c.intermediate_size }),
    qkvBias: c.attention_bias ?? QKV_BIAS_MODEL_TYPES.has(c.model_type ?? ''),
    ...(c.max_position_embeddings === undefined ? {} : { maxPositionEmbeddings: c.max_position_embeddings }),
    ...(checkpointDtype ? { checkpointDtype } : {}),
    ...(checkpointQuantization ? { checkpointQuantization } : {}),
  };
}
