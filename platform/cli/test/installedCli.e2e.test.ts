import { spawn, spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, runIdp, runOnTerminal } from './runIdp.js';

// The packed CLI, installed with npm into a temporary prefix with no registry (--offline), run
// from a folder outside the repository with a fresh HOME and no repository directory on PATH.
// Packed once for the file (the pack bundles, archives the templates and takes a few seconds).
const scratch = mkdtempSync(path.join(tmpdir(), 'idp-installed-'));
const prefix = path.join(scratch, 'prefix');
const home = path.join(scratch, 'home');
const work = path.join(scratch, 'work');
// `node` of this test run (Node 24), reached through a folder of its own: PATH holds no repository folder.
const nodeDir = path.join(scratch, 'node-bin');
const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'platform/cli/package.json'), 'utf-8')) as { version: string }).version;
const installedDir = path.join(prefix, 'lib/node_modules/@idp/cli');

// The daemon's socket folder. Runs here go without the daemon (IDP_DAEMON=0) unless a test says otherwise.
const runtimeDir = path.join(scratch, 'run');
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: [nodeDir, path.join(prefix, 'bin'), '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
  HOME: home,
  NO_COLOR: '1',
  XDG_RUNTIME_DIR: runtimeDir,
  IDP_DAEMON: '0',
  // A daemon a failed test leaves behind ends on its own.
  IDP_DAEMON_IDLE_SECONDS: '60',
  ...extra,
});

