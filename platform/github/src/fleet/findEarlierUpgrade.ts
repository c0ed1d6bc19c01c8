import { COMMIT_AUTHOR } from '../git/git.js';
import type { RepositoryStep } from './context.js';
import { pullsFromBranch } from './pullsFromBranch.js';
import { FINGERPRINT_TRAILER, upgradeFingerprint } from './upgradeFingerprint.js';

/**
 * Looks on GitHub, before cloning anything, for an open upgrade pull request whose head is idp's
 * commit of this very upgrade: made on today's default branch from the same template commit and
 * contract. Then there is nothing to do, and a re-run costs three API reads per repository instead
 * of a clone and a merge. The branch's pull requests, open and closed, are kept for the pull-request
 * step: one listing serves both.
 */
export const findEarlierUpgrade: RepositoryStep = {
  id: 'look',
  title: 'Look for this upgrade on GitHub',
  async run(context) {
    const { github } = context.session;
    const { repo, branch } = context;
    context.pulls = await pullsFromBranch(context);
    const open = context.pulls.find((pull) => pull.state === 'open');
    if (!open) return { status: 'unchanged', detail: `no open pull request from ${branch}` };
    const [fingerprint, { data: main }, { data: head }] = await Promise.all([
      upgradeFingerprint(context.status, context.contract),
      github.rest.git.getRef({ owner: repo.owner, repo: repo.name, ref: `heads/${repo.defaultBranch}` }),
      github.rest.git.getCommit({ owner: repo.owner, repo: repo.name, commit_sha: open.head.sha }),
    ]);
    const recorded = new RegExp(`^${FINGERPRINT_TRAILER}: (.+)$`, 'm').exec(head.message)?.[1];
    const same =
      recorded === fingerprint &&
      head.author.email === COMMIT_AUTHOR.email &&
      head.parents.length === 1 &&
      head.parents[0]!.sha === main.object.sha;
    if (!same) return { status: 'unchanged', detail: `#${open.number} holds an earlier upgrade (or commits of its own): upgrading` };
    context.pull = { number: open.number, url: open.html_url, draft: Boolean(open.draft) };
    context.commit = head.sha;
    context.stop = {
      status: 'unchanged',
      detail: `#${open.number} holds this upgrade already (${branch} at ${head.sha.slice(0, 12)} on ${repo.defaultBranch} ${main.object.sha.slice(0, 12)}): ${open.html_url}`,
    };
    return context.stop;
  },
};
