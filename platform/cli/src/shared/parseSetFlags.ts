import { InvalidInputError, isReservedKey, type Problem, reservedKeyRule } from '@idp/service-spec';
import { fieldTypes } from './specFields.js';

/**
 * Turns repeated `--set key=value` flags into answers, typed by the spec's JSON Schema: numbers
 * for integer fields, booleans for boolean ones. Text that does not fit is kept as text, so the
 * spec reports it with its own rule.
 */
export function parseSetFlags(flags: readonly string[]): Record<string, unknown> {
  if (flags.length === 0) return {};
  const types = fieldTypes();
  const answers: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    if (equals <= 0) {
      problems.push({ field: '--set', message: `"${flag}" must be key=value (e.g. --set gpuType=nvidia-l4)` });
      continue;
    }
    const key = flag.slice(0, equals);
    const text = flag.slice(equals + 1);
    if (isReservedKey(key)) {
      problems.push({ field: key, message: reservedKeyRule('--set modelName=fraud-model') });
      continue;
    }
    answers[key] = coerce(text, types[key]);
  }
  if (problems.length) throw new InvalidInputError('--set', problems);
  return answers;
}

function coerce(text: string, type: string | undefined): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
