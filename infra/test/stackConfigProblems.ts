import type { z } from 'zod';
import { parseStackConfig } from '../config/readStackConfig.js';
import { type ConfigProblem, StackConfigError } from '../config/stackConfigError.js';

/** The problems a stack config is rejected with (key, rule, example); throws if it is accepted. */
export function stackConfigProblems(
  project: string,
  schema: z.ZodType,
  values: Record<string, unknown>,
  examples: Record<string, string>,
): ConfigProblem[] {
  try {
    parseStackConfig(project, schema, values, examples);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error('config was accepted');
}
