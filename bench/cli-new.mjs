// Benchmarks of `idp new`, measured side by side in one run (the machine is shared: compare the
// ratios within a run, not milliseconds across runs):
//  1. `idp new model-service NAME --yes` as a cold process (one process, nothing kept running), by
//     each way a person runs it, against `node -e 0` measured in the same rounds: the CLI installed
//     from its npm package (target ≤ 3× `node -e 0`) from its V8 startup snapshot (docs/adr/0013)
//     and from Node's compile cache alone (IDP_NO_SNAPSHOT=1; the snapshot stays only while it
//     saves ≥ 50 ms over that, docs/adr/0018), `npx idp` and `node bin/idp.js` in the repository,
//     and a plain `node` process copying the same skeleton.
//     Beside it, a third-party Backstage template (test/fixtures/backstage-templates/multi-fetch: the
//     form's defaults and validation, then eleven fetch steps) through the installed and the direct CLI.
//  2. The installed `idp --version` and `idp --help` against `node -e 0` (target ≤ 1.3×).
//  3. Rendering 1,000 services in one process: ms per service. Target ≤ 20 ms.
// After every run of the installed idp the process table is read: no process of ours may be left
// running when the command returns (the bench fails otherwise).
// Each measured path is one function returning the command it runs. Run: npm run bench:cli
// (BENCH_RUNS, BENCH_SERVICES to change the counts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skeletonDir = path.join(root, 'templates/model-service/skeleton');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const scratch = mkdtempSync(path.join(tmpdir(), 'idp-bench-'));
const quiet = { ...process.env, NO_COLOR: '1' };

/** The floor: node copying the skeleton, nothing rendered. */
function floorCommand(out) {
  const copy = `require('node:fs').cpSync(${JSON.stringify(skeletonDir)}, process.argv[1], { recursive: true })`;
  return { command: process.execPath, args: ['-e', copy, out] };
}

/** node platform/cli/bin/idp.js: the repository's CLI, called directly. */
function directCommand(out, name) {
  return {
    command: process.execPath,
    args: [path.join(root, 'platform/cli/bin/idp.js'), 'new', 'model-service', name, '--yes', '--out', out],
  };
}

/** A Backstage template that is not ours, run by its own definition (form, then its fetch steps). */
const THIRD_PARTY = path.join(root, 'test/fixtures/backstage-templates/multi-fetch');

/** The direct CLI with the third-party template. */
function directThirdPartyCommand(out, name) {
  return { command: process.execPath, args: [path.join(root, 'platform/cli/bin/idp.js'), 'new', THIRD_PARTY, name, '--yes', '--out', out] };
}

/** npx idp, from the repository root, as the README's set-up section runs it. */
function npxCommand(out, name) {
  return { command: 'npx', args: ['idp', 'new', 'model-service', name, '--yes', '--out', out], cwd: root };
}

/**
 * The CLI installed from its npm package into a prefix of its own (npm install -g --offline), with
 * its startup snapshot built, run as `idp` from PATH outside the repository.
 */
function installedIdp() {
  const prefix = path.join(scratch, 'prefix');
  const home = path.join(scratch, 'home');
  const nodeDir = path.join(scratch, 'node-bin');
  for (const dir of [prefix, home, nodeDir]) mkdirSync(dir, { recursive: true });
  symlinkSync(process.execPath, path.join(nodeDir, 'node'));
  const packed = spawnSync(process.execPath, [path.join(root, 'platform/cli/scripts/packCli.mjs'), '--out', scratch], {
    encoding: 'utf-8',
  });
  if (packed.status !== 0) throw new Error(`pack failed: ${packed.stderr}`);
  const env = { PATH: [nodeDir, path.join(prefix, 'bin'), '/usr/bin', '/bin'].join(path.delimiter), HOME: home, NO_COLOR: '1' };
  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, packed.stdout.trim(), '--offline', '--no-audit', '--no-fund'], {
    encoding: 'utf-8',
    env: { ...process.env, HOME: home, npm_config_cache: path.join(scratch, 'npm-cache') },
  });
  if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
  const snapshot = spawnSync('node', [path.join(prefix, 'lib/node_modules/@idp/cli/scripts/buildSnapshot.cjs')], {
    env,
    encoding: 'utf-8',
  });
  if (snapshot.status !== 0 || snapshot.stderr) throw new Error(`the startup snapshot was not built: ${snapshot.stderr}`);
  const idp = (args, extra = {}) => ({ command: 'idp', args, env: { ...env, ...extra }, cwd: home, ours: true });
  return {
    new: (out, name) => idp(['new', 'model-service', name, '--yes', '--out', out]),
    newCompileCacheOnly: (out, name) => idp(['new', 'model-service', name, '--yes', '--out', out], { IDP_NO_SNAPSHOT: '1' }),
    newThirdParty: (out, name) => idp(['new', THIRD_PARTY, name, '--yes', '--out', out]),
    version: () => idp(['--version']),
    help: () => idp(['--help']),
  };
}

/** `node -e 0`: what any node command costs before it does anything. */
function nodeCommand() {
  return { command: process.execPath, args: ['-e', '0'] };
}

