// The one folder a test run's temporary files go to (TMPDIR points there), removed when the run ends:
// the tests make thousands of repositories, renders and caches, and a run must not leave them in /tmp.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Set to the scratch folder for everything a run starts, so nested runners reuse it. */
export const SCRATCH_VARIABLE = 'IDP_TEST_SCRATCH';

/**
 * A new scratch folder. Unless TMPDIR says where, it is in Linux's memory file system when there is
 * one: on a disk (ext4 with online discard here) each of the tests' creates and deletes costs kernel time.
 * @returns {string}
 */
export function makeTestScratch() {
  const memory = !process.env.TMPDIR && existsSync('/dev/shm');
  return mkdtempSync(path.join(memory ? '/dev/shm' : tmpdir(), 'idp-test-'));
}

/**
 * What a process running in `scratch` gets in its environment: TMPDIR there, and the variable that
 * tells a nested runner (vitest's global set-up) to use it instead of making its own.
 * @param {string} scratch
 * @returns {Record<string, string>}
 */
export function scratchEnv(scratch) {
  return { TMPDIR: scratch, [SCRATCH_VARIABLE]: scratch };
}
