import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { repoPath } from './repoRoot.js';
import { SLOWEST_FILES } from './slowestFirst.js';

test('every file the suite starts first exists (a renamed one would silently lose its place)', () => {
  expect(SLOWEST_FILES.filter((file) => !existsSync(repoPath(file)))).toEqual([]);
  expect(new Set(SLOWEST_FILES).size).toBe(SLOWEST_FILES.length);
});
