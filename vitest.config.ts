import { defineConfig } from 'vitest/config';

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
    setupFiles: ['test/fixedSeed.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // @actions/workflow-parser imports its JSON schema without `with { type: 'json' }`, which Node
    // rejects: let Vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
