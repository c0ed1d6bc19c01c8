import { realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import type { RenderedEntry } from '../renderTemplate.js';
import { gitText } from '../git/runGit.js';
import { applyChanges, forgetInterruptedUpgrade, recoverInterruptedUpgrade } from './applyChanges.js';
import { repoGit, repoGitText, scratchObjects, type GitRepo } from './gitRepo.js';
import { commitRenders, sameRenders, storedAsRendered } from './commitRenders.js';
import { mergeCommits, mergeTrees, type MergeLabels } from './mergeTrees.js';
import { planChanges, type UpgradePlan } from './planChanges.js';
import { withRepositoryLock } from './repositoryLock.js';
import { snapshotWorkingTree } from './snapshotWorkingTree.js';
import { treeFromEntries } from './treeFromEntries.js';

export interface ThreeWayUpgradeOptions {
  /** The service's folder: its git repository's top level, or a folder of a larger repository. */
  dir: string;
  /** The render the service was made from (old template, old answers, old contract). */
  base: readonly RenderedEntry[];
  /** The render it moves to (new template, answers, contract). */
  theirs: readonly RenderedEntry[];
  labels: MergeLabels;
  /** Compute and report; write nothing, not even git objects into the repository. */
  dryRun?: boolean;
  /** Merge into uncommitted changes too (they become part of "ours"). */
  allowDirty?: boolean;
}

export interface UpgradeOutcome {
  plan: UpgradePlan;
  /** Template, answers and contract render exactly as before: nothing to do. */
  upToDate: boolean;
  written: boolean;
  /** An earlier, interrupted upgrade was rolled back first. */
  recovered: boolean;
}

/**
 * The upgrade itself, in order — look, then act: open the repository, undo an interrupted run,
 * refuse uncommitted work, turn both renders and the working tree into git trees, merge, plan,
 * and only then write.
 */
export async function threeWayUpgrade(options: ThreeWayUpgradeOptions): Promise<UpgradeOutcome> {
  if (options.dryRun) {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'idp-objects-'));
    try {
      return await mergeAndApply(await openServiceRepo(options.dir, scratch), options, false);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const repo = await openServiceRepo(options.dir);
  // From the first look to the last write, nobody else writes the index: not a second upgrade, not git.
  return withRepositoryLock(repo, async () => mergeAndApply(repo, options, await recoverInterruptedUpgrade(repo)));
}

async function mergeAndApply(repo: GitRepo, options: ThreeWayUpgradeOptions, recovered: boolean): Promise<UpgradeOutcome> {
  if (!options.allowDirty) await refuseUncommittedWork(repo);
  const merge = await mergeRenders(repo, snapshotWorkingTree(repo), options);
  if (!merge.merged) return { plan: merge.plan, upToDate: true, written: false, recovered };
  const { ours, merged, plan, changes } = merge;
  if (options.dryRun || (changes.length === 0 && merged.settlements.length === 0))
    return { plan, upToDate: false, written: false, recovered };
  await applyChanges(repo, ours, merged.tree, changes, merged.settlements);
  return { plan, upToDate: false, written: true, recovered };
}

export interface CommitUpgradeOptions {
  /** A repository (bare or not) holding `commit`; the upgrade's objects are written to it. */
  gitDir: string;
  /** "Ours": the service at the top of this commit. */
  commit: string;
  base: readonly RenderedEntry[];
  theirs: readonly RenderedEntry[];
  labels: MergeLabels;
}

export interface CommitUpgradeOutcome {
  plan: UpgradePlan;
  upToDate: boolean;
  /** The merged tree, conflicts committed with their markers; the commit's own tree when nothing changes. */
  tree: string;
  /** The merged tree differs from the commit's. */
  changed: boolean;
}

/**
 * The same merge over a commit instead of a working tree: nothing is checked out, read from or
 * written to disk but git objects. A fleet run's throwaway clone needs only the tree to commit.
 */
export async function mergeIntoCommit(options: CommitUpgradeOptions): Promise<CommitUpgradeOutcome> {
  const repo: GitRepo = { workTree: options.gitDir, folder: '', gitDir: options.gitDir, env: {} };
  const oursTree = () => repoGitText(repo, ['rev-parse', '--verify', `${options.commit}^{tree}`]);
  if (!storedAsRendered(options.base) || !storedAsRendered(options.theirs)) {
    const merge = await mergeRenders(repo, oursTree(), options);
    if (!merge.merged) return { plan: merge.plan, upToDate: true, tree: merge.ours, changed: false };
    return { plan: merge.plan, upToDate: false, tree: merge.merged.tree, changed: merge.merged.tree !== merge.ours };
  }
  // The usual render (no .gitattributes): both renders, and "ours" on top of the base render, go
  // to git in one process, nothing on disk.
  if (sameRenders(options.base, options.theirs)) return { plan: emptyPlan(), upToDate: true, tree: await oursTree(), changed: false };
  const commits = await commitRenders(repo, { ...options, ours: options.commit });
  const merged = await mergeCommits(repo, commits, options.labels);
  const { plan, changes } = await planChanges(repo, commits.trees.ours, merged);
  return { plan, upToDate: false, tree: merged.tree, changed: changes.length > 0 };
}

function emptyPlan(): UpgradePlan {
  return { added: [], changed: [], removed: [], conflicts: [], kept: [], stayedDeleted: [] };
}

/** Both renders and "ours" as trees, merged and planned; no `merged` when the renders are the same (up to date). */
async function mergeRenders(
  repo: GitRepo,
  oursTree: Promise<string>,
  options: { base: readonly RenderedEntry[]; theirs: readonly RenderedEntry[]; labels: MergeLabels },
) {
  const [base, theirs, ours] = await Promise.all([treeFromEntries(repo, options.base), treeFromEntries(repo, options.theirs), oursTree]);
  if (base === theirs) return { ours, plan: emptyPlan(), changes: [], merged: undefined };
  const merged = await mergeTrees(repo, { base, ours, theirs }, options.labels);
  const { plan, changes } = await planChanges(repo, ours, merged);
  return { ours, plan, changes, merged };
}

/** `idp upgrade --abort`: puts back what an interrupted upgrade of `dir` had changed; true when there was one. */
export async function abortInterruptedUpgrade(dir: string): Promise<boolean> {
  const repo = await openServiceRepo(dir);
  return withRepositoryLock(repo, () => recoverInterruptedUpgrade(repo));
}

/** `idp upgrade --quit`: forgets an interrupted upgrade of `dir`, leaving every file as it is; true when there was one. */
export async function quitInterruptedUpgrade(dir: string): Promise<boolean> {
  const repo = await openServiceRepo(dir);
  return withRepositoryLock(repo, () => forgetInterruptedUpgrade(repo));
}

/** The service's git repository (the service at its top level or in a folder of it); it must have a first commit. */
export async function openServiceRepo(dir: string, scratchObjectDir?: string): Promise<GitRepo> {
  const workTree = path.resolve(dir);
  const problem = (message: string) => new InvalidInputError('The service', [{ field: 'DIR', message }]);
  const topLevel = await gitText(['rev-parse', '--show-toplevel'], { cwd: workTree }).catch(() => undefined);
  if (!topLevel)
    throw problem(
      `must be a git repository (idp upgrade merges with git), but ${workTree} is not one (e.g. git init && git add -A && git commit -m "first commit")`,
    );
  // Compared as real paths: a folder reached through a symlink is still itself. A service in a
  // folder of a larger repository (a monorepo) is merged as that folder, the rest left alone.
  const folder = path.relative(realpathSync(topLevel), realpathSync(workTree)).split(path.sep).join('/');
  const gitDir = path.resolve(workTree, await gitText(['rev-parse', '--git-dir'], { cwd: workTree }));
  const head = await gitText(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: workTree }).catch(() => '');
  if (!head)
    throw problem(`must have a first commit to merge into, but ${workTree} has none (e.g. git add -A && git commit -m "first commit")`);
  return { workTree: realpathSync(topLevel), folder, gitDir, env: scratchObjectDir ? scratchObjects(gitDir, scratchObjectDir) : {} };
}

async function refuseUncommittedWork(repo: GitRepo) {
  // -z: each entry whole ("XY path"), never trimmed, quoted or split at a newline in a name.
  const status = (
    await repoGit(repo, ['status', '--porcelain', '-z', '--untracked-files=all', '--', repo.folder || '.'], {
      env: { GIT_LITERAL_PATHSPECS: '1' },
    })
  ).stdout.toString('utf-8');
  const files: string[] = [];
  const fields = status.split('\0');
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i]!;
    if (field.length < 4) continue;
    files.push(field.slice(3));
    // A rename or copy names its source in the next field.
    if (field[0] === 'R' || field[0] === 'C') i += 1;
  }
  if (!files.length) return;
  throw new InvalidInputError('The service', [
    {
      field: 'DIR',
      message: `must have no uncommitted changes, so the upgrade can be reviewed and undone on its own, but ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''} changed (commit or stash them, or pass --allow-dirty)`,
    },
  ]);
}
