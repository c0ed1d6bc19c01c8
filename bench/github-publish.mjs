// Benchmark: `idp publish` against the local GitHub emulator. Prints, measured side by side in this
// one run: the cost per request of octokit's retry + throttling plugins (vs plain octokit), a first
// publish vs a no-op re-run, and how long GitHub's one-write-a-second pacing would add.
//   npx tsc -b platform/github platform/github-emulator && node bench/github-publish.mjs     (Node 24: run through npx/npm)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { createGithubClient, publishService } from '@idp/github';
import { startGithubEmulator } from '@idp/github-emulator';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import { serviceValues } from '@idp/service-spec';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? 3);
const skeleton = fileURLToPath(new URL('../platform/github/test/fixtures/service-template/skeleton', import.meta.url));
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const emulator = await startGithubEmulator();
const work = await mkdtemp(join(tmpdir(), 'idp-bench-publish-'));
try {
  const plain = new Octokit({ baseUrl: emulator.apiBaseUrl, auth: emulator.token, log: quiet });
  const withPlugins = createGithubClient({ baseUrl: emulator.apiBaseUrl, token: emulator.token, paceWrites: false, backoffUnitMs: 1 });
  const perRequest = async (client) => {
    await client.rest.orgs.get({ org: 'acme' });
    const t = performance.now();
    for (let i = 0; i < REQUESTS; i++) await client.rest.orgs.get({ org: 'acme' });
    return (performance.now() - t) / REQUESTS;
  };
  const plainMs = await perRequest(plain);
  const pluginMs = await perRequest(withPlugins);

  const platform = await loadPlatformContract();
  const first = [];
  const rerun = [];
  let writes = 0;
  for (let i = 0; i < PUBLISHES; i++) {
    const values = serviceValues({ name: `bench-${i}`, repoUrl: `${emulator.host}?owner=acme&repo=bench-${i}` }, platform, {
      enterpriseHosts: [emulator.host],
    });
    const dir = join(work, values.name);
    await scaffold({ templateDir: skeleton, targetDir: dir, values, scmHosts: { [emulator.host]: 'github' } });
    const options = { dir, token: emulator.token, githubUrl: emulator.apiBaseUrl, timing: { backoffUnitMs: 1, paceWrites: false } };
    const before = emulator.requests().length;
    let t = performance.now();
    await publishService(options);
    first.push(performance.now() - t);
    writes = emulator
      .requests()
      .slice(before)
      .filter((r) => r.method !== 'GET' && !r.path.includes('.git/')).length;
    t = performance.now();
    await publishService(options);
    rerun.push(performance.now() - t);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`octokit request, plain:                 ${plainMs.toFixed(2)} ms`);
  console.log(`octokit request, retry + throttling:    ${pluginMs.toFixed(2)} ms  (x${(pluginMs / plainMs).toFixed(1)})`);
  console.log(`publish, first run (median of ${PUBLISHES}):      ${median(first).toFixed(0)} ms`);
  console.log(
    `publish, no-op re-run:                  ${median(rerun).toFixed(0)} ms  (x${(median(rerun) / median(first)).toFixed(2)} of a first run)`,
  );
  console.log(`REST writes in a first run:             ${writes}  (GitHub's 1 write/s pacing adds ~${writes} s on github.com)`);
  if (emulator.violations().length) throw new Error(`OpenAPI violations: ${JSON.stringify(emulator.violations())}`);
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}