/** The installed `idp`, as a person's shell runs it. */
function idp(args: string[], extra: NodeJS.ProcessEnv = {}, cwd = work) {
  const result = spawnSync('idp', args, { cwd, env: env(extra), encoding: 'utf-8', input: '' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf-8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

beforeAll(() => {
  for (const dir of [prefix, home, work, nodeDir]) mkdirSync(dir, { recursive: true });
  mkdirSync(runtimeDir, { mode: 0o700 });
  symlinkSync(process.execPath, path.join(nodeDir, 'node'));
  const tarball = run(process.execPath, [path.join(REPO_ROOT, 'platform/cli/scripts/packCli.mjs'), '--out', scratch]).trim();
  expect(path.basename(tarball)).toBe(`idp-cli-${version}.tgz`);
  // npm of the system; no registry: the tarball must carry everything.
  run('npm', ['install', '-g', '--prefix', prefix, tarball, '--offline', '--no-audit', '--no-fund'], {
    cwd: scratch,
    env: { ...process.env, HOME: home, npm_config_cache: path.join(scratch, 'npm-cache') },
  });
  // What the postinstall (or the first run, in the background) does: the startup snapshot for this node.
  run('node', [path.join(installedDir, 'scripts/buildSnapshot.cjs')], { cwd: work, env: env() });
}, 240_000);

afterAll(() => {
  idp(['daemon', 'stop'], { IDP_DAEMON: '' });
  rmSync(scratch, { recursive: true, force: true });
});

/** Every entry under dir: path → kind, executable bit and bytes (or link target). */
function tree(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const relative of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, relative);
    const stats = lstatSync(full);
    if (stats.isDirectory()) entries.set(relative, 'dir');
    else if (stats.isSymbolicLink()) entries.set(relative, `link ${readlinkSync(full)}`);
    else entries.set(relative, `file ${stats.mode & 0o111 ? 'x' : '-'} ${readFileSync(full, 'base64')}`);
  }
  return entries;
}

/** .idp/answers.yaml without its source fields, which say where each CLI found the template. */
function answersWithoutSource(dir: string): { record: Record<string, unknown>; source: Record<string, unknown> } {
  const { source, ...record } = parse(readFileSync(path.join(dir, '.idp/answers.yaml'), 'utf-8')) as Record<string, unknown>;
  return { record, source: source as Record<string, unknown> };
}

describe('the installed idp (npm tarball, no repository)', () => {
  it('prints its version and lists the packaged templates from any folder', () => {
    const shown = idp(['--version']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout.trim()).toBe(version);
    const listed = idp(['templates', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { templates: Array<{ name: string }> }).templates.map((t) => t.name)).toContain('model-service');
  });

  it('starts from its startup snapshot, and says so in idp doctor', () => {
    const doctor = idp(['doctor', '--json']);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string }> }).checks;
    expect(checks.find((c) => c.id === 'startup')).toMatchObject({ status: 'ok' });
    expect(checks.find((c) => c.id === 'templates')).toMatchObject({ status: 'ok' });
    const without = JSON.parse(idp(['doctor', '--json'], { IDP_NO_SNAPSHOT: '1' }).stdout) as {
      checks: Array<{ id: string; status: string }>;
    };
    expect(without.checks.find((c) => c.id === 'startup')).toMatchObject({ status: 'warn' });
  });

  it('writes what the repository idp writes, byte for byte (the source it records aside), with and without the snapshot', () => {
    const fromRepository = path.join(scratch, 'from-repository', 'fraud-detector');
    const reference = runIdp(['new', 'model-service', 'fraud-detector', '--yes', '--out', fromRepository]);
    expect(reference.status, reference.stderr).toBe(0);

    const made = idp(['new', 'model-service', 'fraud-detector', '--yes']);
    expect(made.status, made.stderr).toBe(0);
    const fromSnapshot = path.join(work, 'fraud-detector');
    const plainDir = path.join(scratch, 'plain');
    mkdirSync(plainDir);
    expect(idp(['new', 'model-service', 'fraud-detector', '--yes'], { IDP_NO_SNAPSHOT: '1' }, plainDir).status).toBe(0);

    const expected = tree(fromRepository);
    for (const dir of [fromSnapshot, path.join(plainDir, 'fraud-detector')]) {
      const actual = tree(dir);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [file, entry] of expected) if (file !== path.join('.idp', 'answers.yaml')) expect(actual.get(file), file).toBe(entry);
      // The one difference: the repository idp records the repository, the installed one its package.
      const installed = answersWithoutSource(dir);
      const repository = answersWithoutSource(fromRepository);
      expect(installed.record).toEqual(repository.record);
      expect(installed.source).toMatchObject({ repository: `npm:@idp/cli@${version}`, path: 'templates/model-service' });
      expect(repository.source).toMatchObject({ repository: REPO_ROOT.replace(/\/$/, ''), path: 'templates/model-service' });
    }
    expect(tree(path.join(plainDir, 'fraud-detector'))).toEqual(tree(fromSnapshot));
  });

  it('runs a Backstage template that is not ours (its form, then its fetch steps) as the repository idp does', () => {
    const template = path.join(REPO_ROOT, 'test/fixtures/backstage-templates/multi-fetch');
    const fromRepository = path.join(scratch, 'third-party-repository', 'shop');
    const reference = runIdp(['new', template, 'shop', '--yes', '--out', fromRepository]);
    expect(reference.status, reference.stderr).toBe(0);
    const installed = path.join(scratch, 'third-party-installed', 'shop');
    const made = idp(['new', template, 'shop', '--yes', '--out', installed]);
    expect(made.status, made.stderr).toBe(0);
    expect(tree(installed)).toEqual(tree(fromRepository));
  });

  it('loads publishing from its own bundle, which shares the spec: bad recorded answers are bad input (exit 2)', () => {
    const service = path.join(scratch, 'to-publish');
    expect(idp(['new', 'model-service', 'to-publish', '--yes', '--out', service]).status).toBe(0);
    const answers = path.join(service, '.idp/answers.yaml');
    writeFileSync(answers, readFileSync(answers, 'utf-8').replace('gpuCount: 0', 'gpuCount: -3'));
    const published = idp(['publish', service, '--dry-run', '--github-url', 'http://127.0.0.1:9/api/v3'], {
      GITHUB_TOKEN: 'not-a-real-token-1234',
    });
    expect(published.status, published.stderr).toBe(2);
    expect(published.stderr).toContain('gpuCount: must be a whole number from 0 to 8');
    expect(published.stderr).not.toContain('not-a-real-token-1234');
  });

  it('asks its questions on a terminal (the prompts load from their own bundle)', async () => {
    // The first question is enough to prove the bundle loads; Ctrl-C then stops idp, writing nothing.
    const { stdout: screen } = await runOnTerminal(
      `idp new model-service --out '${path.join(scratch, 'asked')}'`,
      [['Name (Service name', '\u0003']],
      {
        cwd: work,
        env: env(),
      },
    );
    expect(screen).toContain('? Name (Service name');
    expect(() => lstatSync(path.join(scratch, 'asked'))).toThrow();
  });

  it('records the commit it was packed from, so an upgrade can rebuild the render from the package or the repository', () => {
    const service = path.join(work, 'fraud-detector');
    const { source } = answersWithoutSource(service);
    // A pack from uncommitted templates records no commit (not reproducible), and upgrades ask for --from.
    if (!source.commit) return;
    expect(source.reproducible).toBe(true);
    const gitEnv = {
      ...env(),
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    };
    run('git', ['init', '-q', '-b', 'main'], { cwd: service, env: gitEnv });
    run('git', ['add', '-A'], { cwd: service, env: gitEnv });
    run('git', ['commit', '-qm', 'made by idp'], { cwd: service, env: gitEnv });
    // From the package itself: the recorded commit is the packaged one.
    const fromPackage = idp(['upgrade', '--dry-run', '--json'], {}, service);
    expect(fromPackage.status, fromPackage.stderr).toBe(0);
    expect(JSON.parse(fromPackage.stdout)).toMatchObject({ ok: true, upToDate: true });
    // From the repository's history: same files; only the recorded source moves to the repository.
    const fromRepository = idp(['upgrade', '--dry-run', '--json', '--templates', REPO_ROOT], {}, service);
    expect(fromRepository.status, fromRepository.stderr).toBe(0);
    expect(JSON.parse(fromRepository.stdout).plan).toMatchObject({ added: [], removed: [], conflicts: [], changed: ['.idp/answers.yaml'] });
  });
});

