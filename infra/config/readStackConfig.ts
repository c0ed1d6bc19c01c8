import * as pulumi from '@pulumi/pulumi';
import type { z } from 'zod';
import { reservedKeyProblems } from '@idp/service-spec';
import { StackConfigError, configProblems } from './stackConfigError.js';

/**
 * The stack's settings for one project as plain values. Pulumi hands structured values (objects and
 * lists, whose numbers and booleans are typed) over as JSON strings, and top-level scalars as
 * strings. Only the structured ones are decoded: `kubernetesVersion: "1.33"` must stay a string.
 */
export function projectConfigValues(project: string, all: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
  // No prototype: a key `project:__proto__` stays a key, which parseStackConfig refuses by name.
  const values: Record<string, unknown> = Object.create(null);
  const prefix = `${project}:`;
  for (const [key, raw] of Object.entries(all)) {
    if (!key.startsWith(prefix)) continue;
    values[key.slice(prefix.length)] = decode(raw);
  }
  return values;
}

function decode(raw: string): unknown {
  if (!/^\s*[[{]/.test(raw)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Validates a project's settings, or throws a StackConfigError naming key, rule and example. */
export function parseStackConfig<S extends z.ZodType>(
  project: string,
  schema: S,
  values: Record<string, unknown>,
  examples: Record<string, string>,
): z.output<S> {
  const reserved = reservedKeyProblems(values, { example: 'ml-team' });
  if (reserved.length) {
    throw new StackConfigError(
      project,
      reserved.map(({ field, message }) => {
        const top = field.split('.')[0]!;
        return { key: field, rule: message, example: Object.hasOwn(examples, top) ? examples[top]! : 'rename the key' };
      }),
    );
  }
  const result = schema.safeParse(values);
  if (!result.success) throw new StackConfigError(project, configProblems(result.error, examples));
  return result.data;
}
