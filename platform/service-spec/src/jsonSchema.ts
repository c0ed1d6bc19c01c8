import { z } from 'zod';
import { LlmServiceSpec } from './llm/llmServiceSpec.js';
import { ServiceSpec } from './serviceSpec.js';

/** The spec as a form sees it (defaults, patterns, enums): the source of template parameters. */
export function serviceSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ServiceSpec, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
}

/** The llm-service spec as a form sees it: the source of templates/llm-service's parameters. */
export function llmServiceSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(LlmServiceSpec, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
}
