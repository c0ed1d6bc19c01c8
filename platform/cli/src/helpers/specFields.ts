import { ServiceSpec, serviceSpecJsonSchema } from '@idp/spec';

export interface FieldSchema {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  anyOf?: FieldSchema[];
}

let cached: Record<string, FieldSchema> | undefined;

/** The spec's fields as JSON Schema, in declaration order: what prompts and flags are built from. */
export function specFields(): Record<string, FieldSchema> {
  cached ??= (serviceSpecJsonSchema() as { properties: Record<string, FieldSchema> }).properties;
  return cached;
}

export function fieldTypes(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(specFields()).map(([k, s]) => [k, s.type ?? s.anyOf?.[0]?.type]));
}

/**
 * The spec's verdict on one field given the other answers so far: its own rules and the
 * cross-field rules that name it. Undefined when the field is fine.
 */
export function fieldProblem(field: string, value: unknown, answers: Record<string, unknown>): string | undefined {
  const candidate = Object.fromEntries(Object.entries({ ...answers, [field]: value }).filter(([k]) => k in specFields()));
  const parsed = ServiceSpec.safeParse(candidate);
  if (parsed.success) return undefined;
  return parsed.error.issues.find((issue) => issue.path[0] === field)?.message;
}
