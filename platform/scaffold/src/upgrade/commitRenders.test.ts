import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git } from '../../../../test/git.js';
import { committedFixture } from '../../test/fixtureTemplate.js';
import type { RenderedEntry } from '../renderTemplate.js';
import { commitRenders, sameRenders, storedAsRendered } from './commitRenders.js';
import type { GitRepo } from './gitRepo.js';
import { mergeTrees } from './mergeTrees.js';
import { mergeIntoCommit } from './threeWayUpgrade.js';
import { treeFromEntries } from './treeFromEntries.js';

// commitRenders must store a render exactly as a scratch folder and `git add` do (the path every
// other upgrade takes), or a fleet's merge would differ from `idp upgrade`'s.

const file = (p: string, content: string | Buffer, mode = 0o644): RenderedEntry => ({
  kind: 'file',
  path: p,
  content: Buffer.from(content),
  mode,
});

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function repository(files: Record<string, string> = { 'README.md': 'service\n' }): Promise<{ dir: string; repo: GitRepo }> {
  const dir = await committedFixture(files);
  made.push(dir);
  return { dir, repo: { workTree: dir, folder: '', gitDir: path.join(dir, '.git'), env: {} } };
}

const RENDER: RenderedEntry[] = [
  file('README.md', '# svc\n'),
  file('bin/run.sh', '#!/bin/sh\necho run\n', 0o755),
  file('bin/group-exec-only', 'x\n', 0o654),
  file('assets/logo.bin', Buffer.from([0, 1, 2, 255, 0, 10])),
  file('docs/a file with spaces.md', 'spaces\n'),
  file('docs/"quoted" \\ back.md', 'quotes\n'),
  file('docs/ünïcode-名前.md', 'unicode\n'),
  file('docs/empty.txt', ''),
  file('same-content-1.txt', 'twice\n'),
  file('same-content-2.txt', 'twice\n'),
  { kind: 'dir', path: 'empty-folder' },
  { kind: 'dir', path: 'docs' },
  { kind: 'symlink', path: 'docs/latest', linkTarget: 'a file with spaces.md' },
  { kind: 'symlink', path: 'dangling', linkTarget: '../nowhere' },
];

describe('commitRenders', () => {
  it('stores a render as git add does: modes, links, binaries, empty files, any name; empty folders left out', async () => {
    const { repo } = await repository();
    const theirs = [...RENDER.filter((e) => e.path !== 'docs/empty.txt'), file('NEW.md', 'new\n')];
    const commits = await commitRenders(repo, { base: RENDER, theirs, ours: 'HEAD' });
    expect(git(repo.workTree, 'rev-parse', `${commits.base}^{tree}`)).toBe(await treeFromEntries(repo, RENDER));
    expect(git(repo.workTree, 'rev-parse', `${commits.theirs}^{tree}`)).toBe(await treeFromEntries(repo, theirs));
    expect(git(repo.workTree, 'rev-parse', `${commits.theirs}^`)).toBe(commits.base);
    // "Ours": the service's tree, on top of its own history and the base render, whose merge with the new render has one base.
    expect(git(repo.workTree, 'rev-parse', `${commits.ours}^{tree}`)).toBe(git(repo.workTree, 'rev-parse', 'HEAD^{tree}'));
    expect(git(repo.workTree, 'rev-parse', `${commits.ours}^1`, `${commits.ours}^2`)).toBe(
      `${git(repo.workTree, 'rev-parse', 'HEAD')}\n${commits.base}`,
    );
    expect(git(repo.workTree, 'merge-base', '--all', commits.ours, commits.theirs)).toBe(commits.base);
    expect(commits.trees).toEqual({ ours: git(repo.workTree, 'rev-parse', 'HEAD^{tree}'), theirs: await treeFromEntries(repo, theirs) });
  });

  it('is used only where git would store the files as they are', () => {
    expect(storedAsRendered(RENDER)).toBe(true);
    expect(storedAsRendered([...RENDER, file('.gitattributes', '* text=auto\n')])).toBe(false);
    expect(storedAsRendered([file('sub/.gitattributes', '*.bat eol=crlf\n')])).toBe(false);
    expect(storedAsRendered([file('vendor/.git/config', '')])).toBe(false);
  });

  it('tells renders git would store alike from different ones', () => {
    const folderless = RENDER.filter((e) => e.kind !== 'dir');
    expect(sameRenders(RENDER, [...folderless].reverse())).toBe(true);
    expect(sameRenders(RENDER, [...folderless.slice(1), file('README.md', '# svc\n', 0o600)])).toBe(true);
    expect(sameRenders(RENDER, [...folderless.slice(1), file('README.md', '# svc\n', 0o700)])).toBe(false);
    expect(sameRenders(RENDER, [...folderless.slice(1), file('README.md', '# svc!\n')])).toBe(false);
    expect(sameRenders(RENDER, folderless.slice(1))).toBe(false);
  });
});

describe('mergeIntoCommit', () => {
  it('merges to the very tree the scratch-folder path gives: conflicts, kept, stayed deleted and .idp/ included', async () => {
    const base = [
      file('README.md', '# svc\nline\n'),
      file('app.py', 'a = 1\n'),
      file('old.txt', 'old\n'),
      file('gone-by-owner.txt', 'g\n'),
      file('.idp/answers.yaml', 'name: svc\nversion: 0.1.0\n'),
    ];
    const theirs = [
      file('README.md', '# svc (model service)\nline\n'),
      file('app.py', 'a = 2\n'),
      file('gone-by-owner.txt', 'g2\n'),
      file('SECURITY.md', 'report\n'),
      file('.idp/answers.yaml', 'name: svc\nversion: 0.2.0\n'),
    ];
    const { dir, repo } = await repository({
      'README.md': '# svc, owned\nline\n',
      'app.py': 'a = 1\n',
      'old.txt': 'old, changed by the owners\n',
      '.idp/answers.yaml': 'name: svc\nversion: 0.1.0\nedited: by hand\n',
    });
    const labels = { ours: 'yours', theirs: 'model-service 0.2.0' };
    const outcome = await mergeIntoCommit({ gitDir: repo.gitDir, commit: 'HEAD', base, theirs, labels });
    const ours = git(dir, 'rev-parse', 'HEAD^{tree}');
    const expected = await mergeTrees(
      repo,
      { base: await treeFromEntries(repo, base), ours, theirs: await treeFromEntries(repo, theirs) },
      labels,
    );
    expect(outcome.tree).toBe(expected.tree);
    expect(outcome.changed).toBe(true);
    expect(outcome.plan).toMatchObject({
      added: ['SECURITY.md'],
      changed: expect.arrayContaining(['.idp/answers.yaml', 'app.py']),
      conflicts: [{ path: 'README.md', markers: true }],
      kept: ['old.txt'],
      stayedDeleted: ['gone-by-owner.txt'],
    });
    expect(git(dir, 'show', `${outcome.tree}:README.md`)).toContain('>>>>>>> model-service 0.2.0');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('answers up to date, changing nothing, when both renders are the same', async () => {
    const { dir, repo } = await repository();
    const outcome = await mergeIntoCommit({
      gitDir: repo.gitDir,
      commit: 'HEAD',
      base: RENDER,
      theirs: [...RENDER],
      labels: { ours: 'y', theirs: 't' },
    });
    expect(outcome).toMatchObject({ upToDate: true, changed: false, tree: git(dir, 'rev-parse', 'HEAD^{tree}') });
  });
});
