import path from 'node:path';
import { gitText, runGit, type GitOptions, type GitResult } from '../git/runGit.js';

/** A service's git repository, and where this upgrade's objects go (a scratch store for a dry run). */
export interface GitRepo {
  /** The repository's top level, where git runs. */
  readonly workTree: string;
  /** The service's folder in it, posix, '' at the top level (a service in a monorepo folder otherwise). */
  readonly folder: string;
  readonly gitDir: string;
  /** Extra environment for every call: GIT_OBJECT_DIRECTORY and its alternate for a dry run. */
  readonly env: NodeJS.ProcessEnv;
}

/** git in the repository with this run's object store; `env` adds to it (a scratch index, say). */
export function repoGit(repo: GitRepo, args: readonly string[], options: Omit<GitOptions, 'cwd'> = {}): Promise<GitResult> {
  return runGit(args, { ...options, cwd: repo.workTree, env: { ...repo.env, ...options.env } });
}

export function repoGitText(repo: GitRepo, args: readonly string[], options: Omit<GitOptions, 'cwd'> = {}): Promise<string> {
  return gitText(args, { ...options, cwd: repo.workTree, env: { ...repo.env, ...options.env } });
}

/** Objects written to a scratch directory, reading the repository's own through an alternate. */
export function scratchObjects(gitDir: string, scratchDir: string): NodeJS.ProcessEnv {
  return { GIT_OBJECT_DIRECTORY: scratchDir, GIT_ALTERNATE_OBJECT_DIRECTORIES: path.join(gitDir, 'objects') };
}

/** Where a service's file is on disk (`file` relative to the service's folder). */
export function serviceFile(workTree: string, folder: string, file = ''): string {
  return path.join(workTree, ...folder.split('/'), file);
}

/** A service-relative path as the index names it (relative to the top level). */
export function indexPath(folder: string, file: string): string {
  return folder ? `${folder}/${file}` : file;
}
