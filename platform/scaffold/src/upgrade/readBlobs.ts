import { repoGit, type GitRepo } from './gitRepo.js';

/**
 * Many blobs in one `git cat-file --batch`, by any name git resolves (an oid, `<commit>:<path>`):
 * name → content, undefined for a name that names no blob.
 */
export async function readObjects(repo: GitRepo, names: readonly string[]): Promise<Map<string, Buffer | undefined>> {
  const unique = [...new Set(names)];
  const blobs = new Map<string, Buffer | undefined>();
  if (unique.length === 0) return blobs;
  const out = (await repoGit(repo, ['cat-file', '--batch'], { input: unique.map((name) => `${name}\n`).join('') })).stdout;
  let at = 0;
  for (const name of unique) {
    const headerEnd = out.indexOf(10, at);
    const header = out.subarray(at, headerEnd).toString('utf-8');
    at = headerEnd + 1;
    // "<name> missing" (or ambiguous): a header alone, no content.
    const [, type, size] = header.split(' ');
    if (size === undefined || !/^\d+$/.test(size)) {
      blobs.set(name, undefined);
      continue;
    }
    blobs.set(name, type === 'blob' ? out.subarray(at, at + Number(size)) : undefined);
    at += Number(size) + 1;
  }
  return blobs;
}

/** Many blobs by oid in one `git cat-file --batch`: oid → content. */
export async function readBlobs(repo: GitRepo, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  for (const [oid, content] of await readObjects(repo, oids)) {
    if (!content) throw new Error(`git has no blob ${oid}`);
    blobs.set(oid, content);
  }
  return blobs;
}
