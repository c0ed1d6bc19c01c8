import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RenderedEntry } from '../renderTemplate.js';
import { repoGitText, type GitRepo } from './gitRepo.js';

/**
 * A rendered template as a git tree in the service's repository: written to a scratch folder and
 * added with a scratch index, so git decides modes, symlinks and binaries as it does for the
 * service's own files. `-f`: a render's own .gitignore must not hide its files.
 */
export async function treeFromEntries(repo: GitRepo, entries: readonly RenderedEntry[]): Promise<string> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'idp-render-'));
  // The index beside the render, not in it: git add would take the index's own .lock file along.
  const dir = path.join(scratch, 'render');
  try {
    await mkdir(dir);
    for (const entry of entries) {
      const target = path.join(dir, entry.path);
      if (entry.kind === 'dir') await mkdir(target, { recursive: true });
      else {
        await mkdir(path.dirname(target), { recursive: true });
        if (entry.kind === 'symlink') await symlink(entry.linkTarget, target);
        else await writeFile(target, entry.content, { mode: entry.mode });
      }
    }
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index'), GIT_WORK_TREE: dir, GIT_DIR: repo.gitDir };
    await repoGitText(repo, ['add', '-A', '-f', '--', '.'], { env });
    return await repoGitText(repo, ['write-tree'], { env });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
