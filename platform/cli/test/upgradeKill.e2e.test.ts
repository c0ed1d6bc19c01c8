import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDP_BIN, REPO_ROOT, runIdp } from './runIdp.js';
import { createTemplateRepo, git, scratch } from './templateRepo.js';

/** Every file of the work tree (not .git) with its bytes and mode. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (full.includes(`${path.sep}.git`) || !entry.isFile()) continue;
    files[path.relative(dir, full)] = (await readFile(full)).toString('base64');
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
    const delay = 15;

    let interrupted = 0;
    let halfWritten = 0;
    for (let run = 0; run < 8; run += 1) {
      const child = spawn(process.execPath, [IDP_BIN, 'upgrade', service], {
        cwd: REPO_ROOT,
        stdio: 'ignore',
        env: { ...process.env, IDP_TEST_APPLY_DELAY_MS: String(delay) },
      });
      const closed = new Promise((resolve) => child.on('close', resolve));
      // Aim inside the write window: once the journal exists, a few files later.
      while (!existsSync(journal) && child.exitCode === null) await sleep(2);
      await sleep((run % 4) * delay * 2 + 1);
      child.kill('SIGKILL');
      await closed;
      if (existsSync(journal)) {
        interrupted += 1;
        if (JSON.stringify(await snapshot(service)) !== JSON.stringify(before)) halfWritten += 1;
        const abort = runIdp(['upgrade', service, '--abort']);
        expect(abort.status, abort.stderr).toBe(0);
        expect(abort.stderr).toMatch(/Put back every file/);
      } else {
        git(service, 'reset', '-q', '--hard');
        git(service, 'clean', '-qfd');
      }
      expect(existsSync(journal)).toBe(false);
      expect(await snapshot(service), `run ${run}`).toEqual(before);
      expect(git(service, 'status', '--porcelain'), `run ${run}`).toBe('');
    }
    // The kills really landed inside the write window, with files half changed.
    expect(interrupted).toBeGreaterThan(4);
    expect(halfWritten).toBeGreaterThan(2);

    // After all that, the upgrade itself still runs to the end.
    const result = runIdp(['upgrade', service]);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(path.join(service, 'docs/page-11.md'))).toBe(true);
  });
});
