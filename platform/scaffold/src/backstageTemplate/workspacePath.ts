import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';

/**
 * A path inside the workspace, relative and normalised ('' for the workspace itself), as
 * Backstage's resolveSafeChildPath accepts it: resolved against the root, and refused when the
 * result is outside — which, like Backstage's isChildPath, includes any result whose relative
 * form starts with "..".
 */
export function workspacePath(target: string, what: string): string {
  const refuse = (message: string) => new InvalidInputError('The template', [{ field: what, message }]);
  if (target.includes('\0'))
    throw refuse(`must be a path, but ${JSON.stringify(target)} contains a NUL character, which no file system accepts`);
  // An absolute path is outside: the portal's workspace is a fresh temporary directory.
  const root = '/workspace';
  const relative = path.posix.relative(root, path.posix.resolve(root, target));
  if (path.posix.isAbsolute(target) || relative.startsWith('..') || path.posix.isAbsolute(relative)) {
    // Backstage's own words follow, so the refusal reads the same in the portal and here.
    throw refuse(
      `must stay inside the directory the template writes, but ${JSON.stringify(target)} is outside it: Relative path is not allowed to refer to a directory outside its parent (e.g. ./docs)`,
    );
  }
  return relative;
}

/** `relative` under `base`, both workspace paths. */
export function joinWorkspacePath(base: string, relative: string): string {
  return base === '' ? relative : relative === '' ? base : `${base}/${relative}`;
}
