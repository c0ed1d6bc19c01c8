import { type Stats, statSync } from 'node:fs';

/**
 * What `stat` says of a path, or undefined when there is nothing to say (missing, a dangling link,
 * a file where a folder was expected, unreadable). Synchronous on purpose: the CLI waits for each
 * answer anyway, and a cold `idp new` would otherwise start Node's thread pool for a few of them.
 */
export function statIfAny(where: string): Stats | undefined {
  try {
    return statSync(where);
  } catch {
    return undefined;
  }
}
