import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGitDir, readGitRefs } from './gitRepos.js';

const readGitRef = async (gitDir: string, ref: string) => (await readGitRefs(gitDir)).get(ref);

const scratch = mkdtempSync(join(tmpdir(), 'idp-emulator-refs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const git = (gitDir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', gitDir, ...args], {
    encoding: 'utf-8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();

/** A bare repository with a commit on main and on feature/deep, the way `git http-backend` leaves one after pushes. */
function repoWithBranches(gitDir: string): string {
  const tree = git(gitDir, 'mktree', '--missing');
  const commit = git(gitDir, 'commit-tree', tree, '-m', 'first');
  git(gitDir, 'update-ref', 'refs/heads/main', commit);
  git(gitDir, 'update-ref', 'refs/heads/feature/deep', commit);
  return commit;
}

// git 2.45 made reftable a ref storage of its own; older git cannot create one to test against.
const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(spawnSync('git', ['--version'], { encoding: 'utf-8' }).stdout) ?? [])
  .slice(1)
  .map(Number);
const hasReftable = major > 2 || (major === 2 && minor >= 45);

describe('readGitRefs: the emulator reads refs through git', () => {
  it('reads loose and packed refs alike, and only the ref named (not those below it, not a pattern)', async () => {
    const gitDir = await createGitDir(scratch, 'acme', 'loose-and-packed');
    const commit = repoWithBranches(gitDir);
    expect(await readGitRef(gitDir, 'refs/heads/main')).toBe(commit);
    git(gitDir, 'pack-refs', '--all');
    expect(await readGitRef(gitDir, 'refs/heads/main')).toBe(commit);
    expect(await readGitRef(gitDir, 'refs/heads/feature/deep')).toBe(commit);
    expect(await readGitRef(gitDir, 'refs/heads/feature')).toBeUndefined();
    expect(await readGitRef(gitDir, 'refs/heads/*')).toBeUndefined();
    expect(await readGitRef(gitDir, 'refs/heads/gone')).toBeUndefined();
  });

  it.skipIf(!hasReftable)('reads a repository whose refs are stored as a reftable (git 2.45 and newer)', async () => {
    const gitDir = join(scratch, 'reftable.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--ref-format=reftable', '--initial-branch=main', gitDir]);
    const commit = repoWithBranches(gitDir);
    expect(await readGitRef(gitDir, 'refs/heads/main')).toBe(commit);
    expect(await readGitRef(gitDir, 'refs/heads/feature/deep')).toBe(commit);
  });
});
