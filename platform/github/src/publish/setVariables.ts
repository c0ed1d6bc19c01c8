import { httpStatus, requireRepo, type PublishStep } from './context.js';

/** The repository variables the workflows read, from the platform contract. */
export const setVariables: PublishStep = {
  id: 'variables',
  title: 'Set the repository variables',
  async run(context) {
    const { github, plan } = context;
    const names = Object.keys(plan.variables);
    if (!requireRepo(context).exists) return { status: 'planned', detail: `would set ${names.join(', ')}` };
    // One listing instead of a read per variable: fewer calls against the rate limit.
    const existing = new Map<string, string>();
    for await (const page of github.paginate.iterator(github.rest.actions.listRepoVariables, {
      owner: plan.org,
      repo: plan.repo,
      per_page: 30,
    })) {
      for (const variable of page.data) existing.set(variable.name.toUpperCase(), variable.value);
    }
    const created: string[] = [];
    const updated: string[] = [];
    for (const [name, value] of Object.entries(plan.variables)) {
      const current = existing.get(name);
      if (current === value) continue;
      (current === undefined ? created : updated).push(name);
      if (context.dryRun) continue;
      if (current === undefined) {
        try {
          await github.rest.actions.createRepoVariable({ owner: plan.org, repo: plan.repo, name, value });
          continue;
        } catch (error) {
          // 409: an earlier attempt created it and lost the answer; set its value instead.
          if (httpStatus(error) !== 409) throw error;
        }
      }
      await github.rest.actions.updateRepoVariable({ owner: plan.org, repo: plan.repo, name, value });
    }
    const changed = [...created.map((n) => `+${n}`), ...updated.map((n) => `~${n}`)];
    if (!changed.length) return { status: 'unchanged', detail: `${names.length} variables match the contract` };
    if (context.dryRun) return { status: 'planned', detail: `would set ${changed.join(', ')}` };
    return { status: updated.length ? 'updated' : 'created', detail: `set ${changed.join(', ')}` };
  },
};