describe("the installed idp's daemon (docs/adr/0016)", () => {
  const withDaemon = (extra: NodeJS.ProcessEnv = {}) => ({ IDP_DAEMON: '', ...extra });
  const status = () =>
    JSON.parse(idp(['daemon', 'status', '--json'], withDaemon()).stdout) as { running: boolean; pid: number; served: number };

  /** The daemon, once it answers (it warms up first, in the background). */
  async function runningDaemon() {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const now = status();
      if (now.running) return now;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the idp daemon did not start');
  }

  /** A command line run by sh under a umask: idp installed (from PATH), or the repository's. */
  function underUmask(umask: string, command: string[], cwd: string, extra: NodeJS.ProcessEnv) {
    const result = spawnSync('sh', ['-c', `umask ${umask} && exec "$@"`, 'sh', ...command], {
      cwd,
      env: env(extra),
      encoding: 'utf-8',
      input: '',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Each entry's permission bits. */
  function modes(dir: string): Map<string, number> {
    return new Map(
      (readdirSync(dir, { recursive: true }) as string[]).map((relative) => [relative, lstatSync(path.join(dir, relative)).mode & 0o777]),
    );
  }

  it("starts on the first `idp new --yes`, then serves each one as idp would run in the caller's folder, environment and umask", async () => {
    const first = idp(['new', 'model-service', 'first-svc', '--yes', '--out', path.join(scratch, 'daemon-first')], withDaemon());
    expect(first.status, first.stderr).toBe(0);
    const before = await runningDaemon();

    // A contract of another platform, named by the environment only.
    const contract = path.join(scratch, 'other-contract.yaml');
    writeFileSync(
      contract,
      readFileSync(path.join(REPO_ROOT, 'platform/contracts/default.yaml'), 'utf-8').replace('org: acme', 'org: umbrella-ml'),
    );
    const thirdParty = path.join(REPO_ROOT, 'test/fixtures/backstage-templates/multi-fetch');
    const cases = [
      { name: 'ranker-gpu', umask: '027', args: ['--set', 'gpuType=nvidia-l4', '--set', 'owner=team-search'], env: {} },
      // IDP_DAEMON=node: through the Node.js client instead of the Perl one.
      { name: 'embedder', umask: '022', args: ['--json'], env: { IDP_PLATFORM_CONTRACT: contract, IDP_DAEMON: 'node' } },
      { name: 'shop', umask: '077', args: [], env: {}, template: thirdParty },
    ];
    for (const { name, umask, args, env: extra, template = 'model-service' } of cases) {
      const installedCaller = path.join(scratch, 'daemon-callers', 'installed', name);
      const repositoryCaller = path.join(scratch, 'daemon-callers', 'repository', name);
      for (const dir of [installedCaller, repositoryCaller]) mkdirSync(dir, { recursive: true });
      // A relative --out: it lands in the caller's folder, not the daemon's.
      const command = ['new', template, name, '--yes', '--out', `services/${name}`, ...args];
      const served = underUmask(umask, ['idp', ...command], installedCaller, withDaemon(extra));
      const reference = underUmask(
        umask,
        [process.execPath, path.join(REPO_ROOT, 'platform/cli/bin/idp.js'), ...command],
        repositoryCaller,
        extra,
      );
      expect(served.status, served.stderr).toBe(0);
      expect(reference.status, reference.stderr).toBe(0);
      const [made, expected] = [installedCaller, repositoryCaller].map((caller) => path.join(caller, 'services', name));
      const answers = path.join('.idp', 'answers.yaml');
      const [madeTree, expectedTree] = [tree(made!), tree(expected!)];
      for (const entries of [madeTree, expectedTree]) entries.delete(answers);
      expect(madeTree).toEqual(expectedTree);
      expect(modes(made!)).toEqual(modes(expected!));
      if (template === 'model-service') expect(answersWithoutSource(made!).record).toEqual(answersWithoutSource(expected!).record);
      // What it said, where the repository's idp says it (--json: the same result, the source aside).
      if (args.includes('--json')) {
        const [madeResult, expectedResult] = [served.stdout, reference.stdout].map(
          (text) => JSON.parse(text) as { files: string[]; ok: boolean },
        );
        expect(madeResult.ok).toBe(true);
        // Listed in the order the skeleton's folder lists them, which two copies of it need not share.
        expect(madeResult.files.sort()).toEqual(expectedResult.files.sort());
      } else {
        expect(served.stdout).toBe(reference.stdout);
        expect(served.stderr.replaceAll(installedCaller, 'CALLER')).toBe(reference.stderr.replaceAll(repositoryCaller, 'CALLER'));
      }
    }
    const after = status();
    expect(after.pid).toBe(before.pid);
    expect(after.served - before.served).toBe(cases.length);
  });

  it('answers bad input as idp does: exit 2, the field named with its fix, nothing written', async () => {
    const before = await runningDaemon();
    const target = path.join(scratch, 'daemon-bad');
    const served = idp(['new', 'model-service', 'Bad_Name', '--yes', '--set', 'gpuCount=99', '--out', target], withDaemon());
    const reference = runIdp(['new', 'model-service', 'Bad_Name', '--yes', '--set', 'gpuCount=99', '--out', target]);
    expect(served.status).toBe(2);
    expect(served.stderr).toBe(reference.stderr);
    expect(served.stderr).toContain('gpuCount');
    expect(() => lstatSync(target)).toThrow();
    expect(status().served).toBe(before.served + 1);
  });

  it('serves runs that arrive together, one after another, each complete', async () => {
    const before = await runningDaemon();
    const names = ['together-a', 'together-b', 'together-c', 'together-d'];
    const runs = names.map(
      (name) =>
        new Promise<number | null>((resolve) => {
          const child = spawn('idp', ['new', 'model-service', name, '--yes', '--out', path.join(scratch, 'together', name)], {
            cwd: work,
            env: env(withDaemon()),
            stdio: 'ignore',
          });
          child.on('close', resolve);
        }),
    );
    expect(await Promise.all(runs)).toEqual(names.map(() => 0));
    const reference = tree(path.join(scratch, 'daemon-first'));
    for (const name of names) expect(tree(path.join(scratch, 'together', name)).size).toBe(reference.size);
    expect(status().served).toBe(before.served + names.length);
  });

  it('does not serve a run that would start another node: idp runs it itself, and starts a daemon for that node', async () => {
    const before = await runningDaemon();
    // Another file named node first on PATH (a wrapper, as version managers install shims).
    const otherNode = path.join(scratch, 'other-node');
    mkdirSync(otherNode, { recursive: true });
    writeFileSync(path.join(otherNode, 'node'), `#!/bin/sh\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const wrapped = withDaemon({ PATH: `${otherNode}:${env().PATH}` });
    const made = idp(['new', 'model-service', 'other-node-svc', '--yes', '--out', path.join(scratch, 'other-node-1')], wrapped);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stderr).toContain('Created other-node-svc');
    expect(status()).toMatchObject({ pid: before.pid, served: before.served });

    // That node's own daemon serves its next run; the first daemon still serves the others.
    let theirs: { running: boolean; pid: number; served: number } | undefined;
    for (let attempt = 0; attempt < 600 && !theirs?.running; attempt += 1) {
      theirs = JSON.parse(idp(['daemon', 'status', '--json'], wrapped).stdout);
      if (!theirs?.running) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(theirs?.pid).not.toBe(before.pid);
    try {
      expect(idp(['new', 'model-service', 'other-node-svc', '--yes', '--out', path.join(scratch, 'other-node-2')], wrapped).status).toBe(0);
      expect(JSON.parse(idp(['daemon', 'status', '--json'], wrapped).stdout)).toMatchObject({ pid: theirs?.pid, served: 1 });
      expect(tree(path.join(scratch, 'other-node-2'))).toEqual(tree(path.join(scratch, 'other-node-1')));
      expect(idp(['new', 'model-service', 'ours-again', '--yes', '--out', path.join(scratch, 'ours-again')], withDaemon()).status).toBe(0);
      expect(status()).toMatchObject({ pid: before.pid, served: before.served + 1 });
    } finally {
      idp(['daemon', 'stop'], wrapped);
    }
    // The alias (the Perl client's way in) was that daemon's; a run through Node.js takes it back.
    expect(idp(['new', 'model-service', 'through-node', '--yes', '--out', path.join(scratch, 'through-node')], withDaemon()).status).toBe(
      0,
    );
    const ours = JSON.parse(idp(['daemon', 'status', '--json'], withDaemon()).stdout) as { pid: number; served: number; socket: string };
    expect(ours).toMatchObject({ pid: before.pid, served: before.served + 2 });
    expect(realpathSync(path.join(runtimeDir, 'idp', `idp-${version}.sock`))).toBe(realpathSync(ours.socket));
  });

  it('is replaced when it dies: the next run, finding no daemon at the socket, runs idp itself and starts a new one', async () => {
    const { pid } = await runningDaemon();
    process.kill(pid, 'SIGKILL');
    for (let attempt = 0; attempt < 100 && isAlive(pid); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    const dir = path.join(scratch, 'after-kill');
    const made = idp(['new', 'model-service', 'after-kill', '--yes', '--out', dir], withDaemon());
    expect(made.status, made.stderr).toBe(0);
    expect(made.stderr).toContain('Created after-kill');
    const next = await runningDaemon();
    expect(next.pid).not.toBe(pid);
  });

  it('stops on `idp daemon stop`; IDP_DAEMON=0 never uses it', async () => {
    const { served } = await runningDaemon();
    expect(idp(['new', 'model-service', 'not-served', '--yes', '--out', path.join(scratch, 'not-served')]).status).toBe(0);
    expect(status()).toMatchObject({ running: true, served });
    const daemonCheck = (extra: NodeJS.ProcessEnv) =>
      (
        JSON.parse(idp(['doctor', '--json'], withDaemon(extra)).stdout) as { checks: Array<{ id: string; status: string; detail: string }> }
      ).checks.find((check) => check.id === 'daemon');
    expect(daemonCheck({})).toMatchObject({ status: 'ok', detail: expect.stringContaining('perl') });
    expect(daemonCheck({ IDP_DAEMON: 'node' })).toMatchObject({ status: 'warn' });
    expect(daemonCheck({ IDP_DAEMON: '0' })).toMatchObject({ status: 'skip' });
    const stopped = idp(['daemon', 'stop', '--json'], withDaemon());
    expect(JSON.parse(stopped.stdout)).toMatchObject({ ok: true, stopped: true });
    expect(status().running).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
