import { httpStatus, lookUp, type PublishContext, type PublishStep } from './context.js';

async function findRepo({ github, plan }: PublishContext) {
  return lookUp(() => github.rest.repos.get({ owner: plan.org, repo: plan.repo }));
}

/**
 * Creates the repository empty (no auto-init: the first commit is ours). Settings of an existing
 * repository are left for `configureRepository`, after the push step has checked the content is ours.
 */
export const createRepository: PublishStep = {
  id: 'repository',
  title: 'Create the repository',
  async run(context) {
    const { github, plan } = context;
    const existing = await findRepo(context);
    if (existing) {
      context.repo = { cloneUrl: existing.clone_url, htmlUrl: existing.html_url, exists: true };
      return { status: 'unchanged', detail: `${existing.full_name} exists` };
    }
    if (context.dryRun) {
      context.repo = { cloneUrl: '', htmlUrl: `https://${plan.host}/${plan.org}/${plan.repo}`, exists: false };
      return { status: 'planned', detail: `would create ${plan.visibility} ${plan.org}/${plan.repo}` };
    }
    try {
      const { data } = await github.rest.repos.createInOrg({
        org: plan.org,
        name: plan.repo,
        description: plan.description,
        // octokit's types follow api.github.com; GitHub Enterprise also takes `internal`.
        visibility: plan.visibility as 'private',
        auto_init: false,
        has_wiki: false,
        delete_branch_on_merge: true,
      });
      context.repo = { cloneUrl: data.clone_url, htmlUrl: data.html_url, exists: true };
      return { status: 'created', detail: `created ${data.full_name}` };
    } catch (error) {
      // An earlier attempt may have created it and lost the answer (a dropped connection, a 5xx
      // after the write): the name is taken by our own repository, so look again.
      if (httpStatus(error) !== 422) throw error;
      const created = await findRepo(context);
      if (!created) throw error;
      context.repo = { cloneUrl: created.clone_url, htmlUrl: created.html_url, exists: true };
      return { status: 'unchanged', detail: `${created.full_name} exists` };
    }
  },
};
