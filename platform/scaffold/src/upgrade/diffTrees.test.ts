import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { git } from '../../../../test/git.js';
import { tempDir } from '../../test/fixtureTemplate.js';
import type { RenderedEntry } from '../renderTemplate.js';
import { diffTrees } from './diffTrees.js';
import type { GitRepo } from './gitRepo.js';
import { treeFromEntries } from './treeFromEntries.js';

const file = (p: string, content: string, mode = 0o644): RenderedEntry => ({ kind: 'file', path: p, content: Buffer.from(content), mode });

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('diffTrees', () => {
  it('reads every pair from one process, in order: empty diffs, every kind of change, any path', async () => {
    const dir = await tempDir();
    made.push(dir);
    git(dir, 'init', '-q', '--bare');
    const repo: GitRepo = { workTree: dir, folder: '', gitDir: dir, env: {} };
    const odd = 'docs/a "name"\nwith a newline and ünïcode.md';
    const a = await treeFromEntries(repo, [
      file('kept.txt', 'same\n'),
      file('changed.txt', 'one\n'),
      file('gone.txt', 'x\n'),
      file('run.sh', 'echo\n'),
    ]);
    const b = await treeFromEntries(repo, [
      file('kept.txt', 'same\n'),
      file('changed.txt', 'two\n'),
      file(odd, 'new\n'),
      file('run.sh', 'echo\n', 0o755),
    ]);
    const [none, forward, back, again] = await diffTrees(repo, [
      [a, a],
      [a, b],
      [b, a],
      [b, b],
    ]);
    expect(none).toEqual([]);
    expect(again).toEqual([]);
    expect(forward!.map(({ path, status, newMode }) => [path, status, newMode]).sort()).toEqual(
      [
        ['changed.txt', 'M', '100644'],
        [odd, 'A', '100644'],
        ['gone.txt', 'D', '000000'],
        ['run.sh', 'M', '100755'],
      ].sort(),
    );
    expect(back!.find((change) => change.path === odd)?.status).toBe('D');
    expect(back!.find((change) => change.path === 'gone.txt')).toMatchObject({
      status: 'A',
      newOid: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
  });
});
