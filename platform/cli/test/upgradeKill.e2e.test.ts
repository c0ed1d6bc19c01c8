import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { idpArgv, REPO_ROOT, runIdp } from './runIdp.js';
import { createTemplateRepo, git, scratch } from './templateRepo.js';

/** Every file of the work tree (not .git) with its bytes and mode. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (full.includes(`${path.sep}.git`) || !entry.isFile()) continue;
    // Read while an upgrade may still be writing: a file renamed away meanwhile is not there.
    const content = await readFile(full).catch(() => undefined);
    if (content) files[path.relative(dir, full)] = content.toString('base64');
  }
  return files;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('idp upgrade killed while it writes', () => {
  it('leaves a journal that --abort plays back: the tree exactly as before', { timeout: 120_000 }, async () => {
    const repo = await createTemplateRepo();
    const service = path.join(await scratch(), 'victim');
    expect(runIdp(['new', 'model-service', 'victim', '--yes', '--templates', repo.dir, '--out', service]).status).toBe(0);
    git(service, 'init', '-q');
    git(service, 'add', '-A');
    git(service, 'commit', '-qm', 'first');
    for (let i = 0; i < 12; i += 1) await repo.edit(`skeleton/docs/page-${i}.md`, () => `page ${i}\n`);
    await repo.edit('skeleton/Makefile', (t) => `${t}\n# a template change\n`);
    await repo.release('0.2.0');
    const before = await snapshot(service);
    const journal = path.join(service, '.git/idp-upgrade.json');
    // Each file write waits this long, so a kill aimed after the k-th file lands before the next.
    const delay = 250;
    const changedFiles = async () => {
      const now = await snapshot(service);
      return Object.keys({ ...before, ...now }).filter((file) => now[file] !== before[file]).length;
    };

    let interrupted = 0;
    let halfWritten = 0;
    // One kill at each aim: after 0, 1, 2 and 3 files written.
    for (let run = 0; run < 4; run += 1) {
      const child = spawn(process.execPath, idpArgv(['upgrade', service]), {
        cwd: REPO_ROOT,
        stdio: 'ignore',
        env: { ...process.env, IDP_TEST_APPLY_DELAY_MS: String(delay) },
      });
      const closed = new Promise((resolve) => child.on('close', resolve));
      // Aim inside the write window: once the journal exists, after 0 to 3 files.
      while (!existsSync(journal) && child.exitCode === null) await sleep(2);
      while ((await changedFiles()) < run && child.exitCode === null) await sleep(5);
      child.kill('SIGKILL');
      await closed;
      if (existsSync(journal)) {
        interrupted += 1;
        if ((await changedFiles()) > 0) halfWritten += 1;
        const abort = runIdp(['upgrade', service, '--abort']);
        expect(abort.status, abort.stderr).toBe(0);
        expect(abort.stderr).toMatch(/Put back every file/);
      } else {
        await rm(path.join(service, '.git/index.lock'), { force: true });
        git(service, 'reset', '-q', '--hard');
        git(service, 'clean', '-qfd');
      }
      expect(existsSync(journal)).toBe(false);
      expect(existsSync(path.join(service, '.git/index.lock'))).toBe(false);
      expect(await snapshot(service), `run ${run}`).toEqual(before);
      expect(git(service, 'status', '--porcelain'), `run ${run}`).toBe('');
    }
    // The kills really landed inside the write window, with files half changed.
    expect(interrupted).toBe(4);
    expect(halfWritten).toBeGreaterThanOrEqual(3);

    // After all that, the upgrade itself still runs to the end.
    const result = runIdp(['upgrade', service]);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(path.join(service, 'docs/page-11.md'))).toBe(true);
  });

  // A kill at a known point: each file write waits a minute, so once the journal exists the process
  // sits after its first write, and the kill lands there every time.
  async function killedHalfWay(name: string) {
    const repo = await createTemplateRepo();
    const service = path.join(await scratch(), name);
    expect(runIdp(['new', 'model-service', name, '--yes', '--templates', repo.dir, '--out', service]).status).toBe(0);
    git(service, 'init', '-q');
    git(service, 'add', '-A');
    git(service, 'commit', '-qm', 'first');
    for (const page of ['alerts', 'capacity', 'rollback']) await repo.edit(`skeleton/docs/${page}.md`, () => `${page}\n`);
    await repo.release('0.4.0');
    const child = spawn(process.execPath, idpArgv(['upgrade', service]), {
      cwd: REPO_ROOT,
      stdio: 'ignore',
      env: { ...process.env, IDP_TEST_APPLY_DELAY_MS: '60000' },
    });
    const closed = new Promise((resolve) => child.on('close', resolve));
    const journal = path.join(service, '.git/idp-upgrade.json');
    while (!existsSync(journal) && child.exitCode === null) await sleep(5);
    // The journal is written, then files in order, .idp/answers.yaml first: wait for it to land.
    const answers = path.join(service, '.idp/answers.yaml');
    while (!(await readFile(answers, 'utf-8')).includes('0.4.0') && child.exitCode === null) await sleep(5);
    child.kill('SIGKILL');
    await closed;
    expect(existsSync(journal)).toBe(true);
    return { service, journal, paths: JSON.parse(await readFile(journal, 'utf-8')).paths as string[] };
  }

  it('--abort refuses, naming the file, when the owner edited it after the kill; --quit keeps the edit', { timeout: 60_000 }, async () => {
    const { service, journal, paths } = await killedHalfWay('edited-after');
    expect(paths).toContain('docs/rollback.md');
    await appendFile(path.join(service, 'docs/rollback.md'), 'Roll back with: make rollback VERSION=1.4.2\n');
    const abort = runIdp(['upgrade', service, '--abort']);
    expect(abort.status, abort.stderr).toBe(2);
    expect(abort.stderr).toMatch(
      /idp-upgrade\.json: can be put back only over what it left, but docs\/rollback\.md changed since .*nothing was put back/s,
    );
    expect(await readFile(path.join(service, 'docs/rollback.md'), 'utf-8')).toContain('make rollback VERSION=1.4.2');
    expect(existsSync(journal)).toBe(true);
    // A plain re-run refuses the same way, and nothing is lost either.
    expect(runIdp(['upgrade', service]).status).toBe(2);
    expect(await readFile(path.join(service, 'docs/rollback.md'), 'utf-8')).toContain('make rollback VERSION=1.4.2');

    const quit = runIdp(['upgrade', service, '--quit']);
    expect(quit.status, quit.stderr).toBe(0);
    expect(quit.stderr).toMatch(/Forgot the interrupted upgrade/);
    expect(existsSync(journal)).toBe(false);
    expect(existsSync(path.join(service, '.git/index.lock'))).toBe(false);
    expect(await readFile(path.join(service, 'docs/rollback.md'), 'utf-8')).toContain('make rollback VERSION=1.4.2');
  });

  it('a re-run after the owner committed refuses, naming HEAD, and leaves the commit and the index alone', {
    timeout: 60_000,
  }, async () => {
    const { service } = await killedHalfWay('committed-after');
    // What git tells them to do about the lock a killed process left, then a commit.
    await rm(path.join(service, '.git/index.lock'));
    git(service, 'add', '-A');
    git(service, 'commit', '-qm', 'keep what is there');
    const head = git(service, 'rev-parse', 'HEAD');
    const again = runIdp(['upgrade', service]);
    expect(again.status, again.stderr).toBe(2);
    expect(again.stderr).toMatch(/but HEAD \(now [0-9a-f]{12}, was [0-9a-f]{12}: a commit since\)/);
    expect(git(service, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(service, 'status', '--porcelain')).toBe('');
  });

  it('a second upgrade while the first writes is refused, exit 2; the first finishes with index and files agreeing', {
    timeout: 60_000,
  }, async () => {
    const repo = await createTemplateRepo();
    const service = path.join(await scratch(), 'two-at-once');
    expect(runIdp(['new', 'model-service', 'two-at-once', '--yes', '--templates', repo.dir, '--out', service]).status).toBe(0);
    git(service, 'init', '-q');
    git(service, 'add', '-A');
    git(service, 'commit', '-qm', 'first');
    await repo.edit('skeleton/docs/slo.md', () => 'p99 under 250 ms\n');
    await repo.release('0.5.0');
    const first = spawn(process.execPath, idpArgv(['upgrade', service]), { cwd: REPO_ROOT, stdio: 'ignore' });
    const firstExit = new Promise<number | null>((resolve) => first.on('close', resolve));
    while (!existsSync(path.join(service, '.git/index.lock')) && first.exitCode === null) await sleep(2);
    // Held still while it holds the lock, so the second run meets it there every time.
    first.kill('SIGSTOP');
    const second = runIdp(['upgrade', service]);
    first.kill('SIGCONT');
    expect(second.status, second.stderr).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`DIR: must not be in use by another idp upgrade, but process ${first.pid} is upgrading`));
    expect(await firstExit).toBe(0);
    expect(git(service, 'diff', '--name-only')).toBe('');
    expect(git(service, 'show', ':.idp/answers.yaml')).toMatch(/templateVersion: 0\.5\.0/);
    expect(await readFile(path.join(service, '.idp/answers.yaml'), 'utf-8')).toMatch(/templateVersion: 0\.5\.0/);
  });
});

describe('idp upgrade of a service in a monorepo folder, killed while it writes', () => {
  it('--abort from the service folder puts back exactly that folder; the rest of the repository is untouched', {
    timeout: 60_000,
  }, async () => {
    const repo = await createTemplateRepo();
    const root = await scratch();
    const service = path.join(root, 'services/quotes');
    expect(runIdp(['new', 'model-service', 'quotes', '--yes', '--templates', repo.dir, '--out', service]).status).toBe(0);
    await writeFile(path.join(root, 'README.md'), 'all our services\n');
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'monorepo');
    for (const page of ['alerts', 'capacity', 'rollback']) await repo.edit(`skeleton/docs/${page}.md`, () => `${page}\n`);
    await repo.release('0.4.0');
    const before = await snapshot(root);
    const child = spawn(process.execPath, idpArgv(['upgrade', service]), {
      cwd: REPO_ROOT,
      stdio: 'ignore',
      env: { ...process.env, IDP_TEST_APPLY_DELAY_MS: '60000' },
    });
    const closed = new Promise((resolve) => child.on('close', resolve));
    const answers = path.join(service, '.idp/answers.yaml');
    while (!(await readFile(answers, 'utf-8')).includes('0.4.0') && child.exitCode === null) await sleep(5);
    child.kill('SIGKILL');
    await closed;
    expect(existsSync(path.join(root, '.git/idp-upgrade.json'))).toBe(true);
    const abort = runIdp(['upgrade', service, '--abort']);
    expect(abort.status, abort.stderr).toBe(0);
    expect(await snapshot(root)).toEqual(before);
    expect(git(root, 'status', '--porcelain')).toBe('');

    // And to the end: the folder's paths staged from the top level, nothing outside it.
    const result = runIdp(['upgrade', service]);
    expect(result.status, result.stderr).toBe(0);
    expect(git(root, 'diff', '--cached', '--name-only').split('\n')).toEqual(
      expect.arrayContaining(['services/quotes/.idp/answers.yaml', 'services/quotes/docs/rollback.md']),
    );
    expect(git(root, 'diff', '--cached', '--name-only')).not.toMatch(/^(?!services\/quotes\/)/m);
  });
});
