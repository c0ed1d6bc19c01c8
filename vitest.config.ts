import { defineConfig } from 'vitest/config';
import { SlowestFirst } from './test/slowestFirst.js';

// One test run for every workspace. Packages resolve to their TypeScript sources (the `source`
// export condition), so tests never depend on a stale build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'platform/*/src/**/*.test.ts',
      'platform/*/test/**/*.test.ts',
      'infra/**/*.test.ts',
      'templates/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/skeleton/**'],
    // A run's temporary files go to one scratch folder, removed at its end (test/scratchTmpdir.setup.ts).
    globalSetup: ['test/scratchTmpdir.setup.ts'],
    setupFiles: ['test/fixedSeed.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share their worker's module cache instead of each starting a fresh process: that
    // start and the re-import of the packages cost about 0.8 s of CPU per file, a fifth of the suite.
    // Tests restore what they change (vi.restoreAllMocks, the environment they stub).
    isolate: false,
    // Three files at a time on two cores: most files wait on the processes they start (git, Python,
    // kubectl, the CLI), and with two the cores were idle a fifth of the time once the other phases
    // had ended (measured side by side: 455 s with two, 416 s with three).
    maxWorkers: 3,
    // The slowest files first even without vitest's timings (a clean clone): none starts last and runs alone.
    sequence: { sequencer: SlowestFirst },
    // @actions/workflow-parser imports its JSON schema without `with { type: 'json' }`, which Node
    // rejects: let Vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
