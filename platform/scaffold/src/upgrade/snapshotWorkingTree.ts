import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoGitText, type GitRepo } from './gitRepo.js';

/**
 * "Ours": the service as it is on disk, committed or not (untracked files included, ignored ones
 * not), as a tree of its folder; a copy of the index is used so the user's staging is untouched.
 */
export async function snapshotWorkingTree(repo: GitRepo): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idp-ours-'));
  const index = path.join(dir, 'index');
  try {
    await copyFile(path.join(repo.gitDir, 'index'), index).catch(() => {});
    const env = { GIT_INDEX_FILE: index, GIT_LITERAL_PATHSPECS: '1' };
    await repoGitText(repo, ['add', '-A', '--', repo.folder || '.'], { env });
    // The service's folder only: a service in a monorepo folder merges that folder's tree.
    return await repoGitText(repo, ['write-tree', ...(repo.folder ? [`--prefix=${repo.folder}/`] : [])], { env });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
