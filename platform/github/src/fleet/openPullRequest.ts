import { httpStatus } from '../publish/context.js';
import type { RepositoryStep, RepositoryUpgradeContext, Upgraded } from './context.js';
import { pullRequestBody, type PullRequestText } from './pullRequestBody.js';
import { type PullData, pullsFromBranch } from './pullsFromBranch.js';

async function pullRequestText(context: RepositoryUpgradeContext & Upgraded): Promise<PullRequestText> {
  const { upgrade } = context;
  const { status, session } = context;
  const versions = status.behind?.versions ?? [];
  const changelog =
    status.source && status.templatePath && status.target
      ? await session.sources.changelog(status.source, status.templatePath, status.target.commit, versions).catch(() => undefined)
      : undefined;
  return pullRequestBody({
    service: status.service,
    template: upgrade.record.template,
    from: upgrade.record.templateVersion,
    to: upgrade.version,
    source: upgrade.provenance.repository,
    templatePath: upgrade.provenance.path,
    commit: upgrade.provenance.commit,
    branch: context.branch,
    plan: upgrade.outcome.plan,
    ...(changelog ? { changelog } : {}),
  });
}

/**
 * One pull request per repository and template: the open one from the upgrade branch is found and
 * its title and body brought up to date; only when there is none is one opened (a draft when
 * conflicts remain). A create whose answer was lost shows up as 422 "already exists" and is found.
 */
export const openPullRequest: RepositoryStep<Upgraded> = {
  id: 'pull-request',
  title: 'Open or update the pull request',
  async run(context) {
    const { repo } = context;
    const { github } = context.session;
    const text = await pullRequestText(context);
    const conflicts = context.upgrade.outcome.plan.conflicts.length;
    const update = async (pull: PullData) => {
      context.pull = { number: pull.number, url: pull.html_url, draft: Boolean(pull.draft) };
      if (pull.title === text.title && (pull.body ?? '') === text.body)
        return { status: 'unchanged' as const, detail: `#${pull.number} is up to date: ${pull.html_url}` };
      if (context.dryRun) return { status: 'planned' as const, detail: `would update #${pull.number}: ${pull.html_url}` };
      await github.rest.pulls.update({ owner: repo.owner, repo: repo.name, pull_number: pull.number, title: text.title, body: text.body });
      // The REST API cannot take a pull request out of draft (GraphQL's markPullRequestReadyForReview can): say so.
      const ready = pull.draft && conflicts === 0 ? '; no conflicts remain: mark it ready for review' : '';
      return { status: 'updated' as const, detail: `updated #${pull.number}: ${pull.html_url}${ready}` };
    };
    // As the look before the clone found them: a push does not open or close any.
    const { pulls } = context;
    const open = pulls.find((pull) => pull.state === 'open');
    if (open) return update(open);
    const declined = pulls.find((pull) => pull.state === 'closed' && context.commit && pull.head.sha === context.commit);
    if (declined)
      return {
        status: 'skipped',
        detail: `#${declined.number} offered this very upgrade and was closed without merging: reopen it, or delete ${context.branch} to be offered it again`,
      };
    if (context.dryRun) return { status: 'planned', detail: `would open a ${conflicts ? 'draft ' : ''}pull request "${text.title}"` };
    try {
      const { data } = await github.rest.pulls.create({
        owner: repo.owner,
        repo: repo.name,
        title: text.title,
        body: text.body,
        head: context.branch,
        base: repo.defaultBranch,
        draft: conflicts > 0,
      });
      context.pull = { number: data.number, url: data.html_url, draft: Boolean(data.draft) };
      return { status: 'created', detail: `opened #${data.number}: ${data.html_url}` };
    } catch (error) {
      if (
        httpStatus(error) !== 422 ||
        !/already exists/i.test(JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? ''))
      )
        throw error;
      const found = (await pullsFromBranch(context)).find((pull) => pull.state === 'open');
      if (!found) throw error;
      // Opened by this very step: an earlier attempt whose answer was lost.
      const result = await update(found);
      return { status: 'created', detail: `opened #${found.number}: ${found.html_url} (${result.detail.split(':')[0]})` };
    }
  },
};
