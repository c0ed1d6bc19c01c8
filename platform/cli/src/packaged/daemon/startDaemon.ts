import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DaemonAddress } from './daemonAddress.js';

/** The argument bin/idp.cjs passes to the bundle to make it the daemon. */
export const DAEMON_ARGUMENT = '__daemon';

// A daemon warms up (twelve renders of each packaged template) before it listens, a few seconds.
// While it does, other runs must not start another one.
const STARTING_MS = 60_000;

export const startingMarker = (address: DaemonAddress) => `${address.socket}.starting`;

/**
 * Starts this user's daemon in the background, detached from the terminal and the run that starts
 * it, unless one is already starting.
 */
export async function startDaemon(packageDir: string, address: DaemonAddress): Promise<void> {
  const marker = startingMarker(address);
  try {
    closeSync(openSync(marker, 'wx', 0o600));
  } catch {
    const since = statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
    if (since === undefined || Date.now() - since < STARTING_MS) return;
    rmSync(marker, { force: true });
    return startDaemon(packageDir, address);
  }
  // Loaded here, not with the client: most runs never start a daemon.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [path.join(packageDir, 'bin', 'idp.cjs'), DAEMON_ARGUMENT], {
    detached: true,
    stdio: 'ignore',
    cwd: address.dir,
    env: process.env,
  });
  child.on('error', () => rmSync(marker, { force: true }));
  child.unref();
}
