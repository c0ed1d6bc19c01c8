import { readFileSync } from 'node:fs';
import { repoPath } from './repoRoot.js';

// The config.json facts of public models that LLM sizing is tested against
// (platform/service-spec/src/llm/fixtures/README.md says where they come from).

export const MODEL_FIXTURES = [
  'llama-3.1-8b',
  'llama-3.1-70b',
  'mistral-7b-v0.1',
  'mistral-7b-v0.3',
  'qwen2.5-7b',
  'qwen2.5-0.5b',
] as const;
export type ModelFixture = (typeof MODEL_FIXTURES)[number];

const read = (file: string): any => JSON.parse(readFileSync(repoPath(`platform/service-spec/src/llm/fixtures/${file}`), 'utf-8'));

/** A model's parsed config.json. */
export const modelConfig = (name: ModelFixture | 'multimodal-wrapper'): Record<string, unknown> => read(`${name}.config.json`);

/** A model's parsed model.safetensors.index.json (only those the tests use exist). */
export const modelIndex = (name: 'llama-3.1-8b'): unknown => read(`${name}.index.json`);

/** The parameter count each model's publisher states, with its source. */
export const publishedParameters = (name: ModelFixture): number => read('published.json')[name].parameters;
