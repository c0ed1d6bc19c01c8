import { CORE_SCHEMA, load } from 'js-yaml';

/**
 * The most values a YAML document may stand for once its aliases are expanded. Templates, answers,
 * values files and contracts come from anywhere: nine levels of `&a [*b, *b, …]` parse in
 * microseconds as shared references but expand to billions of values in whatever walks them next
 * (validation, rendering, JSON), so the bomb is refused here, at parse time. Real files are far
 * below this (the default contract is about 200 values).
 */
export const MAX_YAML_VALUES = 1_000_000;

/** Text longer than this is refused before parsing (a contract or template is kilobytes). */
export const MAX_YAML_TEXT = 16 * 2 ** 20;

/**
 * Parses YAML (or JSON) with the YAML 1.2 core schema: `2024-06-01` stays text and `yes` stays
 * text, as in Backstage's own parser. js-yaml rather than `yaml` because the CLI parses a template
 * and a contract on every run and js-yaml does it in a third of the time from a cold start.
 * Throws when the text or its expansion is too large (see MAX_YAML_VALUES).
 */
export function parseYaml(text: string): unknown {
  if (text.length > MAX_YAML_TEXT) {
    throw new Error(`the YAML is ${text.length} characters long; the most accepted is ${MAX_YAML_TEXT}`);
  }
  const value = load(text, { schema: CORE_SCHEMA });
  const values = expandedSize(value, new Map(), MAX_YAML_VALUES);
  if (values > MAX_YAML_VALUES) {
    throw new Error(
      `the YAML expands to more than ${MAX_YAML_VALUES} values through its aliases (&anchor/*alias): refused as an alias bomb`,
    );
  }
  return value;
}

/**
 * How many values a parsed document holds with every alias expanded, counted once per shared node
 * (linear in the parsed size) and cut short past `limit`.
 */
function expandedSize(value: unknown, sizes: Map<object, number>, limit: number): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = sizes.get(value);
  if (known !== undefined) return known;
  // A node met again on its own path is a recursive alias: count it as too large.
  sizes.set(value, limit + 1);
  let size = 1;
  for (const child of Object.values(value)) {
    size += expandedSize(child, sizes, limit);
    if (size > limit) break;
  }
  sizes.set(value, Math.min(size, limit + 1));
  return size;
}
