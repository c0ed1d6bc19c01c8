import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git, type GitRun } from '../git/git.js';
import { retryTransfer } from '../git/retryTransfer.js';
import type { Cloned, RepositoryStep, RepositoryUpgradeContext } from './context.js';

/** The clone for git: a bare repository, the token as an extraHeader (never argv), no user config. */
export function cloneRun(context: RepositoryUpgradeContext & Pick<Cloned, 'clone'>): GitRun {
  return { gitDir: context.clone, token: context.session.token };
}

export function cloneGit(context: RepositoryUpgradeContext & Pick<Cloned, 'clone'>, args: string[]): Promise<string> {
  return git(cloneRun(context), args);
}

/**
 * A fresh bare clone: the default branch and every other branch (the upgrade branch may exist
 * from an earlier run). Nothing is checked out: the upgrade merges trees and the push sends a
 * commit of the merged one.
 */
export const cloneService: RepositoryStep = {
  id: 'clone',
  title: 'Clone the service',
  async run(context) {
    const { repo, session } = context;
    // The context keeps the clone for the steps after this one (Cloned) and for the clean-up.
    const cloning = Object.assign(context, {
      clone: join(await mkdtemp(join(await session.scratchDir(), `${repo.name}-`)), `${repo.name}.git`),
    });
    await retryTransfer(`git clone ${repo.fullName}`, session.gitBackoffMs, session.log, async () => {
      // An attempt cut short leaves a partial clone, which git would refuse to clone over.
      await rm(cloning.clone, { recursive: true, force: true });
      await cloneGit(cloning, ['clone', '--quiet', '--bare', '--no-tags', repo.cloneUrl, cloning.clone]);
    });
    const refs = await cloneGit(cloning, ['for-each-ref', '--format=%(objectname) %(refname:lstrip=2)', 'refs/heads/']);
    context.remoteBranches = new Map(
      refs
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(41), line.slice(0, 40)] as [string, string]),
    );
    const head = context.remoteBranches.get(repo.defaultBranch);
    if (!head) throw new Error(`${repo.fullName} has no ${repo.defaultBranch} branch to upgrade`);
    context.head = head;
    return { status: 'unchanged', detail: `${repo.defaultBranch} at ${head.slice(0, 12)}` };
  },
};
