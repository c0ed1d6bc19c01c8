import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../publish/git.js';
import type { Cloned, RepositoryStep, RepositoryUpgradeContext } from './context.js';
import { retryTransfer } from './retryTransfer.js';

/** git for the clone: its own .git, the token as an extraHeader (never argv), no user config. */
export function cloneGit(context: RepositoryUpgradeContext & Pick<Cloned, 'workTree'>, args: string[]): Promise<string> {
  const { workTree } = context;
  return git({ gitDir: join(workTree, '.git'), workTree, token: context.session.token }, args);
}

/**
 * Fetches the default branch and every other branch (the upgrade branch may exist from an earlier
 * run) into a fresh temporary clone, and checks out the default branch.
 */
export const cloneService: RepositoryStep = {
  id: 'clone',
  title: 'Clone the service',
  async run(context) {
    const { repo, session } = context;
    // The context keeps the clone for the steps after this one (Cloned) and for the clean-up.
    const cloning = Object.assign(context, { workTree: join(await mkdtemp(join(await session.scratchDir(), `${repo.name}-`)), repo.name) });
    await mkdir(cloning.workTree);
    await cloneGit(cloning, ['init', '--quiet', `--initial-branch=${repo.defaultBranch}`]);
    await retryTransfer(`git fetch ${repo.fullName}`, session.gitBackoffMs, session.log, () =>
      cloneGit(cloning, ['fetch', '--quiet', '--no-tags', repo.cloneUrl, '+refs/heads/*:refs/remotes/origin/*']),
    );
    const refs = await cloneGit(cloning, ['for-each-ref', '--format=%(objectname) %(refname:lstrip=3)', 'refs/remotes/origin/']);
    context.remoteBranches = new Map(
      refs
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(41), line.slice(0, 40)] as [string, string]),
    );
    const head = context.remoteBranches.get(repo.defaultBranch);
    if (!head) throw new Error(`${repo.fullName} has no ${repo.defaultBranch} branch to upgrade`);
    await cloneGit(cloning, ['checkout', '--quiet', '-B', repo.defaultBranch, head]);
    return { status: 'unchanged', detail: `${repo.defaultBranch} at ${head.slice(0, 12)}` };
  },
};
