// `npm run fuzz [-- --minutes 10 --scale 10 [file…]]`: every property test (every test file that
// imports fast-check) again and again with fresh random seeds and `scale` times the runs `npm test`
// makes, until the time is up (each file at most its share of the time per turn). Prints each failure
// with its seed and the command that replays it.
// `npm test` itself always runs the fixed seed (test/propertyRuns.js).
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeTestScratch, scratchEnv } from './testScratch.mjs';

const { values: options, positionals } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, scale: { type: 'string', default: '10' } },
  allowPositionals: true,
});
const minutes = Number(options.minutes);
const scale = Number(options.scale);
if (!(minutes > 0) || !(scale > 0)) {
  console.error('usage: npm run fuzz -- [--minutes 10] [--scale 10] [test files…]');
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, '..');
const listed = spawnSync('git', ['grep', '-l', "from 'fast-check'", '--', '*.test.ts'], { cwd: root, encoding: 'utf-8' });
const files = positionals.length ? positionals : listed.stdout.split('\n').filter(Boolean);
// The runs' temporary files too (scratchEnv below): a run stopped at its time share leaves them there.
const scratch = makeTestScratch();
const runLog = path.join(scratch, 'runs.log');
const deadline = Date.now() + minutes * 60_000;
const slice = Math.max(60_000, (minutes * 60_000) / files.length);

/** The failed tests of a Jest-format JSON report, which vitest writes too. */
const failuresIn = (json) =>
  json.testResults.flatMap((result) =>
    result.assertionResults.filter((a) => a.status === 'failed').map((a) => ({ name: a.fullName, message: a.failureMessages.join('\n') })),
  );

/** How a file's tests run: the Backstage packages under backstage-cli (Jest), the rest under vitest. */
function runner(file) {
  const backstage = file.match(/^(platform\/backstage\/[^/]+)\/(.+)$/);
  const report = path.join(scratch, 'report.json');
  if (backstage) {
    return {
      cwd: path.join(root, backstage[1]),
      args: ['backstage-cli', 'package', 'test', backstage[2], '--json', `--outputFile=${report}`],
      replay: (name) => `(cd ${backstage[1]} && npx backstage-cli package test ${backstage[2]} -t ${JSON.stringify(name)})`,
      report,
    };
  }
  return {
    cwd: root,
    args: ['vitest', 'run', file, '--reporter=json', `--outputFile=${report}`],
    replay: (name) => `npx vitest run ${file} -t ${JSON.stringify(name)}`,
    report,
  };
}

/**
 * Runs one file's tests in a process group of its own; one still running at the deadline is stopped
 * with all its workers (out of time is not a failure).
 */
function runUntil(run, env, deadline) {
  return new Promise((resolve) => {
    const child = spawn('npx', run.args, { cwd: run.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
    child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
    let outOfTime = false;
    const timer = setTimeout(
      () => {
        outOfTime = true;
        process.kill(-child.pid, 'SIGKILL');
      },
      Math.max(1000, deadline - Date.now()),
    );
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output, outOfTime });
    });
  });
}

let rounds = 0;
const found = [];
const stopped = [];
console.log(`Fuzzing ${files.length} property test files for ${minutes} min, ${scale}× npm test's runs, fresh seeds each time.`);
while (Date.now() < deadline) {
  for (const file of files) {
    if (Date.now() >= deadline) break;
    const seed = randomInt(2 ** 31 - 1);
    const run = runner(file);
    rmSync(run.report, { force: true });
    const env = {
      ...process.env,
      ...scratchEnv(scratch),
      CI: 'true',
      FC_SEED: String(seed),
      FC_SCALE: String(scale),
      FC_RUN_LOG: runLog,
    };
    // Each file gets its share of the time, so one slow file cannot starve the rest.
    const result = await runUntil(run, env, Math.min(deadline, Date.now() + slice));
    if (result.outOfTime) {
      stopped.push(file);
      continue;
    }
    let failures;
    try {
      failures = failuresIn(JSON.parse(readFileSync(run.report, 'utf-8')));
    } catch {
      failures = result.status === 0 ? [] : [{ name: '(the file did not run)', message: result.output.slice(-2000) }];
    }
    for (const failure of failures) {
      found.push(failure);
      console.log(`\n✖ ${file} › ${failure.name}  (seed ${seed})`);
      console.log(`  ${failure.message.split('\n').slice(0, 6).join('\n  ')}`);
      console.log(`  replay: FC_SEED=${seed} FC_SCALE=${scale} ${run.replay(failure.name)}`);
    }
    process.stdout.write(failures.length ? '' : '.');
  }
  rounds++;
}
const runs = readFileSync(runLog, { encoding: 'utf-8', flag: 'a+' })
  .split('\n')
  .filter(Boolean)
  .reduce((sum, line) => sum + Number(line), 0);
rmSync(scratch, { recursive: true, force: true });
if (stopped.length) console.log(`\nStopped at their time share, unfinished: ${[...new Set(stopped)].join(', ')}`);
console.log(`\n${rounds} rounds over ${files.length} files, ${runs} property runs started, ${found.length} failures.`);
// exitCode, not exit(): through a pipe (`npm run fuzz | tee log`) exit() can drop output still queued.
process.exitCode = found.length ? 1 : 0;
