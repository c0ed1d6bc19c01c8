import { InvalidInputError } from '@idp/service-spec';
import { redact } from '../publish/redact.js';

/**
 * An error as one line, whole: an invalid input's every problem (field and rule), not the first
 * line of its message, which only names the subject; URL credentials removed.
 */
export function describeError(error: unknown, secrets: ReadonlyArray<string | undefined> = []): string {
  const text =
    error instanceof InvalidInputError
      ? error.problems.map((p) => `${p.field}: ${p.message}`).join('; ')
      : ((error as Error)?.message ?? String(error))
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .join(' ');
  return redact(text, secrets);
}
