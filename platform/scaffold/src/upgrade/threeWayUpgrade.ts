import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import type { RenderedEntry } from '../renderTemplate.js';
import { gitText } from '../git/runGit.js';
import { applyChanges, recoverInterruptedUpgrade } from './applyChanges.js';
import { repoGitText, scratchObjects, type GitRepo } from './gitRepo.js';
import { mergeTrees, type MergeLabels } from './mergeTrees.js';
import { planChanges, type UpgradePlan } from './planChanges.js';
import { snapshotWorkingTree } from './snapshotWorkingTree.js';
import { treeFromEntries } from './treeFromEntries.js';

export interface ThreeWayUpgradeOptions {
  /** The service's repository (its top level). */
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
  const scratch = options.dryRun ? await mkdtemp(path.join(os.tmpdir(), 'idp-objects-')) : undefined;
  try {
    const repo = await openServiceRepo(options.dir, scratch);
    const recovered = options.dryRun ? false : await recoverInterruptedUpgrade(repo);
    if (!options.allowDirty) await refuseUncommittedWork(repo);
    const [base, theirs, ours] = await Promise.all([
      treeFromEntries(repo, options.base),
      treeFromEntries(repo, options.theirs),
      snapshotWorkingTree(repo),
    ]);
    const empty: UpgradePlan = { added: [], changed: [], removed: [], conflicts: [], kept: [], stayedDeleted: [] };
    if (base === theirs) return { plan: empty, upToDate: true, written: false, recovered };

    const merged = await mergeTrees(repo, { base, ours, theirs }, options.labels);
    const { plan, changes } = await planChanges(repo, ours, merged.tree, merged.settlements);
    if (options.dryRun || (changes.length === 0 && merged.settlements.length === 0))
      return { plan, upToDate: false, written: false, recovered };
    await applyChanges(repo, ours, merged.tree, changes, merged.settlements);
    return { plan, upToDate: false, written: true, recovered };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** The service's git repository; it must be one, at its top level, with a first commit. */
export async function openServiceRepo(dir: string, scratchObjectDir?: string): Promise<GitRepo> {
  const workTree = path.resolve(dir);
  const problem = (message: string) => new InvalidInputError('The service', [{ field: 'DIR', message }]);
  const topLevel = await gitText(['rev-parse', '--show-toplevel'], { cwd: workTree }).catch(() => undefined);
  if (!topLevel)
    throw problem(
      `must be a git repository (idp upgrade merges with git), but ${workTree} is not one (e.g. git init && git add -A && git commit -m "first commit")`,
    );
  if (path.resolve(topLevel) !== workTree)
    throw problem(
      `must be the top level of the service's repository, but ${workTree} is inside ${topLevel} (e.g. idp upgrade ${topLevel})`,
    );
  const gitDir = path.resolve(workTree, await gitText(['rev-parse', '--git-dir'], { cwd: workTree }));
  const head = await gitText(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: workTree }).catch(() => '');
  if (!head)
    throw problem(`must have a first commit to merge into, but ${workTree} has none (e.g. git add -A && git commit -m "first commit")`);
  return { workTree, gitDir, env: scratchObjectDir ? scratchObjects(gitDir, scratchObjectDir) : {} };
}

async function refuseUncommittedWork(repo: GitRepo) {
  const status = await repoGitText(repo, ['status', '--porcelain', '--untracked-files=all']);
  if (!status) return;
  const files = status
    .split('\n')
    .slice(0, 5)
    .map((line) => line.slice(3));
  throw new InvalidInputError('The service', [
    {
      field: 'DIR',
      message: `must have no uncommitted changes, so the upgrade can be reviewed and undone on its own, but ${files.join(', ')}${status.split('\n').length > 5 ? ', …' : ''} changed (commit or stash them, or pass --allow-dirty)`,
    },
  ]);
}
