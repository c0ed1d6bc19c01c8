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
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idp-render-'));
  try {
    for (const entry of entries) {
      const target = path.join(dir, entry.path);
      if (entry.kind === 'dir') await mkdir(target, { recursive: true });
      else {
        await mkdir(path.dirname(target), { recursive: true });
        if (entry.kind === 'symlink') await symlink(entry.linkTarget, target);
        else await writeFile(target, entry.content, { mode: entry.mode });
      }
    }
    const env = { GIT_INDEX_FILE: path.join(dir, '.idp-index'), GIT_WORK_TREE: dir, GIT_DIR: repo.gitDir };
    await repoGitText(repo, ['add', '-A', '-f', '--', '.', ':(exclude).idp-index'], { env });
    return await repoGitText(repo, ['write-tree'], { env });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
