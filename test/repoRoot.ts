import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Where tests of every workspace find the repository's own files (templates, contracts, examples),
// instead of each counting its own `..`.

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A path inside the repository, from its root: `repoPath('templates/model-service')`. */
export function repoPath(...relative: string[]): string {
  return path.join(REPO_ROOT, ...relative);
}
