import { execFile } from 'node:child_process';
import { gitEnvironment } from '@idp/scaffold';
import { redact } from '../publish/redact.js';

// Fixed identity and time: the same directory always makes the same commit, so a re-run can
// tell "already pushed" from "someone else's content" by comparing one sha. (The sealed git
// environment of @idp/scaffold sets these very values.)
export const COMMIT_AUTHOR = { name: 'idp', email: 'idp@users.noreply.github.com' };
export const COMMIT_DATE = '2000-01-01T00:00:00Z';

export interface GitRun {
  gitDir: string;
  /** None for a bare repository. */
  workTree?: string;
  /** Sent as `Authorization: Basic` to the remote through GIT_CONFIG_* variables: never argv, never a file. */
  token?: string;
}

/**
 * Runs git with nothing from the user's or the system's config but their proxy and CA settings,
 * the token as the only credential, and a token-free error.
 */
export async function git(run: GitRun, args: string[]): Promise<string> {
  const env = await gitEnvironment(
    { GIT_DIR: run.gitDir, ...(run.workTree ? { GIT_WORK_TREE: run.workTree } : {}) },
    {
      userCredentials: false,
      config: run.token
        ? [
            ['http.extraHeader', `Authorization: Basic ${Buffer.from(`x-access-token:${run.token}`).toString('base64')}`],
            // No credential helper may answer instead (or store the token).
            ['credential.helper', ''],
          ]
        : [],
    },
  );
  return new Promise((resolve, reject) => {
    execFile('git', args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        // stdout kept apart: `push --porcelain` reports a rejected ref there.
        reject(
          Object.assign(new Error(redact(`git ${args[0]} failed: ${stderr.trim() || error.message}`, [run.token])), {
            stdout: redact(stdout, [run.token]),
            stderr: redact(stderr, [run.token]),
          }),
        );
        return;
      }
      resolve(stdout);
    });
  });
}
