import path from 'node:path';
import { TemplateError } from '../renderTemplate.js';

/**
 * A path inside the workspace, relative and normalised ('' for the workspace itself), as
 * Backstage's resolveSafeChildPath accepts it: resolved against the root, and refused when the
 * result is outside — which, like Backstage's isChildPath, includes any result whose relative
 * form starts with "..".
 */
export function workspacePath(target: string, what: string): string {
  if (target.includes('\0')) throw new TemplateError(`${what} "${target}" contains a NUL character, which no file system accepts`);
  // An absolute path is outside: the portal's workspace is a fresh temporary directory.
  const root = '/workspace';
  const relative = path.posix.relative(root, path.posix.resolve(root, target));
  if (path.posix.isAbsolute(target) || relative.startsWith('..') || path.posix.isAbsolute(relative)) {
    throw new TemplateError(
      `${what} "${target}" is outside the directory the template writes: Relative path is not allowed to refer to a directory outside its parent`,
    );
  }
  return relative;
}

/** `relative` under `base`, both workspace paths. */
export function joinWorkspacePath(base: string, relative: string): string {
  return base === '' ? relative : relative === '' ? base : `${base}/${relative}`;
}
