import { describe, expect, it } from 'vitest';
import { MODEL_FIXTURES, modelConfig, publishedParameters } from '../../../../test/modelFixtures.js';
import { countParameters, kvBytesPerSequence, kvBytesPerToken, parseModelConfig, weightsBytes } from '../index.js';

// Sizing checked against what the models' publishers state: parameter counts from their model
// cards, KV cache per token from the attention shape their configs publish.

const KIB = 1024;
const GIB = 1024 ** 3;

describe('parameter counts from config.json', () => {
  it.each(MODEL_FIXTURES)('%s: within 1% of the published count', (name) => {
    const counted = countParameters(parseModelConfig(modelConfig(name)))!.total;
    expect(Math.abs(counted / publishedParameters(name) - 1)).toBeLessThan(0.01);
  });

  it('Llama-3.1-8B: exactly what its safetensors index holds (16,060,522,496 bytes of bfloat16)', () => {
    expect(countParameters(parseModelConfig(modelConfig('llama-3.1-8b')))!.total).toBe(8_030_261_248);
    expect(weightsBytes(parseModelConfig(modelConfig('llama-3.1-8b')), { dtype: 'bfloat16', indexBytes: 16_060_522_496 })).toEqual({
      bytes: 16_060_522_496,
      parameters: 8_030_261_248,
      source: 'config+safetensors-index',
    });
  });

  it('Qwen2.5: the non-embedding counts of the model cards (6.53B and 0.36B), with q/k/v biases', () => {
    const nonEmbedding = (name: 'qwen2.5-7b' | 'qwen2.5-0.5b') => {
      const shape = parseModelConfig(modelConfig(name));
      return countParameters(shape)!.total - shape.vocabSize * shape.hiddenSize * (shape.tiedEmbeddings ? 1 : 2);
    };
    expect(nonEmbedding('qwen2.5-7b') / 1e9).toBeCloseTo(6.53, 2);
    expect(nonEmbedding('qwen2.5-0.5b') / 1e9).toBeCloseTo(0.36, 2);
  });

  it('tied embeddings count the vocabulary once: untying Qwen2.5-0.5B adds vocab × hidden', () => {
    const tied = parseModelConfig(modelConfig('qwen2.5-0.5b'));
    expect(tied.tiedEmbeddings).toBe(true);
    const untied = { ...tied, tiedEmbeddings: false };
    expect(countParameters(untied)!.total - countParameters(tied)!.total).toBe(151_936 * 896);
  });

  it('Mistral-7B v0.1 and v0.3 differ only by the 768 tokens v0.3 added to the vocabulary, in and out', () => {
    const v1 = countParameters(parseModelConfig(modelConfig('mistral-7b-v0.1')))!.total;
    const v3 = countParameters(parseModelConfig(modelConfig('mistral-7b-v0.3')))!.total;
    expect(v3 - v1).toBe(2 * 768 * 4096);
  });
});

describe('weights bytes per format', () => {
  const llama8b = parseModelConfig(modelConfig('llama-3.1-8b'));
  const params = 8_030_261_248;
  const embeddings = 2 * 128_256 * 4096;

  it('bfloat16 and float16 take 2 bytes a parameter, float32 4', () => {
    expect(weightsBytes(llama8b, { dtype: 'bfloat16' })!.bytes).toBe(2 * params);
    expect(weightsBytes(llama8b, { dtype: 'float16' })!.bytes).toBe(2 * params);
    expect(weightsBytes(llama8b, { dtype: 'float32' })!.bytes).toBe(4 * params);
  });

  it('fp8 and int8 take a byte per linear weight; embeddings and the output layer stay 16-bit', () => {
    const fp8 = weightsBytes(llama8b, { dtype: 'bfloat16', quantization: 'fp8' })!.bytes;
    expect(fp8).toBe(Math.ceil(params - embeddings - 32 * 8192 - 4096 + 2 * (embeddings + 32 * 8192 + 4096)));
    expect(weightsBytes(llama8b, { dtype: 'bfloat16', quantization: 'int8' })!.bytes).toBe(fp8);
    // Published FP8 checkpoints of Llama-3.1-8B weigh about 9 GB.
    expect(fp8 / GIB).toBeGreaterThan(8);
    expect(fp8 / GIB).toBeLessThan(8.6);
  });

  it('awq/gptq 4-bit take about 0.52 bytes a linear weight: Llama-3.1-8B near its published ~5.7 GB AWQ checkpoint', () => {
    const awq = weightsBytes(llama8b, { dtype: 'float16', quantization: 'awq' })!.bytes;
    expect(awq / 1e9).toBeGreaterThan(5.4);
    expect(awq / 1e9).toBeLessThan(5.9);
    expect(weightsBytes(llama8b, { dtype: 'float16', quantization: 'gptq' })!.bytes).toBe(awq);
  });

  it('a pre-quantized checkpoint with an index weighs what its files weigh', () => {
    const awqShape = { ...llama8b, checkpointQuantization: 'awq' };
    expect(weightsBytes(awqShape, { dtype: 'float16', quantization: 'awq', indexBytes: 5_730_000_000 })).toEqual({
      bytes: 5_730_000_000,
      source: 'safetensors-index',
    });
  });

  it('the index alone sizes a model whose config lacks the MLP width', () => {
    const { intermediateSize, ...noMlp } = llama8b;
    expect(intermediateSize).toBe(14_336);
    expect(weightsBytes(noMlp, { dtype: 'bfloat16' })).toBeUndefined();
    expect(weightsBytes(noMlp, { dtype: 'bfloat16', indexBytes: 16_060_522_496 })!.bytes).toBe(16_060_522_496);
  });
});

describe('KV cache per token: 2 × layers × KV heads × head_dim × bytes', () => {
  it.each([
    ['llama-3.1-8b', 128],
    ['llama-3.1-70b', 320],
    ['mistral-7b-v0.1', 128],
    ['mistral-7b-v0.3', 128],
    ['qwen2.5-7b', 56],
    ['qwen2.5-0.5b', 12],
  ] as const)('%s in bfloat16: %i KiB', (name, kib) => {
    expect(kvBytesPerToken(parseModelConfig(modelConfig(name)), 2)).toBe(kib * KIB);
  });

  it('fp8 KV cache halves it; a full 8192-token Llama-3.1-8B sequence holds 1 GiB in bfloat16', () => {
    const shape = parseModelConfig(modelConfig('llama-3.1-8b'));
    expect(kvBytesPerToken(shape, 1)).toBe(64 * KIB);
    expect(kvBytesPerSequence(kvBytesPerToken(shape, 2), 8192)).toBe(GIB);
  });

  it('a sequence holds whole 16-token blocks', () => {
    expect(kvBytesPerSequence(1000, 1)).toBe(16_000);
    expect(kvBytesPerSequence(1000, 17)).toBe(32_000);
  });

  it('grouped-query attention is why: with every head cached, Llama-3.1-70B would take 4× as much', () => {
    const shape = parseModelConfig(modelConfig('llama-3.1-70b'));
    expect(kvBytesPerToken({ ...shape, kvHeads: shape.attentionHeads }, 2) / kvBytesPerToken(shape, 2)).toBe(8);
  });
});
