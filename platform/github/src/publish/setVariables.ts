import { lookUp, requireRepo, type PublishStep } from './context.js';

/** The repository variables the workflows read, from the platform contract. */
export const setVariables: PublishStep = {
  id: 'variables',
  title: 'Set the repository variables',
  async run(context) {
    const { github, plan } = context;
    const names = Object.keys(plan.variables);
    if (!requireRepo(context).exists) return { status: 'planned', detail: `would set ${names.join(', ')}` };
    const created: string[] = [];
    const updated: string[] = [];
    for (const [name, value] of Object.entries(plan.variables)) {
      const current = await lookUp(() => github.rest.actions.getRepoVariable({ owner: plan.org, repo: plan.repo, name }));
      if (current?.value === value) continue;
      (current ? updated : created).push(name);
      if (context.dryRun) continue;
      if (current) await github.rest.actions.updateRepoVariable({ owner: plan.org, repo: plan.repo, name, value });
      else await github.rest.actions.createRepoVariable({ owner: plan.org, repo: plan.repo, name, value });
    }
    const changed = [...created.map((n) => `+${n}`), ...updated.map((n) => `~${n}`)];
    if (!changed.length) return { status: 'unchanged', detail: `${names.length} variables match the contract` };
    if (context.dryRun) return { status: 'planned', detail: `would set ${changed.join(', ')}` };
    return { status: updated.length ? 'updated' : 'created', detail: `set ${changed.join(', ')}` };
  },
};
