import { git, type GitRun } from './git.js';

/** git push --porcelain's flag for the ref: = up to date, * new, + forced, ' ' fast-forward, ! rejected. */
export type PushFlag = '=' | '*' | '+' | ' ' | '!';

export interface PushAnswer {
  flag: PushFlag;
  /** git's own words for a rejection (a hook's GH006 is there), already free of the token. */
  stderr: string;
}

/**
 * One commit pushed to one ref, with `--force-with-lease` when a lease is given ('' for "the ref
 * must not exist"). One round trip looks and acts: a rejection is an answer, not an error; a
 * transfer that failed (no answer for the ref) throws, for retryTransfer.
 */
export async function pushRef(run: GitRun, url: string, sha: string, ref: string, lease?: string): Promise<PushAnswer> {
  const args = ['push', '--porcelain', ...(lease === undefined ? [] : [`--force-with-lease=${ref}:${lease}`]), url, `${sha}:${ref}`];
  try {
    return { flag: flagOf(await git(run, args)) ?? '!', stderr: '' };
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    const flag = stdout ? flagOf(stdout) : undefined;
    if (flag !== '!') throw error;
    return { flag, stderr: stderr ?? '' };
  }
}

/** The sha a remote ref points at (ls-remote); undefined when there is none. */
export async function remoteSha(run: GitRun, url: string, ref: string): Promise<string | undefined> {
  const out = await git(run, ['ls-remote', url, ref]);
  return out.split('\t')[0]?.trim() || undefined;
}

function flagOf(porcelain: string): PushFlag | undefined {
  return /^([=*+ !])\t/m.exec(porcelain)?.[1] as PushFlag | undefined;
}
