/**
 * Repositories a fleet run works on at once — listed (their answers read), compared with their
 * template and upgraded (a clone, two renders, a merge and a push each): one number for every
 * phase of `idp fleet status` and `idp fleet upgrade`, so --concurrency means one thing.
 */
export const DEFAULT_FLEET_CONCURRENCY = 4;

/** --concurrency, else the default; never less than one. */
export function fleetConcurrency(options: { concurrency?: number }): number {
  return Math.max(1, options.concurrency ?? DEFAULT_FLEET_CONCURRENCY);
}
