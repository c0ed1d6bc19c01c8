import { lookUp, type PublishContext } from './context.js';

/** The GitHub team an owner group maps to (same slug), or null; looked up once per run. */
export async function findOwnerTeam(context: PublishContext): Promise<{ id: number; slug: string } | null> {
  if (context.ownerTeam !== undefined) return context.ownerTeam;
  const { plan, github } = context;
  if (plan.owner.kind !== 'group') {
    context.ownerTeam = null;
    return null;
  }
  const team = await lookUp(() => github.rest.teams.getByName({ org: plan.org, team_slug: plan.owner.name }));
  context.ownerTeam = team ? { id: team.id, slug: team.slug } : null;
  return context.ownerTeam;
}