/** Processes whose command line names the bench's scratch folder (the install, its HOME and cache). */
function oursRunning() {
  const table = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf-8' });
  if (table.status !== 0) throw new Error(`ps failed: ${table.stderr}`);
  return table.stdout
    .split('\n')
    .filter((line) => line.includes(scratch))
    .map((line) => line.trim());
}

const leftRunning = [];

function timeRun({ command, args, env = quiet, cwd = scratch, ours = false }) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env, cwd });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  if (ours) leftRunning.push(...oursRunning().map((line) => `after idp ${args.join(' ')}: ${line}`));
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs every path once per round (the first round warms caches and is dropped); medians in ms. */
function measure(paths) {
  const times = paths.map(() => []);
  for (let round = -1; round < runs; round += 1) {
    paths.forEach(({ command }, index) => {
      const ms = timeRun(command(path.join(scratch, `out-${index}-${round}`), `bench-${index}-${round + 1}`));
      if (round >= 0) times[index].push(ms);
      // A pause, as between two commands a person types: work a run leaves behind (the kernel
      // writing files back) does not land on the next one measured.
      spawnSync('sleep', ['0.2']);
    });
  }
  return times.map(median);
}

/** One table: each path's median and its ratio to the first row. */
function report(title, rows, target) {
  const [[baselineLabel, baseline]] = rows;
  console.log(`\n${title} (median of ${runs} cold runs each; ratio to ${baselineLabel}, measured in the same rounds)`);
  for (const [label, ms] of rows) console.log(`  ${label.padEnd(50)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / baseline).toFixed(2)}x`);
  console.log(`  target for the installed idp: ≤ ${target}x`);
}

const installed = installedIdp();
const [nodeAlone, installedNew, compileCacheOnly, floor, npx, direct, installedThirdParty, directThirdParty] = measure([
  { command: nodeCommand },
  { command: installed.new },
  { command: installed.newCompileCacheOnly },
  { command: floorCommand },
  { command: npxCommand },
  { command: directCommand },
  { command: installed.newThirdParty },
  { command: directThirdPartyCommand },
]);
report(
  'idp new model-service NAME --yes',
  [
    ['node -e 0', nodeAlone],
    ['installed idp (startup snapshot)', installedNew],
    ['installed idp, IDP_NO_SNAPSHOT=1 (compile cache)', compileCacheOnly],
    ['node copy of the skeleton', floor],
    ['npx idp (repository)', npx],
    ['node platform/cli/bin/idp.js (direct)', direct],
    ['installed idp, third-party template', installedThirdParty],
    ['direct, third-party template', directThirdParty],
  ],
  3,
);
console.log(
  `  the startup snapshot saves ${(compileCacheOnly - installedNew).toFixed(1)} ms over the compile cache alone (kept while ≥ 50 ms, docs/adr/0018)`,
);

const [nodeAgain, version, help] = measure([{ command: nodeCommand }, { command: installed.version }, { command: installed.help }]);
report(
  'installed idp --version / --help',
  [
    ['node -e 0', nodeAgain],
    ['idp --version', version],
    ['idp --help', help],
  ],
  1.3,
);

/** Many renders in one long-lived process (the portal, a batch): the engine's own speed. */
async function renderMany() {
  const { loadSkeleton, renderSkeleton, writeAtomically, loadPlatformContract } = await import('@idp/scaffold');
  const { serviceValues } = await import('@idp/service-spec');
  const platform = await loadPlatformContract();
  const count = Number(process.env.BENCH_SERVICES ?? 1000);
  // The skeleton is read once, as a long-lived process would.
  const skeleton = await loadSkeleton(skeletonDir, { scmHosts: { [platform.github.host]: 'github' } });
  const gpuTypes = ['none', 'nvidia-t4', 'nvidia-l4', 'nvidia-a10g', 'nvidia-a100', 'nvidia-h100'];
  let started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const values = serviceValues({ name: `svc-${i}`, gpuType: gpuTypes[i % gpuTypes.length] }, platform);
    renderSkeleton(skeleton, values);
  }
  const renderMs = (performance.now() - started) / count;
  started = performance.now();
  const writeCount = Math.min(count, 200);
  for (let i = 0; i < writeCount; i += 1) {
    const values = serviceValues({ name: `svc-${i}` }, platform);
    await writeAtomically(renderSkeleton(skeleton, values), path.join(scratch, `many-${i}`));
  }
  const writeMs = (performance.now() - started) / writeCount;
  console.log(`\nrender ${count} services in one process   ${renderMs.toFixed(2)} ms per service   (target ≤ 20 ms)`);
  console.log(`render + atomic write (${writeCount} services)   ${writeMs.toFixed(2)} ms per service`);
}

await renderMany();
console.log(
  `\n(node ${process.version}; package ${JSON.parse(readFileSync(path.join(root, 'platform/cli/package.json'), 'utf-8')).version})`,
);
rmSync(scratch, { recursive: true, force: true });
if (leftRunning.length) {
  console.error(`\nprocesses of ours still running after a command returned:\n  ${leftRunning.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('\nprocesses of ours left running after a command returned: none (process table read after every installed run)');
}
