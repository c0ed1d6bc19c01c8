import { ENVIRONMENTS } from '@idp/service-spec';
import { lookUp, requireRepo, type PublishStep } from './context.js';
import { findOwnerTeam } from './findOwnerTeam.js';

/** staging and production; production deploys wait for a reviewer from the owner team. */
export const createEnvironments: PublishStep = {
  id: 'environments',
  title: 'Create the staging and production environments',
  async run(context) {
    const { github, plan } = context;
    const team = await findOwnerTeam(context);
    const exists = requireRepo(context).exists;
    const done: string[] = [];
    const planned: string[] = [];
    for (const name of ENVIRONMENTS) {
      const reviewers = name === 'production' && team ? [{ type: 'Team' as const, id: team.id }] : [];
      const current = exists
        ? await lookUp(() => github.rest.repos.getEnvironment({ owner: plan.org, repo: plan.repo, environment_name: name }))
        : undefined;
      const currentReviewers = (current?.protection_rules ?? [])
        .flatMap((rule) => ('reviewers' in rule && rule.reviewers ? rule.reviewers : []))
        .map((r) => `${r.type}:${(r.reviewer as { id?: number } | undefined)?.id}`)
        .sort();
      const wantedReviewers = reviewers.map((r) => `${r.type}:${r.id}`).sort();
      if (current && currentReviewers.join(',') === wantedReviewers.join(',')) continue;
      const what = `${name}${reviewers.length ? ` (reviewers: team ${team!.slug})` : ''}`;
      if (context.dryRun || !exists) {
        planned.push(what);
        continue;
      }
      await github.rest.repos.createOrUpdateEnvironment({ owner: plan.org, repo: plan.repo, environment_name: name, reviewers });
      done.push(what);
    }
    const note =
      plan.owner.kind === 'group' && !team
        ? `; no GitHub team "${plan.owner.name}" in ${plan.org}, so production has no required reviewers`
        : '';
    if (planned.length) return { status: 'planned', detail: `would create or update ${planned.join(', ')}${note}` };
    if (done.length) return { status: 'updated', detail: `created or updated ${done.join(', ')}${note}` };
    return { status: 'unchanged', detail: `${ENVIRONMENTS.join(' and ')} are set${note}` };
  },
};
