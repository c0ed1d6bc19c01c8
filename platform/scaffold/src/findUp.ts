import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest `relative` path in `from`'s directory or above it. Data files of the repository
 * (templates/, the default contract) are found this way rather than by a fixed number of `..`,
 * so the same code works from src/, dist/ and the CLI's single-file bundle.
 */
export function findUp(relative: string, from: string | URL): string | undefined {
  // `from` is a module's import.meta.url (a file: URL string), a URL, or a path.
  let dir = path.dirname(typeof from === 'string' && !from.startsWith('file:') ? from : fileURLToPath(from));
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
