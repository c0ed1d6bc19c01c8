import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The portal's browser tests: a real backend serving the built app, driven through Debian's
// Chromium. Run from the repository root:
//   npx vitest run --config platform/backstage/app/vitest.e2e.config.mts
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    // Unit tests of src/ (plain functions, no DOM) and the browser tests in e2e/.
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Temporary files in one scratch folder, removed at the end (the repository's test/scratchTmpdir.setup.ts).
    globalSetup: ['../../../test/scratchTmpdir.setup.ts', 'e2e/support/globalSetup.ts'],
    // One portal at a time: the tests share two cores with everything else.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
