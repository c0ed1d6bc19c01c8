import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScratchFolder } from './scratchFolder.js';

const base = mkdtempSync(join(tmpdir(), 'idp-scratch-base-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The pid of a process that has ended (its folder is abandoned). */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf-8' });
  return Number(child.stdout);
}

describe('openScratchFolder', () => {
  it("sweeps the folders of killed runs (their process is gone), never a live run's or anything else", async () => {
    const abandoned = join(base, `idp-fleet-${endedPid()}-Ab12Cd`);
    mkdirSync(join(abandoned, 'churn-model-x1', 'churn-model', '.git'), { recursive: true });
    writeFileSync(join(abandoned, 'churn-model-x1', 'churn-model', 'README.md'), 'half a clone\n');
    const live = join(base, `idp-fleet-${process.pid}-Zz99Yy`);
    mkdirSync(live);
    const unrelated = [join(base, 'idp-fleet-notapid-aaaaaa'), join(base, 'idp-render-Q1w2E3'), join(base, 'mine')];
    for (const dir of unrelated) mkdirSync(dir);

    const scratch = await openScratchFolder(base);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(live)).toBe(true);
    for (const dir of unrelated) expect(existsSync(dir), dir).toBe(true);
    expect(scratch.dir).toMatch(new RegExp(`/idp-fleet-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(existsSync(scratch.dir)).toBe(true);
    await scratch.release();
    expect(existsSync(scratch.dir)).toBe(false);
  });
});
