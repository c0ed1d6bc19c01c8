import { execFile } from 'node:child_process';
import { redact } from './redact.js';

// Fixed identity and time: the same directory always makes the same commit, so a re-run can
// tell "already pushed" from "someone else's content" by comparing one sha.
export const COMMIT_AUTHOR = { name: 'idp', email: 'idp@users.noreply.github.com' };
export const COMMIT_DATE = '2000-01-01T00:00:00Z';

export interface GitRun {
  gitDir: string;
  workTree: string;
  /** Sent as `Authorization: Basic` to the remote through GIT_CONFIG_* variables: never argv, never a file. */
  token?: string;
}

/** Runs git with nothing from the user's or the system's config, and a token-free error. */
export function git(run: GitRun, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_DIR: run.gitDir,
    GIT_WORK_TREE: run.workTree,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: COMMIT_AUTHOR.name,
    GIT_AUTHOR_EMAIL: COMMIT_AUTHOR.email,
    GIT_AUTHOR_DATE: COMMIT_DATE,
    GIT_COMMITTER_NAME: COMMIT_AUTHOR.name,
    GIT_COMMITTER_EMAIL: COMMIT_AUTHOR.email,
    GIT_COMMITTER_DATE: COMMIT_DATE,
  };
  if (run.token) {
    env.GIT_CONFIG_COUNT = '2';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${Buffer.from(`x-access-token:${run.token}`).toString('base64')}`;
    // No credential helper may answer instead (or store the token).
    env.GIT_CONFIG_KEY_1 = 'credential.helper';
    env.GIT_CONFIG_VALUE_1 = '';
  }
  return new Promise((resolve, reject) => {
    execFile('git', args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        // stdout kept apart: `push --porcelain` reports a rejected ref there.
        reject(
          Object.assign(new Error(redact(`git ${args[0]} failed: ${stderr.trim() || error.message}`, [run.token])), {
            stdout: redact(stdout, [run.token]),
          }),
        );
        return;
      }
      resolve(stdout);
    });
  });
}
