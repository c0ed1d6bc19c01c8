import { ENVIRONMENTS, type PlatformContract } from './platformContract.js';
import type { Problem } from './problems.js';

/** minReplicas 0 only where every environment scales to zero: the rule both templates' specs apply. */
export function scaleToZeroProblem(minReplicas: number, platform: PlatformContract): Problem | undefined {
  if (minReplicas !== 0) return undefined;
  const without = ENVIRONMENTS.filter((env) => !platform.environments[env].autoscaling.scaleToZero);
  if (!without.length) return undefined;
  return {
    field: 'minReplicas',
    message: `may be 0 only where the platform scales to zero (autoscaling.scaleToZero), which ${without.join(' and ')} does not (e.g. 1)`,
  };
}
