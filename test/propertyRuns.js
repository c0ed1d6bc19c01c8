import { appendFileSync } from 'node:fs';

// Plain JavaScript with its declarations beside it, so every workspace's tests share it: the
// Backstage packages type-check their tests inside their own rootDir, which a .d.ts may leave.

/**
 * The fixed seed of every property test in `npm test`: the suite gives the same answer on every run.
 * `npm run fuzz` (scripts/fuzz.mjs) sets FC_SEED to fresh seeds and FC_SCALE to many more runs, and
 * prints the FC_SEED/FC_SCALE of any failure, which replays it exactly.
 */
export const FIXED_SEED = 20261207;

/** The seed of this run: FIXED_SEED, or the fuzz run's FC_SEED. */
export function propertySeed() {
  const seed = process.env.FC_SEED === undefined ? FIXED_SEED : Number(process.env.FC_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error('FC_SEED must be an integer (e.g. FC_SEED=42)');
  return seed;
}

/**
 * Parameters for `fc.assert` and `fc.sample`: `numRuns` is what `npm test` runs (enough to mean
 * something, few enough to stay fast); the fuzz run multiplies it.
 * @param {number} numRuns
 * @returns {{ numRuns: number; seed: number }}
 */
export function propertyRuns(numRuns) {
  const seed = propertySeed();
  const scale = process.env.FC_SCALE === undefined ? 1 : Number(process.env.FC_SCALE);
  if (!(scale > 0)) throw new Error('FC_SCALE must be a positive number (e.g. FC_SCALE=10)');
  const runs = Math.max(1, Math.round(numRuns * scale));
  // The fuzz run counts what it ran.
  if (process.env.FC_RUN_LOG) appendFileSync(process.env.FC_RUN_LOG, `${runs}\n`);
  return { numRuns: runs, seed };
}
