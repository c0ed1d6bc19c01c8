import os from 'node:os';
import path from 'node:path';

/**
 * Where the installed idp keeps what it can rebuild (unpacked templates, the startup snapshot, the
 * compile cache): `$XDG_CACHE_HOME/idp`, else `~/.cache/idp`, as bin/idp and
 * package/scripts/cacheHome.cjs find it. Deleting it is always safe.
 */
export function idpCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'idp');
  const home = env.HOME || os.homedir();
  return path.join(home ? path.join(home, '.cache') : os.tmpdir(), 'idp');
}
