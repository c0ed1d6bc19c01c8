import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import { statIfAny } from '@idp/scaffold';

const EXAMPLE = '(e.g. --out ./fraud-detector)';

/**
 * The directory `idp new` writes, from --out (or ./<name>): symbolic links followed, so the atomic
 * rename lands where the link points, and never inside a template, where every later render would
 * pick the written files up as skeleton. Throws InvalidInputError on --out. Synchronous calls: a
 * CLI waits for each anyway, and a cold `idp new` would otherwise start the thread pool for them.
 */
export function resolveTarget(out: string, templatesRoot: string): string {
  const target = followLink(path.resolve(out));
  const real = realPathOfNew(target);
  const root = realPath(templatesRoot) ?? path.resolve(templatesRoot);
  for (let dir = real; ; dir = path.dirname(dir)) {
    const isTemplate = statIfAny(path.join(dir, 'template.yaml'))?.isFile() ?? false;
    if (isTemplate || dir === root) {
      const what = isTemplate ? 'the template' : 'the templates folder';
      refuse(
        `${out} lies inside ${what} ${dir}; files written there would become part of every later render. Choose a directory outside it ${EXAMPLE}`,
      );
    }
    if (path.dirname(dir) === dir) return target;
  }
}

/** A symlink is followed to a directory, or refused when it dangles or points at anything else. */
function followLink(target: string): string {
  const link = attempt(() => lstatSync(target));
  if (!link?.isSymbolicLink()) return target;
  const resolved = realPath(target);
  if (resolved === undefined) {
    refuse(`${target} is a symbolic link to a path that does not exist; create that directory first, or choose another --out ${EXAMPLE}`);
  }
  const isDir = statIfAny(resolved)?.isDirectory() ?? false;
  if (!isDir) refuse(`${target} is a symbolic link to ${resolved}, which is not a directory; choose a directory ${EXAMPLE}`);
  return resolved;
}

/** The real path of a directory that may not exist yet: its nearest existing ancestor, resolved. */
function realPathOfNew(target: string): string {
  const rest: string[] = [];
  for (let dir = target; ; dir = path.dirname(dir)) {
    const real = realPath(dir);
    if (real !== undefined) return path.join(real, ...rest.reverse());
    if (path.dirname(dir) === dir) return target;
    rest.push(path.basename(dir));
  }
}

/** What `read` answers, or undefined when the file system refuses (missing, a dangling link, not a folder, unreadable). */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const realPath = (where: string) => attempt(() => realpathSync(where));

function refuse(message: string): never {
  throw new InvalidInputError('The target directory', [{ field: '--out', message }]);
}
