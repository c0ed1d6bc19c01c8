import { repoGit, type GitRepo } from './gitRepo.js';

/** An object as `git cat-file --batch` prints it: its oid, its type and its content. */
export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

/**
 * Many objects in one `git cat-file --batch`, by any name git resolves (an oid, a ref,
 * `<commit>:<path>`): name → object, undefined for a name that names nothing.
 */
export async function readObjects(repo: GitRepo, names: readonly string[]): Promise<Map<string, GitObject | undefined>> {
  const unique = [...new Set(names)];
  const objects = new Map<string, GitObject | undefined>();
  if (unique.length === 0) return objects;
  const out = (await repoGit(repo, ['cat-file', '--batch'], { input: unique.map((name) => `${name}\n`).join('') })).stdout;
  let at = 0;
  for (const name of unique) {
    const headerEnd = out.indexOf(10, at);
    const header = out.subarray(at, headerEnd).toString('utf-8');
    at = headerEnd + 1;
    // "<name> missing" (or ambiguous): a header alone, no content.
    const [oid, type, size] = header.split(' ');
    if (oid === undefined || type === undefined || size === undefined || !/^\d+$/.test(size)) {
      objects.set(name, undefined);
      continue;
    }
    objects.set(name, { oid, type, content: out.subarray(at, at + Number(size)) });
    at += Number(size) + 1;
  }
  return objects;
}

/** Objects of the bare repository `gitDir` (a clone never checked out), as readObjects reads them. */
export function readGitObjects(gitDir: string, names: readonly string[]): Promise<Map<string, GitObject | undefined>> {
  return readObjects({ workTree: gitDir, folder: '', gitDir, env: {} }, names);
}

/** Many blobs by oid in one `git cat-file --batch`: oid → content. */
export async function readBlobs(repo: GitRepo, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  for (const [oid, object] of await readObjects(repo, oids)) {
    if (object?.type !== 'blob') throw new Error(`git has no blob ${oid}`);
    blobs.set(oid, object.content);
  }
  return blobs;
}
