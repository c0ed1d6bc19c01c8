import { createHash } from 'node:crypto';
import { loadPlatformContract } from '@idp/scaffold';
import type { ServiceStatus } from './context.js';

/** The trailer an upgrade commit carries: what it was made from, besides its parent (the default branch). */
export const FINGERPRINT_TRAILER = 'Idp-Upgrade';

/**
 * What an upgrade is a function of, besides the default branch it sits on: the template commit and
 * the platform contract. The same fingerprint on a commit whose parent is today's default branch
 * means the branch already holds exactly this upgrade. The contract is read as it is now on every
 * call (loadPlatformContract re-reads a file that changed): the portal lives for weeks, and a
 * contract changed since must not make an old pull request look like this upgrade.
 */
export async function upgradeFingerprint(status: ServiceStatus, contract?: string): Promise<string> {
  const digest = createHash('sha256')
    .update(JSON.stringify(await loadPlatformContract(contract)))
    .digest('hex')
    .slice(0, 16);
  return `template ${status.target?.commit ?? 'unknown'} contract ${digest}`;
}
