import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest directory above `from` whose package.json declares workspaces. */
// From the working directory: Jest runs in the package (package test) or the root (repo test).
export function repoRoot(from: string = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf-8')).workspaces) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No npm workspace root above ${from}`);
  }
}
