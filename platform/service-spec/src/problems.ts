import type { z } from 'zod';

/** One reason input was rejected: the field, and the rule with a valid example. */
export interface Problem {
  field: string;
  message: string;
}

export function problemsFromZod(error: z.ZodError, knownFields: readonly string[] = []): Problem[] {
  if (error.issues.length === 1 && error.issues[0]!.path.length === 0 && error.issues[0]!.code === 'invalid_type') {
    return [{ field: '(input)', message: 'must be a mapping of field: value (e.g. {"name": "fraud-detector"})' }];
  }
  return error.issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [...issue.path, quoteKey(key)].join('.'),
        message: `is not a known field${knownFields.length ? `; known fields: ${knownFields.join(', ')}` : ''}`,
      }));
    }
    return [{ field: issue.path.join('.') || '(input)', message: issue.message }];
  });
}

/** A key as the doors print it in a field path: bare when it reads as a name, quoted otherwise. */
export function quoteKey(key: PropertyKey): string {
  return typeof key === 'string' && !/^[A-Za-z_$][\w$-]*$/.test(key) ? JSON.stringify(key) : String(key);
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  ${p.field}: ${p.message}`).join('\n');
}

/** A rejection that carries every problem, so a door can list them all at once. */
export class InvalidInputError extends Error {
  readonly problems: Problem[];
  constructor(subject: string, problems: Problem[]) {
    super(`${subject} is invalid:\n${formatProblems(problems)}`);
    this.name = 'InvalidInputError';
    this.problems = problems;
  }
}
