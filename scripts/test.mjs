// The test phases of `npm test`, side by side: vitest over every workspace, the Backstage packages'
// Jest tests, and the portal's browser tests. Each is serial inside (one portal at a time, Jest's one
// worker on two cores) and spends much of its time waiting on processes it started (git, Python,
// kubectl, Chromium, a Backstage backend), so run together they keep both cores busy instead of
// taking turns. Each phase's output is kept whole and printed when it ends, never interleaved.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { makeTestScratch, scratchEnv } from './testScratch.mjs';

const root = path.resolve(import.meta.dirname, '..');
// One scratch folder for the three phases' temporary files, removed when the run ends.
const scratch = makeTestScratch();
const report = (name) => path.join(scratch, `${name}.json`);
const sharedEnv = {
  ...scratchEnv(scratch),
  // The Go tools the tests run (kubectl's kustomize, promtool) live for a fraction of a second each:
  // one scheduler thread and a lazier collector cut their CPU by about a third, with the same output.
  GOMAXPROCS: process.env.GOMAXPROCS ?? '1',
  GOGC: process.env.GOGC ?? '400',
};

// Each phase runs in a process group of its own; Ctrl-C or a TERM goes to every group, so the
// workers, browsers and servers the phases started stop too, and the run still ends below: the
// scratch folder is in memory and must not outlive an interrupted run.
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group has ended already
      }
    }
  });
}

const phases = [
  {
    name: 'vitest',
    command: 'vitest',
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report('vitest')}`],
  },
  {
    name: 'backstage',
    command: 'backstage-cli',
    args: ['repo', 'test', '--json', `--outputFile=${report('backstage')}`],
    env: { CI: 'true' },
  },
  {
    name: 'browser',
    command: 'vitest',
    args: [
      'run',
      '--config',
      'platform/backstage/app/vitest.e2e.config.mts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report('browser')}`,
    ],
  },
];

/** Runs one phase to its end, its output gathered; resolves with its exit code and what it printed. */
function run(phase) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(phase.command, phase.args, {
      cwd: root,
      // Colour when a person watches (the phases' own output goes to a pipe here).
      env: { ...process.env, ...sharedEnv, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}), ...phase.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('close', (code, signal) => {
      running.delete(child);
      const seconds = Math.round((Date.now() - started) / 1000);
      resolve({ ...phase, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf-8'), seconds });
    });
  });
}

/** Passed and failed test counts from a phase's JSON report (Jest's format, which vitest also writes). */
function counts(name) {
  try {
    const json = JSON.parse(readFileSync(report(name), 'utf-8'));
    return { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + (json.numTodoTests ?? 0) };
  } catch {
    return undefined;
  }
}

const results = await Promise.all(
  phases.map((phase) =>
    run(phase).then((result) => {
      process.stdout.write(`\n===== ${result.name} (${result.seconds} s, exit ${result.code}) =====\n${result.output}\n`);
      return result;
    }),
  ),
);

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('\n===== summary =====');
for (const result of results) {
  const tally = counts(result.name);
  // A phase that failed without a report (it could not start) counts as one failure.
  const phaseFailed = tally ? tally.failed + (result.code !== 0 && tally.failed === 0 ? 1 : 0) : result.code === 0 ? 0 : 1;
  passed += tally?.passed ?? 0;
  failed += phaseFailed;
  skipped += tally?.skipped ?? 0;
  console.log(
    `${result.code === 0 ? '✔' : '✖'} ${result.name}: ${tally ? `${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped` : 'no report'} in ${result.seconds} s`,
  );
}
rmSync(scratch, { recursive: true, force: true });
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// exitCode, not exit(): when stdout is a pipe (`npm test | tee log`, CI) Node writes to it
// asynchronously, and exit() would drop the summary still queued.
process.exitCode = results.every((result) => result.code === 0) ? 0 : 1;
