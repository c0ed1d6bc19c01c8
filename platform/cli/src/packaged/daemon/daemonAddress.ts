import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callerNode } from './findOnPath.js';

/** Where one user's idp daemon for one Node.js binary and one install listens. */
export interface DaemonAddress {
  /** A folder only this user can enter: the socket's permission is the folder's. */
  readonly dir: string;
  readonly socket: string;
}

// Environment variables Node.js reads once, as it starts (options, trusted CAs, proxies, locale,
// time zone): a daemon started under other values would not behave as a fresh process here.
const STARTUP_VARIABLES = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NODE_USE_ENV_PROXY', 'NODE_ICU_DATA', 'TZ', 'LANG', 'LC_ALL'];

// Linux allows 108 bytes for a socket's path, macOS 104.
const MAX_SOCKET_PATH = 103;

/**
 * The daemon's socket for this user, the `node` first on PATH and this install of idp, or undefined when no
 * private folder can be had (then idp runs in-process). Named by a digest of daemonIdentity: after
 * an upgrade of idp or Node.js, or under other NODE_OPTIONS, a run never reaches a daemon started
 * for something else.
 */
export function daemonAddress(packageDir: string, env: NodeJS.ProcessEnv = process.env): DaemonAddress | undefined {
  const dir = privateDir(env);
  if (!dir) return undefined;
  const digest = createHash('sha256')
    .update(daemonIdentity(callerNode(env, process.cwd()), packageDir, env))
    .digest('hex');
  const socket = path.join(dir, `idp-${digest.slice(0, 20)}.sock`);
  return Buffer.byteLength(socket) <= MAX_SOCKET_PATH ? { dir, socket } : undefined;
}

/**
 * What a daemon must share with a run it serves: the `node` the caller starts and the installed
 * bundle (each file's real path, inode, size and time: a replaced file differs) and Node.js's
 * start-up variables.
 */
export function daemonIdentity(nodeBinary: string, packageDir: string, env: NodeJS.ProcessEnv): string {
  const parts: string[] = [];
  for (const file of [nodeBinary, path.join(packageDir, 'dist', 'idp.cjs')]) {
    const stats = statSync(file);
    parts.push(realpathSync(file), String(stats.ino), String(stats.size), String(stats.mtimeMs));
  }
  for (const name of STARTUP_VARIABLES) parts.push(`${name}=${env[name] ?? ''}`);
  return parts.join('\0');
}

/**
 * The name under which the daemon of this idp version is also found, without computing its
 * identity: bin/daemonClient.pl connects there, and the daemon checks the identity of each run it
 * is asked to serve (serveDaemon's `serves`).
 */
export function daemonAlias(address: DaemonAddress, version: string): string {
  return path.join(address.dir, `idp-${version}.sock`);
}

/**
 * $XDG_RUNTIME_DIR/idp (the per-user folder systemd makes), else <tmp>/idp-<uid>, made with mode
 * 0700. Used only when it is a real folder (not a link) owned by this user that no one else can
 * enter: in a shared /tmp another user could have made it first.
 */
function privateDir(env: NodeJS.ProcessEnv): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const runtime = env.XDG_RUNTIME_DIR;
  const dir = runtime && path.isAbsolute(runtime) ? path.join(runtime, 'idp') : path.join(os.tmpdir(), `idp-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const stats = lstatSync(dir);
    return stats.isDirectory() && stats.uid === uid && (stats.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}
