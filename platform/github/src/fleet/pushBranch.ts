import { COMMIT_AUTHOR } from '../git/git.js';
import { pushRef, remoteSha, type PushAnswer } from '../git/pushRef.js';
import { retryTransfer } from '../git/retryTransfer.js';
import { cloneGit, cloneRun } from './cloneService.js';
import type { RepositoryStep, RepositoryUpgradeContext, Upgraded } from './context.js';
import { FINGERPRINT_TRAILER, upgradeFingerprint } from './upgradeFingerprint.js';

/** The commit message: the same upgrade always says the same thing, so it makes the same commit. */
async function commitMessage(context: RepositoryUpgradeContext & Upgraded): Promise<string> {
  const { upgrade } = context;
  const conflicts = upgrade.outcome.plan.conflicts.map((c) => c.path);
  const title = `Upgrade ${upgrade.record.template} ${upgrade.record.templateVersion} → ${upgrade.version}`;
  const body = conflicts.length
    ? `Conflicts to resolve (committed with their <<<<<<< yours / >>>>>>> markers):\n${conflicts.map((p) => `- ${p}`).join('\n')}\n\n`
    : '';
  // The trailer lets the next run recognise this upgrade without cloning (findEarlierUpgrade).
  return `${title}\n\n${body}${FINGERPRINT_TRAILER}: ${await upgradeFingerprint(context.status, context.contract)}\n`;
}

/**
 * Commits the merged tree on top of the default branch with a fixed author and date, and pushes
 * it to the upgrade branch. The same main and template commit make the same sha, so a re-run finds
 * the branch as it left it and pushes nothing. An earlier idp upgrade on the branch is replaced
 * (with a lease); commits by anyone else are never overwritten.
 */
export const pushBranch: RepositoryStep<Upgraded> = {
  id: 'push',
  title: 'Push the upgrade branch',
  async run(context) {
    const { branch, repo, session } = context;
    const current = context.branchHead;
    // Looked at before a dry run answers, so it says what the real run does.
    if (current) {
      const others = await otherAuthors(context, current);
      if (others.length) {
        context.stop = {
          status: 'skipped',
          detail: `${branch} holds commits by ${others.join(', ')}: left as it is (merge or close its pull request, or delete the branch, then run again)`,
        };
        return context.stop;
      }
    }
    if (context.dryRun)
      return {
        status: 'planned',
        detail: `would push the upgrade to ${branch} (${current ? `now at ${current.slice(0, 12)}` : 'a new branch'})`,
      };
    const tree = context.upgrade.outcome.tree;
    const sha = (await cloneGit(context, ['commit-tree', tree, '-p', context.head, '-m', await commitMessage(context)])).trim();
    context.commit = sha;
    if (current === sha) return { status: 'unchanged', detail: `${branch} is at ${sha.slice(0, 12)}` };
    const ref = `refs/heads/${branch}`;
    return retryTransfer(`git push ${repo.fullName} ${branch}`, session.gitBackoffMs, session.log, async () => {
      const { flag, stderr } = await pushRef(cloneRun(context), repo.cloneUrl, sha, ref, current ?? '').catch(
        (error: Error): PushAnswer => {
          if (PROTECTED_BRANCH.test(error.message)) return { flag: '!', stderr: error.message };
          throw error;
        },
      );
      if (flag === '=') return { status: 'unchanged' as const, detail: `${branch} is at ${sha.slice(0, 12)}` };
      if (flag === '*') return { status: 'created' as const, detail: `pushed ${sha.slice(0, 12)} to ${branch}` };
      if (flag === '+' || flag === ' ') return { status: 'updated' as const, detail: `moved ${branch} to ${sha.slice(0, 12)}` };
      // A rule protecting the branch answers the same on every attempt: not retried, not a failure.
      if (PROTECTED_BRANCH.test(stderr)) {
        context.stop = {
          status: 'skipped',
          detail: `${branch} is a protected branch of ${repo.fullName} (GitHub refused the push: GH006): let idp's token push to idp/* branches, or lift the rule, then run again`,
        };
        return context.stop;
      }
      // Rejected: an earlier attempt whose answer was lost may have landed; otherwise someone pushed meanwhile.
      const now = await remoteSha(cloneRun(context), repo.cloneUrl, ref);
      if (now === sha)
        return { status: current ? ('updated' as const) : ('created' as const), detail: `pushed ${sha.slice(0, 12)} to ${branch}` };
      throw new Error(`${branch} of ${repo.fullName} moved to ${now?.slice(0, 12) ?? 'nothing'} while it was being upgraded: run again`);
    });
  },
};

// GitHub's answer to a push a branch protection rule or ruleset forbids (GH006, GH013).
const PROTECTED_BRANCH = /\bGH0(06|13)\b|protected branch hook declined/i;

/** Who besides idp wrote the commits the branch has over the default branch. */
async function otherAuthors(context: RepositoryUpgradeContext & Upgraded, current: string): Promise<string[]> {
  const base = `refs/heads/${context.repo.defaultBranch}`;
  const authors = (await cloneGit(context, ['log', '--format=%ae', `${base}..${current}`])).split('\n').filter(Boolean);
  return [...new Set(authors.filter((email) => email !== COMMIT_AUTHOR.email))];
}
