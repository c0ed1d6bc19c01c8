// Benchmarks of the core (issue 2), measured side by side in one run:
//  1. `idp new model-service --yes` as a cold process, against the floor: a plain `node` process
//     copying the same skeleton. Target ratio ≤ 2×.
//  2. Rendering 1,000 services in one process: ms per service. Target ≤ 20 ms.
// Run: npm run bench:cli   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skeletonDir = path.join(root, 'templates/model-service/skeleton');
const idp = path.join(root, 'platform/cli/bin/idp.js');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const scratch = mkdtempSync(path.join(tmpdir(), 'idp-bench-'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timeProcess(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

// Warm the file cache and Node's compile cache once for both, then alternate so drift hits both alike.
const copyScript = `require('node:fs').cpSync(${JSON.stringify(skeletonDir)}, process.argv[1], { recursive: true })`;
const floor = [];
const cli = [];
for (let i = -1; i < runs; i += 1) {
  const a = timeProcess(['-e', copyScript, path.join(scratch, `copy-${i}`)]);
  const b = timeProcess([idp, 'new', 'model-service', `bench-${i + 1}`, '--yes', '--out', path.join(scratch, `idp-${i}`)]);
  if (i >= 0) {
    floor.push(a);
    cli.push(b);
  }
}
const ratio = median(cli) / median(floor);
console.log(`idp new (cold process)     median ${median(cli).toFixed(1)} ms over ${runs} runs`);
console.log(`node copy (the floor)      median ${median(floor).toFixed(1)} ms over ${runs} runs`);
console.log(`ratio idp/floor            ${ratio.toFixed(2)}x   (target ≤ 2x)`);
benchThirdPartyTemplate(median(cli));

const { loadSkeleton, renderSkeleton, writeAtomically, loadPlatformContract, loadTemplate } = await import('@idp/scaffold');
const { serviceValues } = await import('@idp/spec');
const template = await loadTemplate(path.join(root, 'templates/model-service'));
const platform = await loadPlatformContract();
const count = Number(process.env.BENCH_SERVICES ?? 1000);
// The skeleton is read once, as a long-lived process (the portal, a batch) would.
const skeleton = await loadSkeleton(template.skeletonDir, { ...template.renderOptions, scmHosts: { [platform.github.host]: 'github' } });
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
console.log(`render ${count} services in one process   ${renderMs.toFixed(2)} ms per service   (target ≤ 20 ms)`);
console.log(`render + atomic write (${writeCount} services)   ${writeMs.toFixed(2)} ms per service`);
rmSync(scratch, { recursive: true, force: true });

// 3. A template that is not ours (issue 17), cold: `idp new` running a Backstage template by its
//    own definition — form defaults and validation (rjsf + ajv), then its steps (multi-fetch: eleven
//    fetch steps into sub-folders) — beside the model-service figure above.
function benchThirdPartyTemplate(modelServiceMedian) {
  const template = path.join(root, 'test/fixtures/backstage-templates/multi-fetch');
  const times = [];
  for (let i = -1; i < runs; i += 1) {
    const t = timeProcess([idp, 'new', template, `third-${i + 1}`, '--yes', '--out', path.join(scratch, `third-${i}`)]);
    if (i >= 0) times.push(t);
  }
  console.log(
    `idp new third-party (cold) median ${median(times).toFixed(1)} ms over ${runs} runs   (model-service: ${modelServiceMedian.toFixed(1)} ms)`,
  );
}
