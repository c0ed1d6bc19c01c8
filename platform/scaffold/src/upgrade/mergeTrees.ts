import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { diffTrees, type TreeDiffEntry } from './diffTrees.js';
import { repoGit, repoGitText, type GitRepo } from './gitRepo.js';
import { relabelMarkers } from './relabelMarkers.js';

/** One side of a path git could not merge on its own: stage 1 base, 2 ours (the user's), 3 theirs (the template's). */
export interface StageEntry {
  mode: string;
  oid: string;
}

/** How a path that git could not merge is settled. */
export type Settlement =
  /**
   * Both sides changed it: the file holds conflict markers (`markers`), or the user's version (a
   * binary, a symlink). `aside`: the path the file had, when a folder of the other side took it and
   * the file was moved aside (to `<path>~yours` or `<path>~<template>-<version>`), as git does.
   */
  | {
      path: string;
      kind: 'conflict';
      binary: boolean;
      markers: boolean;
      aside?: string;
      stages: Partial<Record<1 | 2 | 3, StageEntry>>;
    }
  /** The template removed it and the user changed it: the user's file stays. */
  | { path: string; kind: 'kept' }
  /** The user deleted it and the template changed it: it stays deleted. */
  | { path: string; kind: 'stayed-deleted' };

export interface MergeResult {
  tree: string;
  settlements: Settlement[];
  /** What differs from "ours" to `tree`, when the merge read it already (the usual upgrade). */
  diffFromOurs?: TreeDiffEntry[];
}

export interface MergeLabels {
  ours: string;
  theirs: string;
  /** The base's label, in `||||||| ` lines (a repository set to merge.conflictStyle diff3 or zdiff3); default "base". */
  base?: string;
}

/**
 * Folders the tool owns (`.idp/`): the new render replaces them whole, never merged, so the
 * provenance they record is exactly the render's.
 */
export const OWNED_FOLDERS = ['.idp/'];
const isOwned = (file: string) => OWNED_FOLDERS.some((folder) => file.startsWith(folder));

/**
 * copier's three-way merge on git's own machinery (merge-ort): base → ours is the user's work,
 * base → theirs the template's. Commits are made only so merge-tree can find the base; nothing
 * references them. Then the rules git leaves to us: a file the user deleted stays deleted, a file
 * the template removed but the user changed is kept, and markers are labelled for people.
 */
export async function mergeTrees(
  repo: GitRepo,
  trees: { base: string; ours: string; theirs: string },
  labels: MergeLabels,
): Promise<MergeResult> {
  const base = await commitTree(repo, trees.base);
  const [ours, theirs] = await Promise.all([commitTree(repo, trees.ours, base), commitTree(repo, trees.theirs, base)]);
  return mergeCommits(repo, { base, ours, theirs, trees }, labels);
}

/** The commits merge-tree merges (ours and theirs on top of base), and the trees of ours and theirs, all by full oid. */
export interface MergeSides {
  base: string;
  ours: string;
  theirs: string;
  trees: { ours: string; theirs: string };
}

/** A commit of `tree` (on `parent`), referenced by nothing: what merge-tree needs to find the base. */
export function commitTree(repo: GitRepo, tree: string, parent?: string): Promise<string> {
  return repoGitText(repo, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'idp upgrade']);
}

