import { repoGit, type GitRepo } from './gitRepo.js';

/** One path that differs between two trees, as `git diff-tree -r -z --no-renames` reports it. */
export interface TreeDiffEntry {
  path: string;
  /** A (added), D (deleted), M (modified) or T (type changed). */
  status: string;
  newMode: string;
  newOid: string;
}

/**
 * The differences between each pair of trees (by full oid: --stdin takes no other names, and a
 * commit there means "this commit and its parents"), from one `git diff-tree --stdin` however
 * many pairs: one process instead of one per pair.
 */
export async function diffTrees(repo: GitRepo, pairs: ReadonlyArray<readonly [string, string]>): Promise<TreeDiffEntry[][]> {
  const input = pairs.map(([from, to]) => `${from} ${to}\n`).join('');
  const out = (await repoGit(repo, ['diff-tree', '--stdin', '-r', '-z', '--no-renames'], { input })).stdout.toString('utf-8');
  const diffs: TreeDiffEntry[][] = [];
  // Each pair's output: the pair echoed on a line of its own, then per change
  // ":<old mode> <new mode> <old oid> <new oid> <status>" NUL <path> NUL.
  let at = 0;
  while (at < out.length) {
    if (out[at] !== ':') {
      at = out.indexOf('\n', at) + 1;
      diffs.push([]);
      continue;
    }
    const headerEnd = out.indexOf('\0', at);
    const pathEnd = out.indexOf('\0', headerEnd + 1);
    const [, newMode, , newOid, status] = out.slice(at + 1, headerEnd).split(' ');
    diffs.at(-1)!.push({ path: out.slice(headerEnd + 1, pathEnd), status: status!, newMode: newMode!, newOid: newOid! });
    at = pathEnd + 1;
  }
  if (diffs.length !== pairs.length) throw new Error(`git diff-tree --stdin answered ${diffs.length} diffs for ${pairs.length} pairs`);
  return diffs;
}
