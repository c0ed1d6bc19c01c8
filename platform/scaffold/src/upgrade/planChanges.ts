import type { MergeResult, Settlement } from './mergeTrees.js';
import { diffTrees, type TreeDiffEntry } from './diffTrees.js';
import type { GitRepo } from './gitRepo.js';

/** What an upgrade does to the service's files, path by path. */
export interface UpgradePlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** `markers`: the file holds conflict markers; `aside`: where it was, when a folder took its place. */
  conflicts: Array<{ path: string; binary: boolean; markers: boolean; aside?: string }>;
  /** Removed by the template but changed by the user: kept. */
  kept: string[];
  /** Deleted by the user but changed by the template: still deleted. */
  stayedDeleted: string[];
}

/** One change of the working tree: a path and its new mode and blob (none when removed). */
export interface TreeChange {
  path: string;
  mode?: string;
  oid?: string;
}

/**
 * The differences from the user's tree (`ours`, a tree's full oid) to the merged one, and the plan a
 * person reads. The merge may have read the differences already.
 */
export async function planChanges(repo: GitRepo, ours: string, merged: MergeResult): Promise<{ plan: UpgradePlan; changes: TreeChange[] }> {
  const diff = merged.diffFromOurs ?? (await diffTrees(repo, [[ours, merged.tree]]))[0]!;
  return planFromDiff(diff, merged.settlements);
}

function planFromDiff(diff: readonly TreeDiffEntry[], settlements: readonly Settlement[]): { plan: UpgradePlan; changes: TreeChange[] } {
  const changes: TreeChange[] = [];
  const plan: UpgradePlan = { added: [], changed: [], removed: [], conflicts: [], kept: [], stayedDeleted: [] };
  const conflicted = new Set(settlements.filter((s) => s.kind === 'conflict').map((s) => s.path));
  for (const { path: file, status, newMode, newOid } of diff) {
    if (status === 'D') {
      changes.push({ path: file });
      plan.removed.push(file);
    } else {
      changes.push({ path: file, mode: newMode, oid: newOid });
      if (conflicted.has(file)) continue;
      (status === 'A' ? plan.added : plan.changed).push(file);
    }
  }
  for (const settlement of settlements) {
    if (settlement.kind === 'conflict') {
      const { path: file, binary, markers, aside } = settlement;
      plan.conflicts.push({ path: file, binary, markers, ...(aside ? { aside } : {}) });
    } else if (settlement.kind === 'kept') plan.kept.push(settlement.path);
    else plan.stayedDeleted.push(settlement.path);
  }
  return { plan, changes };
}
