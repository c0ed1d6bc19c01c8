import { ServiceSpec } from './serviceSpec.js';

const FIELDS = new Set(Object.keys(ServiceSpec.in.shape));

/**
 * The spec's verdict on one field given the other answers so far: its own rules and the
 * cross-field rules that name it, in the spec's words. Empty when the field is fine. What a
 * prompt or a form field asks before the whole spec is known: the rest is checked with the
 * answers given and defaults for the others, and unknown keys are ignored.
 */
export function fieldProblems(field: string, value: unknown, answers: Record<string, unknown> = {}): string[] {
  const candidate = Object.fromEntries(Object.entries({ ...answers, [field]: value }).filter(([key]) => FIELDS.has(key)));
  const parsed = ServiceSpec.safeParse(candidate);
  if (parsed.success) return [];
  return parsed.error.issues.filter((issue) => issue.path[0] === field).map((issue) => issue.message);
}