/** mergeTrees over commits made already: ours and theirs each on top of base. */
export async function mergeCommits(repo: GitRepo, { base, ours, theirs, trees }: MergeSides, labels: MergeLabels): Promise<MergeResult> {
  const merged = await repoGit(repo, ['merge-tree', '--write-tree', '-z', '--no-messages', ours, theirs], { okCodes: [0, 1] });
  const fields = merged.stdout.toString('utf-8').split('\0');
  const stagesByPath = new Map<string, Partial<Record<1 | 2 | 3, StageEntry>>>();
  for (const field of fields.slice(1)) {
    if (field === '') break;
    const match = /^(\d+) ([0-9a-f]+) ([123])\t(.*)$/s.exec(field);
    if (!match) continue;
    const stages = stagesByPath.get(match[4]!) ?? {};
    stages[Number(match[3]) as 1 | 2 | 3] = { mode: match[1]!, oid: match[2]! };
    stagesByPath.set(match[4]!, stages);
  }
  const settlements: Settlement[] = [];
  for (const [file, stages] of stagesByPath) {
    if (isOwned(file)) continue;
    if (stages[2] && !stages[3] && stages[1]) settlements.push({ path: file, kind: 'kept' });
    else if (stages[3] && !stages[2] && stages[1]) settlements.push({ path: file, kind: 'stayed-deleted' });
    else settlements.push({ path: file, kind: 'conflict', binary: await isBinary(repo, stages[2] ?? stages[3]), markers: false, stages });
  }
  const tree = fields[0]!;
  // The usual upgrade: nothing to settle and the owned folders already as the new render has them.
  // One diff-tree reads both that and what the plan needs.
  if (!settlements.length) {
    const [toTheirs, fromOurs] = await diffTrees(repo, [
      [tree, trees.theirs],
      [trees.ours, tree],
    ]);
    if (!toTheirs!.some((change) => isOwned(change.path))) return { tree, settlements, diffFromOurs: fromOurs! };
  }
  // diff3 and zdiff3 name the base by its abbreviated commit, as `git rev-parse --short` gives it
  // (asked only when there are conflicts: nothing else carries markers).
  const baseShort = settlements.some((s) => s.kind === 'conflict') ? await repoGitText(repo, ['rev-parse', '--short', base]) : '';
  const settled = await settle(repo, tree, theirs, settlements, { ours, theirs, baseShort }, labels);
  return { tree: settled.tree, settlements: settled.settlements.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

// git's own test: a NUL in the first 8000 bytes.
async function isBinary(repo: GitRepo, entry: StageEntry | undefined): Promise<boolean> {
  if (!entry || entry.mode === '120000') return false;
  const content = (await repoGit(repo, ['cat-file', 'blob', entry.oid])).stdout;
  return content.subarray(0, 8000).includes(0);
}

/**
 * The merged tree with stayed-deleted paths removed, conflict markers named after their sides and
 * files git moved aside named after them too; answers the settlements as they now stand.
 */
async function settle(
  repo: GitRepo,
  tree: string,
  theirsTree: string,
  settlements: readonly Settlement[],
  commits: { ours: string; theirs: string; baseShort: string },
  labels: MergeLabels,
): Promise<{ tree: string; settlements: Settlement[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idp-merge-'));
  // Paths are paths here, never globs: a file named `*.md` is that file. Only the scratch index is
  // read and written; a work tree of its own (the scratch folder) lets git do so in a bare clone too.
  const env = { GIT_INDEX_FILE: path.join(dir, 'index'), GIT_LITERAL_PATHSPECS: '1', GIT_DIR: repo.gitDir, GIT_WORK_TREE: dir };
  const git = (args: string[], input?: string | Buffer) => repoGitText(repo, args, { env, input });
  try {
    await git(['read-tree', tree]);
    for (const folder of OWNED_FOLDERS) {
      await git(['rm', '-r', '-q', '-f', '--cached', '--ignore-unmatch', '--', folder]);
      const entries = await repoGitText(repo, ['ls-tree', '-r', theirsTree, '--', folder]);
      if (entries) await git(['update-index', '--index-info'], `${entries}\n`);
    }
    for (const settlement of settlements) {
      if (settlement.kind === 'stayed-deleted') await git(['update-index', '--force-remove', '--', settlement.path]);
    }
    const markers = [
      { from: `<<<<<<< ${commits.ours}`, to: `<<<<<<< ${labels.ours}` },
      { from: `>>>>>>> ${commits.theirs}`, to: `>>>>>>> ${labels.theirs}` },
      { from: `||||||| ${commits.baseShort}`, to: `||||||| ${labels.base ?? 'base'}` },
    ];
    const asideLabels = new Map([
      [commits.ours, pathLabel(labels.ours)],
      [commits.theirs, pathLabel(labels.theirs)],
    ]);
    const settled: Settlement[] = [];
    for (const settlement of settlements) {
      if (settlement.kind !== 'conflict') {
        settled.push(settlement);
        continue;
      }
      const entry = await indexEntry(git, settlement.path);
      if (!entry) {
        // Not in the merged tree (git left nothing at that path): listed, with its stages, as before.
        settled.push(settlement);
        continue;
      }
      const aside = /^(.*)~([0-9a-f]{40,64})$/s.exec(settlement.path);
      if (aside && asideLabels.has(aside[2]!)) {
        // git moved a file aside for a folder of the other side (named after a commit nobody
        // knows). When that folder is gone after settling, the file goes back where it was.
        const original = aside[1]!;
        await git(['update-index', '--force-remove', '--', settlement.path]);
        const taken = (await git(['ls-files', '--', original])) !== '';
        const target = taken ? `${original}~${asideLabels.get(aside[2]!)}` : original;
        await git(['update-index', '--add', '--cacheinfo', `${entry.mode},${entry.oid},${target}`]);
        if (taken) settled.push({ ...settlement, path: target, aside: original });
        continue;
      }
      if (settlement.binary || entry.mode === '120000') {
        settled.push(settlement);
        continue;
      }
      const content = (await repoGit(repo, ['cat-file', 'blob', entry.oid])).stdout;
      const labelled = relabelMarkers(content, markers);
      if (labelled !== content) {
        const oid = await repoGitText(repo, ['hash-object', '-w', '--no-filters', '--stdin'], { input: labelled });
        await git(['update-index', '--cacheinfo', `${entry.mode},${oid},${settlement.path}`]);
      }
      settled.push({ ...settlement, markers: labelled !== content });
    }
    return { tree: await git(['write-tree']), settlements: settled };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The stage-0 entry of a path in the scratch index, if it has one. */
async function indexEntry(git: (args: string[]) => Promise<string>, file: string): Promise<StageEntry | undefined> {
  // The path itself, not what a folder of that name holds.
  for (const line of (await git(['ls-files', '-s', '-z', '--', file])).split('\0')) {
    const match = /^(\d+) ([0-9a-f]+) 0\t(.*)$/s.exec(line);
    if (match && match[3] === file) return { mode: match[1]!, oid: match[2]! };
  }
  return undefined;
}

/** A label as git puts it in a path (`docs~yours`): no spaces or slashes. */
function pathLabel(label: string): string {
  return label.replace(/[^\w.-]+/g, '-');
}
