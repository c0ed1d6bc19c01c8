import { repoGit, type GitRepo } from './gitRepo.js';

/** Many blobs in one `git cat-file --batch`: oid → content. */
export async function readBlobs(repo: GitRepo, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const out = (await repoGit(repo, ['cat-file', '--batch'], { input: unique.map((oid) => `${oid}\n`).join('') })).stdout;
  let at = 0;
  for (const oid of unique) {
    const headerEnd = out.indexOf(10, at);
    const [, type, size] = out.subarray(at, headerEnd).toString('utf-8').split(' ');
    if (type !== 'blob') throw new Error(`git has no blob ${oid}`);
    const start = headerEnd + 1;
    blobs.set(oid, out.subarray(start, start + Number(size)));
    at = start + Number(size) + 1;
  }
  return blobs;
}
