import { z } from 'zod';
import { ServiceSpec } from './serviceSpec.js';

/** The spec as a form sees it (defaults, patterns, enums): the source of template parameters. */
export function serviceSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ServiceSpec, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
}
