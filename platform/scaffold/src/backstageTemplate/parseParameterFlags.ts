import { InvalidInputError, isReservedKey, type Problem, reservedKeyProblems, reservedKeyRule } from '@idp/service-spec';
import { parseYaml } from '../parseYaml.js';
import type { FormPage } from './formPages.js';
import { parameterSchema } from './parameterSchema.js';

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
    if (equals > 0 && parts.some(isReservedKey)) {
      problems.push({ field: key, message: reservedKeyRule('--set name=my-service') });
      continue;
    }
    if (equals <= 0 || parts.some((part) => part === '')) {
      problems.push({
        field: '--set',
        message: `"${flag}" must be parameter=value, with a dotted path for a nested field (e.g. --set name=my-service)`,
      });
      continue;
    }
    const list = listAlongPath(parts, pages);
    if (list) {
      problems.push({
        field: key,
        message: `goes inside ${list}, which is a list: --set sets a list whole, in YAML (e.g. --set '${list}=[web, api]', or a list of objects in a --values file)`,
      });
      continue;
    }
    const value = typed(flag.slice(equals + 1), parameterSchema(pages, key)?.type);
    const reserved = reservedKeyProblems(value, { path: parts, example: 'name' });
    if (reserved.length) problems.push(...reserved);
    else setPath(answers, parts, value);
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

/** The first list parameter a dotted key reaches into (`tags` for `tags.0`), if any. */
function listAlongPath(parts: readonly string[], pages: readonly FormPage[]): string | undefined {
  for (let end = 1; end < parts.length; end++) {
    const prefix = parts.slice(0, end).join('.');
    if ([parameterSchema(pages, prefix)?.type].flat().includes('array')) return prefix;
  }
  return undefined;
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
