import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_DIR, REPO_ROOT } from './paths';

// NODE_ENV=production: vitest sets it to "test", a browserslist environment the app does not
// define, which rspack then fails to parse.
const env = { ...process.env, NODE_ENV: 'production', PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH}` };

function run(command: string, args: string[], what: string) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], env });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}); run: ${command} ${args.join(' ')}`);
  // eslint-disable-next-line no-console -- build times belong in the test log
  console.log(`${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Newest modification time under a path, in ms. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

/**
 * Vitest global setup. The backend loads @idp/scaffold and @idp/service-spec from dist and `idp new`
 * runs from the CLI's bundle, so build those (tsc -b is incremental); the backend serves
 * platform/backstage/app/dist, so build the app with backstage-cli when it is missing or older
 * than its sources (a full build takes 15-30 s of CPU).
 */
export default function globalSetup(): void {
  run('tsc', ['-b', 'platform/cli'], 'tsc -b platform/cli (the CLI, scaffold and spec)');
  run('node', ['platform/cli/scripts/bundle.mjs'], 'bundled the CLI');
  const index = join(APP_DIR, 'dist', 'index.html');
  // The app bundles @idp/service-spec (the ServiceName field), so its sources count too.
  const sources = [...['src', 'public', 'package.json'].map((name) => join(APP_DIR, name)), join(REPO_ROOT, 'platform', 'service-spec', 'src')];
  const stale = !existsSync(index) || Math.max(...sources.map(newest)) > statSync(index).mtimeMs;
  if (stale || process.env.IDP_REBUILD_APP === '1') run('npm', ['run', 'build', '-w', '@idp/backstage-app'], 'built the portal app');
}
