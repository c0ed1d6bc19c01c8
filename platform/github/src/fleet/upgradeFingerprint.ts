import { createHash } from 'node:crypto';
import { contractFileFor, loadPlatformContract } from '@idp/scaffold';
import type { ServiceStatus } from './context.js';

/** The trailer an upgrade commit carries: what it was made from, besides its parent (the default branch). */
export const FINGERPRINT_TRAILER = 'Idp-Upgrade';

const digests = new Map<string, Promise<string>>();

/**
 * What an upgrade is a function of, besides the default branch it sits on: the template commit and
 * the platform contract. The same fingerprint on a commit whose parent is today's default branch
 * means the branch already holds exactly this upgrade.
 */
export async function upgradeFingerprint(status: ServiceStatus, contract?: string): Promise<string> {
  const file = contractFileFor(contract);
  if (!digests.has(file))
    digests.set(
      file,
      loadPlatformContract(file).then((c) => createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 16)),
    );
  return `template ${status.target?.commit ?? 'unknown'} contract ${await digests.get(file)!}`;
}
