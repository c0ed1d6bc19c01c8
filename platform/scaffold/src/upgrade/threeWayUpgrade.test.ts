import { existsSync } from 'node:fs';
import { lstat, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git } from '../../../../test/git.js';
import { committedFixture } from '../../test/fixtureTemplate.js';
import type { RenderedEntry } from '../renderTemplate.js';
import { lockRepository } from './repositoryLock.js';
import { openServiceRepo, threeWayUpgrade } from './threeWayUpgrade.js';

// Each case is a failure an adversarial run found (issue 26), with values of our own.

type Files = Record<string, string | Buffer>;
const entries = (files: Files): RenderedEntry[] =>
  Object.entries(files).map(([file, content]) => ({ kind: 'file', path: file, content: Buffer.from(content), mode: 0o644 }));
const labels = { ours: 'yours', theirs: 'billing-tpl 3.1.0' };

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A service repository holding these files, committed. */
async function serviceAt(files: Files): Promise<string> {
  const dir = await committedFixture(files);
  made.push(dir);
  return dir;
}

describe('threeWayUpgrade keeps the bytes of a conflicting file', () => {
  it('a Latin-1 file: E9 stays E9 on both sides of the markers', async () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const base = { 'menu.txt': latin1('entr\xe9e\nplat\n') };
    const dir = await serviceAt({ 'menu.txt': latin1('entr\xe9e\nplat du jour \xe0 la cr\xe8me\n') });
    const { plan } = await threeWayUpgrade({
      dir,
      base: entries(base),
      theirs: entries({ 'menu.txt': latin1('entr\xe9e\nplat garni\n') }),
      labels,
    });
    const written = await readFile(path.join(dir, 'menu.txt'));
    expect(written).toEqual(
      latin1('entr\xe9e\n<<<<<<< yours\nplat du jour \xe0 la cr\xe8me\n=======\nplat garni\n>>>>>>> billing-tpl 3.1.0\n'),
    );
    expect(written.includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false);
    expect(plan.conflicts).toEqual([{ path: 'menu.txt', binary: false, markers: true }]);
  });

  it('a CRLF file: its markers are relabelled and its CRs kept', async () => {
    const base = { 'run.bat': 'echo start\r\nset PORT=8000\r\n' };
    const dir = await serviceAt({ 'run.bat': 'echo start\r\nset PORT=9100\r\n' });
    await threeWayUpgrade({ dir, base: entries(base), theirs: entries({ 'run.bat': 'echo start\r\nset PORT=8080\r\n' }), labels });
    expect(await readFile(path.join(dir, 'run.bat'), 'utf-8')).toBe(
      'echo start\r\n<<<<<<< yours\r\nset PORT=9100\r\n=======\r\nset PORT=8080\r\n>>>>>>> billing-tpl 3.1.0\r\n',
    );
  });
});

describe('threeWayUpgrade in a repository set to merge.conflictStyle diff3', () => {
  it('labels the base lines too: no commit id in any marker', async () => {
    const base = { 'limits.env': 'CPU=1\nMEMORY=2Gi\n' };
    const dir = await serviceAt({ 'limits.env': 'CPU=1\nMEMORY=3Gi\n' });
    git(dir, 'config', 'merge.conflictStyle', 'diff3');
    await threeWayUpgrade({
      dir,
      base: entries(base),
      theirs: entries({ 'limits.env': 'CPU=1\nMEMORY=4Gi\n' }),
      labels: { ...labels, base: 'billing-tpl 3.0.0' },
    });
    expect(await readFile(path.join(dir, 'limits.env'), 'utf-8')).toBe(
      'CPU=1\n<<<<<<< yours\nMEMORY=3Gi\n||||||| billing-tpl 3.0.0\nMEMORY=2Gi\n=======\nMEMORY=4Gi\n>>>>>>> billing-tpl 3.1.0\n',
    );
  });
});

