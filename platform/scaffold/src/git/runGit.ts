import { spawn } from 'node:child_process';

export interface GitOptions {
  /** The directory git runs in (a work tree, or a bare repository). */
  cwd: string;
  /** Bytes for git's standard input. */
  input?: string | Buffer;
  /** Extra environment (e.g. GIT_INDEX_FILE for a scratch index). */
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers rather than failures (merge-tree answers 1 for "conflicts"). */
  okCodes?: readonly number[];
}

export interface GitResult {
  stdout: Buffer;
  code: number;
}

export class GitError extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.name = 'GitError';
    this.code = code;
  }
}

/**
 * Runs git without the user's or the system's configuration, so hooks, aliases, autocrlf or a
 * pager can never change what an upgrade computes; the identity and dates are fixed for the same reason.
 */
export function runGit(args: readonly string[], { cwd, input, env, okCodes = [0] }: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: 'idp',
        GIT_AUTHOR_EMAIL: 'idp@users.noreply.github.com',
        GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z',
        GIT_COMMITTER_NAME: 'idp',
        GIT_COMMITTER_EMAIL: 'idp@users.noreply.github.com',
        GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(`git could not start: ${error.message} (install git)`, -1)));
    child.on('close', (code) => {
      const exit = code ?? -1;
      if (okCodes.includes(exit)) resolve({ stdout: Buffer.concat(out), code: exit });
      else reject(new GitError(`git ${args[0]} failed in ${cwd}: ${Buffer.concat(err).toString('utf-8').trim() || `exit ${exit}`}`, exit));
    });
    child.stdin.on('error', () => {}); // git may exit before reading all input; its exit code tells.
    child.stdin.end(input);
  });
}

/** git's standard output as trimmed text. */
export async function gitText(args: readonly string[], options: GitOptions): Promise<string> {
  return (await runGit(args, options)).stdout.toString('utf-8').trim();
}
