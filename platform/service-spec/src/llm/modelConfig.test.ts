import { describe, expect, it } from 'vitest';
import { modelConfig } from '../../../../test/modelFixtures.js';
import { InvalidInputError, parseModelConfig } from '../index.js';

const problems = (input: unknown, options?: { hasIndex?: boolean }) => {
  try {
    parseModelConfig(input, options);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).problems;
  }
};

describe('parseModelConfig', () => {
  it('reads the keys sizing needs from a real config.json', () => {
    expect(parseModelConfig(modelConfig('qwen2.5-7b'))).toEqual({
      modelType: 'qwen2',
      layers: 28,
      hiddenSize: 3584,
      attentionHeads: 28,
      kvHeads: 4,
      headDim: 128,
      vocabSize: 152_064,
      tiedEmbeddings: false,
      intermediateSize: 18_944,
      qkvBias: true,
      maxPositionEmbeddings: 131_072,
      checkpointDtype: 'bfloat16',
    });
  });

  it('reads the language model from text_config, as multimodal configs nest it', () => {
    const nested = parseModelConfig(modelConfig('multimodal-wrapper'));
    const { modelType, qkvBias, ...flat } = parseModelConfig(modelConfig('llama-3.1-8b'));
    expect(nested).toMatchObject({ ...flat, modelType: 'llama' });
  });

  it('without num_key_value_heads every head is cached (multi-head attention); head_dim defaults to hidden / heads', () => {
    const { num_key_value_heads, ...mha } = modelConfig('llama-3.1-8b');
    expect(parseModelConfig(mha)).toMatchObject({ kvHeads: 32, headDim: 128 });
    expect(parseModelConfig({ ...mha, head_dim: 256 }).headDim).toBe(256);
  });

  it('names the key, the rule and an example', () => {
    const { num_hidden_layers, ...noLayers } = modelConfig('llama-3.1-8b');
    expect(problems(noLayers)).toEqual([{ field: 'modelConfig.num_hidden_layers', message: expect.stringMatching(/\(e\.g\. 32\)$/) }]);
    expect(problems({ ...modelConfig('llama-3.1-8b'), num_key_value_heads: 5 })).toEqual([
      {
        field: 'modelConfig.num_key_value_heads',
        message: 'must divide num_attention_heads 32, as grouped-query attention needs (e.g. 8 for 32)',
      },
    ]);
    expect(problems({ ...modelConfig('llama-3.1-8b'), hidden_size: 4100 })[0]?.field).toBe('modelConfig.head_dim');
    expect(problems([])).toEqual([{ field: 'modelConfig', message: expect.stringMatching(/JSON object of a config\.json/) }]);
    const nested = modelConfig('multimodal-wrapper');
    (nested.text_config as Record<string, unknown>).vocab_size = 'many';
    expect(problems(nested)[0]?.field).toBe('modelConfig.text_config.vocab_size');
  });

  it('refuses what the formulas would get wrong: latent attention always, experts without the index', () => {
    expect(problems({ ...modelConfig('llama-3.1-8b'), kv_lora_rank: 512 })[0]?.field).toBe('modelConfig.kv_lora_rank');
    const moe = { ...modelConfig('mistral-7b-v0.1'), num_local_experts: 8 };
    expect(problems(moe)[0]).toMatchObject({ field: 'modelConfig.num_local_experts', message: expect.stringMatching(/safetensors index/) });
    expect(problems(moe, { hasIndex: true })).toEqual([]);
  });
});
