import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The file a POSIX shell runs for `name`: the first executable file in PATH (an empty entry is the folder cwd). */
export function findOnPath(name: string, searchPath: string, cwd: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    const candidate = path.resolve(cwd, dir || '.', name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * The `node` a caller's shell starts, as bin/idp runs it: the first on PATH (a version manager's
 * shim, a wrapper or the binary), else the one running this code.
 */
export function callerNode(env: NodeJS.ProcessEnv, cwd: string): string {
  return findOnPath('node', env.PATH ?? '', cwd) ?? process.execPath;
}
