import { z } from 'zod';
import { InvalidInputError, type Problem, quoteKey } from './problems.js';

/**
 * Keys that JavaScript objects cannot hold as plain data. zod's `z.record` skips an own `__proto__`
 * key before its key schema runs and drops it while reporting success, and an assignment of any of
 * them can reach `Object.prototype`; so input holding one is refused, never silently shortened.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export const isReservedKey = (key: string): boolean => RESERVED_KEYS.includes(key);

export const reservedKeyRule = (example: string) =>
  `is a reserved key (__proto__, constructor and prototype cannot be held as data): rename it (e.g. ${example})`;

/** Every reserved key at any depth of parsed input (JSON, YAML, flags), by its path. */
export function reservedKeyProblems(value: unknown, options: { path?: readonly PropertyKey[]; example?: string } = {}): Problem[] {
  const problems: Problem[] = [];
  const example = options.example ?? 'ml-team';
  const visit = (node: unknown, path: readonly PropertyKey[], seen: Set<object>) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      if (!Array.isArray(node) && isReservedKey(key))
        problems.push({ field: at.map(quoteKey).join('.'), message: reservedKeyRule(example) });
      else visit(child, at, seen);
    }
    seen.delete(node);
  };
  visit(value, options.path ?? [], new Set());
  return problems;
}

/** Throws the usual rejection (exit 2 at the doors) when parsed input holds a reserved key. */
export function refuseReservedKeys(value: unknown, subject: string, options?: { path?: readonly PropertyKey[]; example?: string }): void {
  const problems = reservedKeyProblems(value, options);
  if (problems.length) throw new InvalidInputError(subject, problems);
}

/** Adds the reserved-key check in front of a schema, since zod's records run too late to see `__proto__`. */
function guarded<T extends z.ZodType>(schema: T, example: string) {
  return z.preprocess((input, context) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    for (const key of Object.keys(input)) {
      if (isReservedKey(key)) context.addIssue({ code: 'custom', path: [key], message: reservedKeyRule(example), input });
    }
    return input;
  }, schema);
}

/** `z.record` that refuses reserved keys instead of dropping `__proto__`. Use it for every record. */
export function recordOf<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V, example = 'ml-team') {
  return guarded(z.record(key, value), example);
}

/** `z.partialRecord` (a record over an enum, keys optional) that refuses reserved keys. */
export function partialRecordOf<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V, example = 'nvidia-l4') {
  return guarded(z.partialRecord(key, value), example);
}
