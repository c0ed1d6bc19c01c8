import type { FormPage } from './formPages.js';
import { isRecord } from './templateDefinition.js';

type Json = Record<string, unknown>;

/**
 * The JSON Schema of a parameter by its dotted path (`database.port`), looked up in every page
 * and in the branches dependencies, oneOf, anyOf, allOf and if/then/else may add; undefined for
 * a name no page declares.
 */
export function parameterSchema(pages: readonly FormPage[], dotted: string): Json | undefined {
  for (const page of pages) {
    const found = lookup(page.schema, dotted.split('.'));
    if (found) return found;
  }
  return undefined;
}

function lookup(schema: unknown, parts: string[]): Json | undefined {
  if (!isRecord(schema)) return undefined;
  const [head, ...rest] = parts;
  if (head === undefined) return schema;
  const candidates: unknown[] = [];
  if (isRecord(schema.properties) && Object.hasOwn(schema.properties, head)) candidates.push(schema.properties[head]);
  const branches = [schema.oneOf, schema.anyOf, schema.allOf].flatMap((list) => (Array.isArray(list) ? list : []));
  if (isRecord(schema.dependencies)) branches.push(...Object.values(schema.dependencies));
  branches.push(schema.then, schema.else);
  for (const candidate of candidates) {
    const found = lookup(candidate, rest);
    if (found) return found;
  }
  for (const branch of branches) {
    const found = lookup(branch, parts);
    if (found) return found;
  }
  return undefined;
}
