import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';

const EXAMPLE = '(e.g. --out ./fraud-detector)';

/**
 * The directory `idp new` writes, from --out (or ./<name>): symbolic links followed, so the atomic
 * rename lands where the link points, and never inside a template, where every later render would
 * pick the written files up as skeleton. Throws InvalidInputError on --out.
 */
export async function resolveTarget(out: string, templatesRoot: string): Promise<string> {
  const target = await followLink(path.resolve(out));
  const real = await realPathOfNew(target);
  const root = await realpath(templatesRoot).catch(() => path.resolve(templatesRoot));
  for (let dir = real; ; dir = path.dirname(dir)) {
    const isTemplate = await stat(path.join(dir, 'template.yaml')).then(
      (s) => s.isFile(),
      () => false,
    );
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
async function followLink(target: string): Promise<string> {
  const link = await lstat(target).catch(() => undefined);
  if (!link?.isSymbolicLink()) return target;
  const resolved = await realpath(target).catch(() => undefined);
  if (resolved === undefined) {
    refuse(`${target} is a symbolic link to a path that does not exist; create that directory first, or choose another --out ${EXAMPLE}`);
  }
  const isDir = await stat(resolved).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) refuse(`${target} is a symbolic link to ${resolved}, which is not a directory; choose a directory ${EXAMPLE}`);
  return resolved;
}

/** The real path of a directory that may not exist yet: its nearest existing ancestor, resolved. */
async function realPathOfNew(target: string): Promise<string> {
  const rest: string[] = [];
  for (let dir = target; ; dir = path.dirname(dir)) {
    const real = await realpath(dir).catch(() => undefined);
    if (real !== undefined) return path.join(real, ...rest.reverse());
    if (path.dirname(dir) === dir) return target;
    rest.push(path.basename(dir));
  }
}

function refuse(message: string): never {
  throw new InvalidInputError('The target directory', [{ field: '--out', message }]);
}