describe('threeWayUpgrade and a folder the owners replaced by a symlink', () => {
  const base = { 'guide/intro.md': 'intro\n', 'guide/setup.md': 'setup\n', 'app.py': 'print(1)\n' };

  it('no name git made up (guide~<commit>) reaches the service, and the symlink stays where it was', async () => {
    // The owners keep one page at the top, drop the other and point guide at the top folder.
    const dir = await serviceAt(base);
    git(dir, 'mv', 'guide/intro.md', 'intro.md');
    git(dir, 'rm', '-q', 'guide/setup.md');
    await symlink('.', path.join(dir, 'guide'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'guide is the top folder now');
    const { plan } = await threeWayUpgrade({
      dir,
      base: entries(base),
      theirs: entries({ ...base, 'guide/setup.md': 'setup, step 2\n' }),
      labels,
    });
    expect(git(dir, 'ls-files')).not.toMatch(/~/);
    expect(await readlink(path.join(dir, 'guide'))).toBe('.');
    expect(plan).toMatchObject({ conflicts: [], stayedDeleted: ['guide/setup.md'] });
  });

  it('when the template adds a file in that folder, the symlink is moved aside as guide~yours, a conflict without markers', async () => {
    const dir = await serviceAt(base);
    await rm(path.join(dir, 'guide'), { recursive: true });
    await symlink('app.py', path.join(dir, 'guide'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'no guide');
    const { plan } = await threeWayUpgrade({ dir, base: entries(base), theirs: entries({ ...base, 'guide/faq.md': 'faq\n' }), labels });
    expect(plan.conflicts).toEqual([{ path: 'guide~yours', binary: false, markers: false, aside: 'guide' }]);
    expect((await lstat(path.join(dir, 'guide~yours'))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, 'guide/faq.md'), 'utf-8')).toBe('faq\n');
  });
});

describe('threeWayUpgrade of a service in a folder of a larger repository (a monorepo)', () => {
  it('merges that folder, stages its paths from the top level, and leaves the rest of the repository alone', async () => {
    const base = { 'app.py': 'PORT = 8000\n', Dockerfile: 'FROM python:3.12\n' };
    const root = await serviceAt({
      'README.md': 'monorepo\n',
      'services/pricing/app.py': 'PORT = 9000\n',
      'services/pricing/Dockerfile': 'FROM python:3.12\n',
      'services/search/app.py': 'PORT = 8000\n',
    });
    // Work in progress elsewhere in the monorepo does not make the service dirty, and is kept.
    await writeFile(path.join(root, 'services/search/app.py'), 'PORT = 8001\n');
    git(root, 'add', 'services/search/app.py');
    const dir = path.join(root, 'services/pricing');
    const { plan } = await threeWayUpgrade({
      dir,
      base: entries(base),
      theirs: entries({ 'app.py': 'PORT = 8080\n', Dockerfile: 'FROM python:3.12.9\n', 'SECURITY.md': 'mail us\n' }),
      labels,
    });
    expect(plan).toMatchObject({ added: ['SECURITY.md'], changed: ['Dockerfile'], conflicts: [{ path: 'app.py', markers: true }] });
    expect(await readFile(path.join(dir, 'Dockerfile'), 'utf-8')).toBe('FROM python:3.12.9\n');
    expect(await readFile(path.join(dir, 'SECURITY.md'), 'utf-8')).toBe('mail us\n');
    expect(await readFile(path.join(dir, 'app.py'), 'utf-8')).toMatch(
      /<<<<<<< yours\nPORT = 9000\n=======\nPORT = 8080\n>>>>>>> billing-tpl/,
    );
    expect(git(root, 'status', '--porcelain').split('\n').sort()).toEqual([
      'A  services/pricing/SECURITY.md',
      'M  services/pricing/Dockerfile',
      'M  services/search/app.py',
      'UU services/pricing/app.py',
    ]);
    expect(await readFile(path.join(root, 'README.md'), 'utf-8')).toBe('monorepo\n');
    expect(existsSync(path.join(root, 'SECURITY.md'))).toBe(false);
  });
});

describe('threeWayUpgrade refusals name what they mean', () => {
  it('a dirty tree names its files whole (Makefile, not akefile)', async () => {
    const dir = await serviceAt({ Makefile: 'all:\n', 'docs/a b.md': 'x\n' });
    await writeFile(path.join(dir, 'Makefile'), 'all: test\n');
    await writeFile(path.join(dir, 'docs/a b.md'), 'y\n');
    await expect(
      threeWayUpgrade({ dir, base: entries({ Makefile: 'all:\n' }), theirs: entries({ Makefile: 'all:\n\n' }), labels }),
    ).rejects.toThrow(/but Makefile, docs\/a b\.md changed/);
  });

  it('a second upgrade while one holds the lock is refused, naming the process', async () => {
    const dir = await serviceAt({ 'app.py': 'a\n' });
    const lock = await lockRepository(await openServiceRepo(dir));
    try {
      await expect(
        threeWayUpgrade({ dir, base: entries({ 'app.py': 'a\n' }), theirs: entries({ 'app.py': 'b\n' }), labels }),
      ).rejects.toThrow(new RegExp(`must not be in use by another idp upgrade, but process ${process.pid} is upgrading`));
      expect(await readFile(path.join(dir, 'app.py'), 'utf-8')).toBe('a\n');
    } finally {
      await lock.release();
    }
  });

  it("a lock git itself holds is refused too, with git's own advice", async () => {
    const dir = await serviceAt({ 'app.py': 'a\n' });
    await writeFile(path.join(dir, '.git/index.lock'), '');
    await expect(
      threeWayUpgrade({ dir, base: entries({ 'app.py': 'a\n' }), theirs: entries({ 'app.py': 'b\n' }), labels }),
    ).rejects.toThrow(/must not be in use by another git process, but .*index\.lock exists/);
  });
});
