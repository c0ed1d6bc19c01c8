import { execFileSync } from 'node:child_process';

/** Git for tests: a fixed author, and none of the machine's own configuration. */
export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

/**
 * Runs git synchronously and answers its trimmed output. Not for talking to a server in the same
 * process (the GitHub emulator): that needs the event loop, so use an asynchronous run there.
 */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf-8' }).trim();
}
