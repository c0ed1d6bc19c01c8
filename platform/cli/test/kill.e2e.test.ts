import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDP_BIN, REPO_ROOT, runIdp } from './runIdp.js';

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full)] = await readFile(full, 'utf-8');
  }
  return files;
}

/** A fixed-seed generator, so the kill moments are the same on every run. */
function seeded(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('idp new killed at random moments', () => {
  it('leaves the target either absent or complete', { timeout: 120_000 }, async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'idp-kill-'));
    const reference = path.join(parent, 'reference');
    const started = Date.now();
    expect(runIdp(['new', 'model-service', 'victim', '--yes', '--out', reference]).status).toBe(0);
    const fullRun = Date.now() - started;
    const expected = await snapshot(reference);
    const random = seeded(42);
    const outcomes = { absent: 0, complete: 0 };
    for (let run = 0; run < 16; run += 1) {
      const target = path.join(parent, `run-${run}`);
      const child = spawn(process.execPath, [IDP_BIN, 'new', 'model-service', 'victim', '--yes', '--out', target], { cwd: REPO_ROOT, stdio: 'ignore' });
      const closed = new Promise((resolve) => child.on('close', resolve));
      const delay = Math.floor(random() * fullRun * 1.5);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await closed;
      const names = await readdir(parent);
      if (!names.includes(`run-${run}`)) {
        outcomes.absent += 1;
        continue;
      }
      expect(await snapshot(target), `run ${run} killed after ${delay} ms`).toEqual(expected);
      outcomes.complete += 1;
    }
    // Both outcomes occur, so the kills really landed before and after the commit.
    expect(outcomes.absent).toBeGreaterThan(0);
    expect(outcomes.complete).toBeGreaterThan(0);
    // A later run into the same place sweeps the staging directories killed runs left behind.
    const leftover = (await readdir(parent)).find((n) => n.includes('.idp-staging-'));
    if (leftover) {
      const base = leftover.slice(1, leftover.indexOf('.idp-staging-'));
      expect(runIdp(['new', 'model-service', 'victim', '--yes', '--force', '--out', path.join(parent, base)]).status).toBe(0);
      expect((await readdir(parent)).filter((n) => n.startsWith(`.${base}.idp-staging-`))).toEqual([]);
    }
  });
});
