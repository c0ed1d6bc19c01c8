import { InvalidInputError, type Problem } from '@idp/service-spec';
import { type FormPage, parseYaml } from '@idp/scaffold';
import { parameterSchema } from './parameterSchema.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `--set key=value` for a template's own parameters: a dotted key sets a nested field
 * (`--set database.port=5432`), and the value is typed by the parameter's JSON Schema — text for
 * strings, YAML for numbers, booleans, lists and objects (`--set 'tags=[web, api]'`). Text that
 * does not parse stays text, so the form's validation names it.
 */
export function parseParameterFlags(flags: readonly string[], pages: readonly FormPage[]): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const key = flag.slice(0, equals);
    const parts = key.split('.');
    if (equals <= 0 || parts.some((part) => part === '' || FORBIDDEN_KEYS.has(part))) {
      problems.push({
        field: '--set',
        message: `"${flag}" must be parameter=value, with a dotted path for a nested field (e.g. --set name=my-service)`,
      });
      continue;
    }
    setPath(answers, parts, typed(flag.slice(equals + 1), parameterSchema(pages, key)?.type));
  }
  if (problems.length) throw new InvalidInputError('--set', problems);
  return answers;
}

function typed(text: string, type: unknown): unknown {
  const types = [type].flat();
  if (type === undefined || types.includes('string')) return text;
  try {
    const value = parseYaml(text);
    return value === null && text.trim() !== 'null' ? text : value;
  } catch {
    return text;
  }
}

/** Sets a nested value; a path through a non-object replaces it with an object. */
export function setPath(target: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}
