import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { daemonIdentity } from './daemonAddress.js';
import type { DaemonRequest } from './frames.js';

/**
 * Whether this daemon may run a caller's command: the caller would have started the same idp —
 * the first `node` on its PATH and its install are the files this daemon runs, and Node.js's
 * start-up variables are the same. A caller that reached the daemon by its version's alias
 * (bin/daemonClient.pl) may have upgraded Node.js or idp since the daemon started.
 */
export function servesCaller(
  packageDir: string,
  startEnv: NodeJS.ProcessEnv,
): (request: Extract<DaemonRequest, { kind: 'run' }>) => boolean {
  const own = daemonIdentity(process.execPath, packageDir, startEnv);
  return (request) => {
    try {
      const node = findOnPath('node', request.env.PATH ?? '', request.cwd);
      return node !== undefined && daemonIdentity(node, request.packageDir ?? packageDir, request.env) === own;
    } catch {
      return false;
    }
  };
}

/** The file a POSIX shell runs for `name`: the first executable file in PATH (an empty entry is the folder). */
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
