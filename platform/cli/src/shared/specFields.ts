import { serviceSpecJsonSchema } from '@idp/service-spec';

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
