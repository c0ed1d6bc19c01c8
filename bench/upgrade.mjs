// Benchmark: template upgrades. Prints, measured side by side in this one run:
//  - one `idp upgrade` of a service a template version behind: the CLI process (what a person waits
//    for) and the in-process upgradeServiceRepo (median of BENCH_UPGRADES runs, each on a fresh copy);
//  - `idp fleet upgrade` (the CLI process a person runs) of BENCH_SERVICES services published on the
//    local GitHub emulator (every one behind, every 10th with a conflict): total and per service,
//    and the no-op re-run;
//  - beside it, a plain `git clone` + `git push` (an empty commit to a new branch) of the same
//    repositories at the same concurrency, run by xargs: the floor any fleet tool pays for moving
//    the bytes. Both talk to the same emulator, which stays in this process.
//   npm run bench:upgrade          (BENCH_SERVICES=100 BENCH_CONCURRENCY=4 BENCH_UPGRADES=5)
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGithubClient } from '@idp/github';
import { startGithubEmulator } from '@idp/github-emulator';
import {
  loadPlatformContract,
  loadTemplateDefinition,
  openTemplateSource,
  runTemplate,
  templateProvenance,
  upgradeServiceRepo,
  writeAtomically,
} from '@idp/scaffold';

const run = promisify(execFile);
const SERVICES = Number(process.env.BENCH_SERVICES ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const UPGRADES = Number(process.env.BENCH_UPGRADES ?? 5);
const MODEL_SERVICE = fileURLToPath(new URL('../templates/model-service', import.meta.url));
const IDP_BIN = fileURLToPath(new URL('../platform/cli/bin/idp.js', import.meta.url));
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@example.com',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = async (cwd, ...args) => (await run('git', args, { cwd, env: GIT_ENV, maxBuffer: 64 << 20 })).stdout.trim();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = async (work) => {
  const start = performance.now();
  const value = await work();
  return [performance.now() - start, value];
};
async function pool(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

const work = await mkdtemp(join(tmpdir(), 'idp-bench-upgrade-'));
const emulator = await startGithubEmulator({ dataDir: join(work, 'emulator') });
try {
  // A platform team's template repository: model-service 0.1.0, then 0.2.0.
  const templates = join(work, 'templates-repo');
  const templateDir = join(templates, 'templates/model-service');
  await cp(join(MODEL_SERVICE, 'template.yaml'), join(templateDir, 'template.yaml'));
  await cp(join(MODEL_SERVICE, 'skeleton'), join(templateDir, 'skeleton'), { recursive: true });
  await git(templates, 'init', '-q', '-b', 'main');
  await git(templates, 'add', '-A');
  await git(templates, 'commit', '-qm', '0.1.0');

  const platform = await loadPlatformContract();
  const source = await openTemplateSource(templates);
  const provenance = await templateProvenance(source, 'model-service');
  const definition = await loadTemplateDefinition(templateDir);
  const services = join(work, 'services');
  const names = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  await pool(names, 8, async (name, i) => {
    const answers = { name, owner: 'group:default/ml-team', repoUrl: `github.com?owner=acme&repo=${name}` };
    const { entries } = await runTemplate(definition, answers, { contract: async () => platform, provenance: async () => provenance });
    const dir = join(services, name);
    await writeAtomically(entries, dir);
    if (i % 10 === 0) {
      const readme = join(dir, 'README.md');
      await writeFile(readme, (await readFile(readme, 'utf-8')).replace(`# ${name}\n`, `# ${name}, owned\n`));
    }
    await git(dir, 'init', '-q', '-b', 'main');
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', 'first commit');
  });

  // The next release: a README heading (conflicts with the retitled ones), a new file, a version bump.
  const readme = join(templateDir, 'skeleton/README.md');
  await writeFile(readme, (await readFile(readme, 'utf-8')).replace('# ${{ values.name }}\n', '# ${{ values.name }} (model service)\n'));
  await writeFile(join(templateDir, 'skeleton/SECURITY.md'), 'Report vulnerabilities to security@example.com\n');
  await run(
    'sed',
    [
      '-i',
      's/\\(template-version: \\|templateVersion: \\)[0-9.]*/\\10.2.0/',
      'template.yaml',
      'skeleton/catalog-info.yaml',
      'skeleton/.idp/answers.yaml',
    ],
    { cwd: templateDir },
  );
  await git(templates, 'add', '-A');
  await git(templates, 'commit', '-qm', '0.2.0');

  // One upgrade: the CLI process, and the function, each on a fresh copy of a service.
  const cli = [];
  const inProcess = [];
  for (let i = 0; i < UPGRADES; i++) {
    const a = join(work, `single-cli-${i}`);
    const b = join(work, `single-fn-${i}`);
    await cp(join(services, names[1]), a, { recursive: true });
    await cp(join(services, names[1]), b, { recursive: true });
    const [cliMs, result] = await timed(() =>
      run(process.execPath, [IDP_BIN, 'upgrade', a, '--json'], { env: { ...process.env, NO_COLOR: '1' } }),
    );
    if (!JSON.parse(result.stdout).written) throw new Error('idp upgrade wrote nothing');
    cli.push(cliMs);
    inProcess.push((await timed(() => upgradeServiceRepo(b)))[0]);
  }

  // The fleet, published on the emulator.
  const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${emulator.token}`).toString('base64')}`;
  const github = createGithubClient({ baseUrl: emulator.apiBaseUrl, token: emulator.token, backoffUnitMs: 1, paceWrites: false });
  await pool(names, 8, async (name) => {
    await github.rest.repos.createInOrg({ org: 'acme', name, visibility: 'private' });
    await git(join(services, name), '-c', header, 'push', '-q', `${emulator.url}/acme/${name}.git`, 'main');
  });

  const fleetUpgrade = async () => {
    const args = ['fleet', 'upgrade', '--org', 'acme', '--github-url', emulator.apiBaseUrl, '--concurrency', String(CONCURRENCY), '--json'];
    const env = {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_TOKEN: emulator.token,
      GH_TOKEN: '',
      GITHUB_APP_ID: '',
      IDP_GITHUB_WRITE_PACING: 'off',
      XDG_CACHE_HOME: join(work, 'cache'),
    };
    const { stdout } = await run(process.execPath, [IDP_BIN, ...args], { env, maxBuffer: 256 << 20 });
    return JSON.parse(stdout);
  };
  const [fleetMs, fleet] = await timed(fleetUpgrade);
  const failed = fleet.results.filter((r) => r.outcome !== 'opened');
  if (failed.length) throw new Error(`fleet upgrade: ${failed.length} not opened, e.g. ${JSON.stringify(failed[0])}`);
  const [rerunMs, rerun] = await timed(fleetUpgrade);
  if (rerun.results.some((r) => r.outcome !== 'unchanged')) throw new Error('the re-run changed something');
  const steps = {};
  for (const result of fleet.results) for (const step of result.steps) (steps[step.id] ??= []).push(step.ms);

  // The floor: clone each repository and push one (empty) commit to a new branch, same concurrency.
  const plain = join(work, 'plain');
  const script = [
    'set -e',
    `git -c "$HEADER" clone -q "$BASE/$1.git" "$PLAIN/$1"`,
    `git -C "$PLAIN/$1" commit -q --allow-empty -m "plain push"`,
    `git -C "$PLAIN/$1" -c "$HEADER" push -q origin HEAD:refs/heads/bench-plain`,
  ].join('\n');
  const [plainMs] = await timed(
    () =>
      new Promise((resolve, reject) => {
        const child = execFile(
          'xargs',
          ['-P', String(CONCURRENCY), '-n', '1', 'sh', '-c', script, 'plain'],
          { env: { ...GIT_ENV, HEADER: header, BASE: `${emulator.url}/acme`, PLAIN: plain } },
          (error) => (error ? reject(error) : resolve()),
        );
        child.stdin.end(names.join('\n'));
      }),
  );

  const per = (ms) => `${(ms / SERVICES).toFixed(0)} ms/service`;
  console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg()[0].toFixed(1)} at the end`);
  console.log(`idp upgrade, one service (CLI process, median of ${UPGRADES}):     ${median(cli).toFixed(0)} ms`);
  console.log(`upgradeServiceRepo, one service (in process, median of ${UPGRADES}): ${median(inProcess).toFixed(0)} ms`);
  console.log(
    `idp fleet upgrade, ${SERVICES} services, concurrency ${CONCURRENCY}:       ${(fleetMs / 1000).toFixed(1)} s  (${per(fleetMs)}; ${fleet.results.filter((r) => r.conflicts.length).length} with conflicts, ${SERVICES} PRs)`,
  );
  console.log(
    `  median step times: ${Object.entries(steps)
      .map(([id, ms]) => `${id} ${median(ms)} ms`)
      .join(', ')}`,
  );
  console.log(`idp fleet upgrade, no-op re-run:                         ${(rerunMs / 1000).toFixed(1)} s  (${per(rerunMs)})`);
  console.log(`plain git clone + git push, same ${SERVICES} repositories:       ${(plainMs / 1000).toFixed(1)} s  (${per(plainMs)})`);
  console.log(`ratio fleet upgrade / plain clone + push:                 x${(fleetMs / plainMs).toFixed(1)}`);
  if (emulator.violations().length) throw new Error(`OpenAPI violations: ${JSON.stringify(emulator.violations().slice(0, 3))}`);
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}
