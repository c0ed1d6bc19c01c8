import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoGit, repoGitText, type GitRepo } from './gitRepo.js';

/** One side of a path git could not merge on its own: stage 1 base, 2 ours (the user's), 3 theirs (the template's). */
export interface StageEntry {
  mode: string;
  oid: string;
}

/** How a path that git could not merge is settled. */
export type Settlement =
  /** Both sides changed it: the file holds conflict markers (text) or the user's version (binary). */
  | { path: string; kind: 'conflict'; binary: boolean; stages: Partial<Record<1 | 2 | 3, StageEntry>> }
  /** The template removed it and the user changed it: the user's file stays. */
  | { path: string; kind: 'kept' }
  /** The user deleted it and the template changed it: it stays deleted. */
  | { path: string; kind: 'stayed-deleted' };

export interface MergeResult {
  tree: string;
  settlements: Settlement[];
}

export interface MergeLabels {
  ours: string;
  theirs: string;
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
  const commit = (tree: string, parent?: string) =>
    repoGitText(repo, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'idp upgrade']);
  const base = await commit(trees.base);
  const [ours, theirs] = await Promise.all([commit(trees.ours, base), commit(trees.theirs, base)]);
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
    else settlements.push({ path: file, kind: 'conflict', binary: await isBinary(repo, stages[2] ?? stages[3]), stages });
  }
  const tree = await settle(repo, fields[0]!, trees.theirs, settlements, { ours, theirs }, labels);
  return { tree, settlements: settlements.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

// git's own test: a NUL in the first 8000 bytes.
async function isBinary(repo: GitRepo, entry: StageEntry | undefined): Promise<boolean> {
  if (!entry || entry.mode === '120000') return false;
  const content = (await repoGit(repo, ['cat-file', 'blob', entry.oid])).stdout;
  return content.subarray(0, 8000).includes(0);
}

/** The merged tree with stayed-deleted paths removed and conflict markers named after their sides. */
async function settle(
  repo: GitRepo,
  tree: string,
  theirsTree: string,
  settlements: readonly Settlement[],
  commits: { ours: string; theirs: string },
  labels: MergeLabels,
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idp-merge-'));
  const env = { GIT_INDEX_FILE: path.join(dir, 'index') };
  try {
    await repoGitText(repo, ['read-tree', tree], { env });
    for (const folder of OWNED_FOLDERS) {
      await repoGitText(repo, ['rm', '-r', '-q', '-f', '--cached', '--ignore-unmatch', '--', folder], { env });
      const entries = await repoGitText(repo, ['ls-tree', '-r', theirsTree, '--', folder]);
      if (entries) await repoGitText(repo, ['update-index', '--index-info'], { env, input: `${entries}\n` });
    }
    for (const settlement of settlements) {
      if (settlement.kind === 'stayed-deleted') {
        await repoGitText(repo, ['update-index', '--force-remove', '--', settlement.path], { env });
      } else if (settlement.kind === 'conflict' && !settlement.binary) {
        const entry = (await repoGitText(repo, ['ls-files', '-s', '--', settlement.path], { env })).split(/\s+/);
        if (entry.length < 4 || entry[0] === '120000') continue;
        const text = (await repoGit(repo, ['cat-file', 'blob', entry[1]!])).stdout.toString('utf-8');
        const labelled = text
          .split('\n')
          .map((line) =>
            relabel(
              relabel(line, `<<<<<<< ${commits.ours}`, `<<<<<<< ${labels.ours}`),
              `>>>>>>> ${commits.theirs}`,
              `>>>>>>> ${labels.theirs}`,
            ),
          )
          .join('\n');
        const oid = await repoGitText(repo, ['hash-object', '-w', '--stdin'], { input: labelled });
        await repoGitText(repo, ['update-index', '--cacheinfo', `${entry[0]},${oid},${settlement.path}`], { env });
      }
    }
    return await repoGitText(repo, ['write-tree'], { env });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A marker line `<<<<<<< <commit>[:path]` with the commit replaced by a label. */
function relabel(line: string, marker: string, label: string): string {
  return line === marker || line.startsWith(`${marker}:`) ? label + line.slice(marker.length) : line;
}
