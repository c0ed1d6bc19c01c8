import { lstat, mkdir, readdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaffold, TargetNotEmptyError, writeAtomically, type RenderedEntry } from './index.js';
import { makeFixture, tempDir } from '../test/fixtureTemplate.js';

const file = (p: string, text: string, mode = 0o644): RenderedEntry => ({ kind: 'file', path: p, content: Buffer.from(text), mode });

describe('writeAtomically', () => {
  it('writes files, directories, modes and symlinks into a new target', async () => {
    const target = path.join(await tempDir(), 'svc');
    await writeAtomically(
      [{ kind: 'dir', path: 'empty' }, file('bin/run.sh', '#!/bin/sh', 0o755), { kind: 'symlink', path: 'link', linkTarget: 'bin/run.sh' }],
      target,
    );
    expect((await stat(path.join(target, 'bin/run.sh'))).mode & 0o111).toBe(0o111);
    expect(await readlink(path.join(target, 'link'))).toBe('bin/run.sh');
    expect((await stat(path.join(target, 'empty'))).isDirectory()).toBe(true);
    expect((await stat(target)).mode & 0o777).toBe(0o755);
  });

  it('leaves nothing beside the target once done', async () => {
    const parent = await tempDir();
    await writeAtomically([file('a', 'a')], path.join(parent, 'svc'));
    expect(await readdir(parent)).toEqual(['svc']);
  });

  it('refuses a non-empty target and leaves it untouched', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'mine.txt'), 'keep me');
    await expect(writeAtomically([file('a', 'a')], target)).rejects.toBeInstanceOf(TargetNotEmptyError);
    expect(await readdir(target)).toEqual(['mine.txt']);
  });

  it('fills an existing empty directory', async () => {
    const target = await tempDir();
    await writeAtomically([file('a', 'a')], target);
    expect(await readdir(target)).toEqual(['a']);
  });

  it('with force replaces a non-empty target whole', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'old.txt'), 'old');
    await writeAtomically([file('new.txt', 'new')], target, { force: true });
    expect(await readdir(target)).toEqual(['new.txt']);
    expect(await readdir(path.dirname(target))).not.toContainEqual(expect.stringContaining('.idp-'));
  });

  it('refuses to write through a symlink the template made, and leaves no target', async () => {
    const outside = await tempDir();
    const target = path.join(await tempDir(), 'svc');
    await expect(
      writeAtomically([{ kind: 'symlink', path: 'escape', linkTarget: outside }, file('escape/pwned.txt', 'x')], target),
    ).rejects.toThrow(/symlink/);
    expect(await readdir(outside)).toEqual([]);
    await expect(lstat(target)).rejects.toThrow(/ENOENT/);
  });

  it('sweeps the staging directory of a killed run', async () => {
    const parent = await tempDir();
    const abandoned = path.join(parent, '.svc.idp-staging-999999999-abc');
    await mkdir(abandoned);
    await writeAtomically([file('a', 'a')], path.join(parent, 'svc'));
    expect(await readdir(parent)).toEqual(['svc']);
  });

  it('sweeps staging directories of killed runs for any target in the folder, and keeps those of live runs', async () => {
    const parent = await tempDir();
    const dead = ['.other.idp-staging-999999999-0a1b2c3d4e5f', '.x.y.idp-staging-999999998-abc'];
    const live = `.busy.idp-staging-${process.pid}-0a1b2c3d4e5f`;
    for (const name of [...dead, live, '.keep.idp-staging-notapid-abc']) await mkdir(path.join(parent, name));
    await writeAtomically([file('a', 'a')], path.join(parent, 'svc'));
    expect((await readdir(parent)).sort()).toEqual([live, '.keep.idp-staging-notapid-abc', 'svc'].sort());
  });

  it('puts back a target a killed --force run had moved aside, and drops the copy when the swap happened', async () => {
    const parent = await tempDir();
    await mkdir(path.join(parent, '.svc.idp-replaced-999999999-0a1b2c3d4e5f/old'), { recursive: true });
    await writeFile(path.join(parent, '.svc.idp-replaced-999999999-0a1b2c3d4e5f/old/mine.txt'), 'mine');
    await mkdir(path.join(parent, '.done.idp-replaced-999999998-0a1b2c3d4e5f/old'), { recursive: true });
    await mkdir(path.join(parent, 'done'));
    await expect(writeAtomically([file('a', 'a')], path.join(parent, 'svc'))).rejects.toThrow(TargetNotEmptyError);
    expect(await readFile(path.join(parent, 'svc/mine.txt'), 'utf-8')).toBe('mine');
    expect((await readdir(parent)).sort()).toEqual(['done', 'svc']);
  });

  it('reports each step of the staging window in order', async () => {
    const replaced: string[] = [];
    const target = path.join(await tempDir(), 'svc');
    await writeAtomically([file('a', 'a')], target);
    await writeAtomically([file('b', 'b')], target, { force: true, onStep: (step) => void replaced.push(step) });
    expect(replaced).toEqual(['staging', 'directories', 'file', 'staged', 'moved-aside', 'committed']);

    const steps: string[] = [];
    await writeAtomically([{ kind: 'dir', path: 'd' }, file('d/a', 'a'), file('b', 'b')], path.join(await tempDir(), 'svc'), {
      onStep: (step) => void steps.push(step),
    });
    expect(steps).toEqual(['staging', 'directories', 'file', 'file', 'staged', 'committed']);
  });
});

describe('scaffold', () => {
  it('renders then writes; a dry run writes nothing', async () => {
    const templateDir = await makeFixture({ '${{ values.name }}.txt': 'hello ${{ values.name }}' });
    const target = path.join(await tempDir(), 'out');
    const planned = await scaffold({ templateDir, targetDir: target, values: { name: 'x' }, dryRun: true });
    expect(planned.map((e) => e.path)).toEqual(['x.txt']);
    await expect(lstat(target)).rejects.toThrow(/ENOENT/);
    await scaffold({ templateDir, targetDir: target, values: { name: 'x' } });
    expect(await readFile(path.join(target, 'x.txt'), 'utf-8')).toBe('hello x');
  });
});
