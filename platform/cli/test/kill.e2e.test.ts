import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlatformContract, renderTemplate, writeAtomically, type RenderedEntry } from '@idp/scaffold';
import { serviceValues } from '@idp/service-spec';
import { runIdp, TEMPLATES_DIR } from './runIdp.js';

const SKELETON_DIR = path.join(TEMPLATES_DIR, 'model-service/skeleton');

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full)] = await readFile(full, 'utf-8');
  }
  return files;
}

const STAGE_AND_PAUSE = fileURLToPath(new URL('./stageAndPause.mjs', import.meta.url));

/** Runs the writer in a child that pauses at staging step `pauseAt`, and SIGKILLs it there. */
function killAtStep(entriesFile: string, target: string, pauseAt: number, force = false): Promise<string> {
  const child = spawn(process.execPath, [STAGE_AND_PAUSE, entriesFile, target, String(pauseAt), force ? 'force' : ''], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let said = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('paused')) child.kill('SIGKILL');
    });
    child.on('close', () => resolve(said.trim()));
  });
}

// SIGKILL leaves no time to clean up. Random kill moments hit the short staging window only now and
// then, so each kill here is aimed: the child stops at a chosen step of the window and dies there.
describe('idp new killed inside the staging window', () => {
  it('100 kills spread over every step leave the target absent or complete; the next run leaves no staging folder', {
    timeout: 60_000,
  }, async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'idp-aimed-kill-'));
    const parent = path.join(work, 'services');
    const values = serviceValues({ name: 'victim', gpuType: 'nvidia-l4' }, await loadPlatformContract());
    const entries: RenderedEntry[] = await renderTemplate(SKELETON_DIR, values);
    const entriesFile = path.join(work, 'entries.json');
    await writeFile(
      entriesFile,
      JSON.stringify(entries.map((e) => (e.kind === 'file' ? { ...e, content: e.content.toString('base64') } : e))),
    );
    // A run to the end counts the steps and gives the complete result.
    let steps = 0;
    await writeAtomically(entries, path.join(work, 'reference'), { onStep: () => void (steps += 1) });
    const expected = await snapshot(path.join(work, 'reference'));

    const KILLS = 100;
    const outcomes = { absent: 0, complete: 0 };
    const said = new Map<string, number>();
    // Step ⌊k·steps/100⌋ for kill k, and the last kill at the last step (after the rename): every
    // step of the window is hit. A few children at once keep the 100 kills within seconds.
    const pauseAt = (run: number) => (run === KILLS - 1 ? steps - 1 : Math.floor((run * steps) / KILLS));
    let nextRun = 0;
    const worker = async () => {
      for (let run = nextRun++; run < KILLS; run = nextRun++) {
        const word = await killAtStep(entriesFile, path.join(parent, `run-${run}`), pauseAt(run));
        said.set(word, (said.get(word) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect([...said.keys()].every((word) => word.startsWith('paused at '))).toBe(true);
    const names = await readdir(parent);
    for (let run = 0; run < KILLS; run += 1) {
      if (!names.includes(`run-${run}`)) {
        outcomes.absent += 1;
        continue;
      }
      expect(await snapshot(path.join(parent, `run-${run}`)), `run ${run}`).toEqual(expected);
      outcomes.complete += 1;
    }
    expect(outcomes.absent + outcomes.complete).toBe(KILLS);
    expect(outcomes.complete).toBeGreaterThan(0);
    expect(outcomes.absent).toBeGreaterThan(outcomes.complete);
    // Each child swept the staging folders of the kills before it, so which remain depends on which
    // children ended last: one more kill mid-window, alone, surely leaves one. The next `idp new` in
    // the folder sweeps every one.
    await killAtStep(entriesFile, path.join(parent, 'last-kill'), Math.floor(steps / 2));
    expect((await readdir(parent)).filter((n) => n.includes('.idp-staging-')).length).toBeGreaterThan(0);
    const next = runIdp(['new', 'model-service', 'other', '--yes', '--out', path.join(parent, 'other')]);
    expect(next.status, next.stderr).toBe(0);
    expect((await readdir(parent)).filter((n) => n.includes('.idp-staging-'))).toEqual([]);
  });

  it('--force runs killed at any step leave the old or the new target; the next run puts back one moved aside', {
    timeout: 60_000,
  }, async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'idp-aimed-kill-force-'));
    const parent = path.join(work, 'services');
    const entries: RenderedEntry[] = await renderTemplate(SKELETON_DIR, serviceValues({ name: 'victim' }, await loadPlatformContract()));
    const entriesFile = path.join(work, 'entries.json');
    await writeFile(
      entriesFile,
      JSON.stringify(entries.map((e) => (e.kind === 'file' ? { ...e, content: e.content.toString('base64') } : e))),
    );
    await writeAtomically(entries, path.join(work, 'reference'));
    const expected = await snapshot(path.join(work, 'reference'));
    // Replacing has one step more (the old target moved aside); aim at it several times.
    let steps = 0;
    await writeAtomically(entries, path.join(work, 'reference'), { force: true, onStep: () => void (steps += 1) });
    const movedAside = steps - 2;
    const aims = [...Array.from({ length: 16 }, (_, i) => Math.floor((i * steps) / 16)), movedAside, movedAside, movedAside, steps - 1];
    const old = { 'old.txt': 'the service before --force' };
    await Promise.all(
      aims.map(async (_, run) => {
        await mkdir(path.join(parent, `run-${run}`), { recursive: true });
        await writeFile(path.join(parent, `run-${run}`, 'old.txt'), old['old.txt']);
      }),
    );
    for (let run = 0; run < aims.length; run += 1)
      expect(await killAtStep(entriesFile, path.join(parent, `run-${run}`), aims[run]!, true)).toMatch(/^paused at /);
    // The next run in the folder puts back what was moved aside; then every target is old or new.
    const next = runIdp(['new', 'model-service', 'other', '--yes', '--out', path.join(parent, 'other')]);
    expect(next.status, next.stderr).toBe(0);
    const outcomes = { old: 0, new: 0 };
    for (let run = 0; run < aims.length; run += 1) {
      const files = await snapshot(path.join(parent, `run-${run}`));
      if (files['old.txt'] !== undefined) expect(files, `run ${run}`).toEqual(old);
      else expect(files, `run ${run}`).toEqual(expected);
      outcomes[files['old.txt'] !== undefined ? 'old' : 'new'] += 1;
    }
    expect(outcomes.new).toBeGreaterThan(0);
    expect(outcomes.old).toBeGreaterThan(3);
    expect((await readdir(parent)).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
