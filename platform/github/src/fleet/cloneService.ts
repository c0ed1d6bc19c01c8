import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readGitObjects, serviceRecordFrom, serviceRecordNames } from '@idp/scaffold';
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
 * from an earlier run), and the service's record on the default branch. Nothing is checked out:
 * the upgrade merges trees and the push sends a commit of the merged one.
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
    // One git process reads what the steps after this one need: each process costs a fleet run a
    // start per service. The branches were fetched by the clone, so they are the remote's.
    const main = `refs/heads/${repo.defaultBranch}`;
    const upgradeBranch = `refs/heads/${context.branch}`;
    const objects = await readGitObjects(cloning.clone, [main, upgradeBranch, ...serviceRecordNames(main)]);
    const head = objects.get(main)?.oid;
    if (!head) throw new Error(`${repo.fullName} has no ${repo.defaultBranch} branch to upgrade`);
    context.head = head;
    context.record = await serviceRecordFrom(objects, main, `${repo.defaultBranch} of ${repo.fullName}`);
    const branchHead = objects.get(upgradeBranch)?.oid;
    if (branchHead) context.branchHead = branchHead;
    return { status: 'unchanged', detail: `${repo.defaultBranch} at ${head.slice(0, 12)}` };
  },
};
