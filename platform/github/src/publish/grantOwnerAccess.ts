import { httpStatus, requireRepo, type PublishStep } from './context.js';
import { findOwnerTeam } from './findOwnerTeam.js';

/** The owner maintains the repository: publish:github's `access` grants admin too. */
export const OWNER_PERMISSION = 'admin';

/** The owner team (or user) gets admin on the repository. */
export const grantOwnerAccess: PublishStep = {
  id: 'access-grant',
  title: 'Grant the owner access',
  async run(context) {
    const { github, plan } = context;
    const exists = requireRepo(context).exists;
    if (plan.owner.kind === 'user') {
      const username = plan.owner.name;
      if (exists) {
        try {
          await github.rest.repos.checkCollaborator({ owner: plan.org, repo: plan.repo, username });
          return { status: 'unchanged', detail: `${username} is a collaborator` };
        } catch (error) {
          if (httpStatus(error) !== 404) throw error;
        }
      }
      if (context.dryRun || !exists) return { status: 'planned', detail: `would add ${username} as ${OWNER_PERMISSION}` };
      await github.rest.repos.addCollaborator({ owner: plan.org, repo: plan.repo, username, permission: OWNER_PERMISSION });
      return { status: 'created', detail: `invited ${username} as ${OWNER_PERMISSION}` };
    }
    const team = await findOwnerTeam(context);
    if (!team)
      return { status: 'skipped', detail: `no GitHub team "${plan.owner.name}" in ${plan.org}; create it and run again to grant access` };
    if (exists) {
      const { data: teams } = await github.rest.repos.listTeams({ owner: plan.org, repo: plan.repo, per_page: 100 });
      const current = teams.find((t) => t.slug === team.slug);
      if (current?.permission === OWNER_PERMISSION) return { status: 'unchanged', detail: `team ${team.slug} has ${OWNER_PERMISSION}` };
    }
    if (context.dryRun || !exists) return { status: 'planned', detail: `would grant team ${team.slug} ${OWNER_PERMISSION}` };
    await github.rest.teams.addOrUpdateRepoPermissionsInOrg({
      org: plan.org,
      team_slug: team.slug,
      owner: plan.org,
      repo: plan.repo,
      permission: OWNER_PERMISSION,
    });
    return { status: 'created', detail: `granted team ${team.slug} ${OWNER_PERMISSION}` };
  },
};
