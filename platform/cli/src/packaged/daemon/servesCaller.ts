import { daemonIdentity } from './daemonAddress.js';
import { callerNode } from './findOnPath.js';
import type { DaemonRequest } from './frames.js';

/**
 * Whether this daemon may run a caller's command: the caller would have started the same idp —
 * the first `node` on its PATH and its install are the files the daemon was started for, and
 * Node.js's start-up variables are the same. A caller that reached the daemon by its version's
 * alias (bin/daemonClient.pl) may have upgraded Node.js or idp since the daemon started, or have
 * another `node` first on its PATH.
 */
export function servesCaller(
  packageDir: string,
  startEnv: NodeJS.ProcessEnv,
  startCwd: string,
): (request: Extract<DaemonRequest, { kind: 'run' }>) => boolean {
  const own = daemonIdentity(callerNode(startEnv, startCwd), packageDir, startEnv);
  return (request) => {
    try {
      return daemonIdentity(callerNode(request.env, request.cwd), request.packageDir ?? packageDir, request.env) === own;
    } catch {
      return false;
    }
  };
}
