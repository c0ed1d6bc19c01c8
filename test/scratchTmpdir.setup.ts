import { rmSync } from 'node:fs';
import { makeTestScratch, SCRATCH_VARIABLE, scratchEnv } from '../scripts/testScratch.mjs';

/**
 * Vitest's global set-up: a run started directly (`npx vitest`, `npm run test:changed`) keeps its
 * temporary files in a scratch folder of its own, removed at the end, as `npm test` does
 * (scripts/test.mjs, which made one already: then this does nothing). The workers start after this
 * and inherit TMPDIR.
 */
export default function scratchTmpdir(): (() => void) | undefined {
  if (process.env[SCRATCH_VARIABLE]) return undefined;
  const scratch = makeTestScratch();
  Object.assign(process.env, scratchEnv(scratch));
  return () => rmSync(scratch, { recursive: true, force: true });
}
