import { HttpError, notFound, repoOr404, requireScope, type RouteContext, type RouteHandler } from './http.js';

const PERMISSION_RANK = ['pull', 'triage', 'push', 'maintain', 'admin'];

function teamOr404(context: RouteContext) {
  const team = context.state.org(context.params.org ?? '')?.teams.get(context.params.team_slug ?? '');
  if (!team) throw notFound();
  return team;
}

function teamJson(team: { id: number; slug: string; name: string }, org: string, permission?: string) {
  return {
    id: team.id,
    node_id: `T_${team.id}`,
    slug: team.slug,
    name: team.name,
    organization: { login: org },
    ...(permission ? { permission } : {}),
  };
}

/** Users, organisations and teams: who owns what, and who may touch a repository. */
export const orgAndUserRoutes: Record<string, RouteHandler> = {
  'users/get-authenticated': ({ caller, state }) => {
    if (caller.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
    return { status: 200, body: { login: caller.login, id: state.users.get(caller.login.toLowerCase())?.id ?? 1, type: 'User' } };
  },

  'users/get-by-username': ({ params, state }) => {
    const org = state.org(params.username ?? '');
    if (org) return { status: 200, body: { login: org.login, id: org.id, type: 'Organization' } };
    const user = state.users.get((params.username ?? '').toLowerCase());
    if (user) return { status: 200, body: { login: user.login, id: user.id, type: 'User' } };
    throw notFound();
  },

  'orgs/get': ({ params, state }) => {
    const org = state.org(params.org ?? '');
    if (!org) throw notFound();
    return { status: 200, body: { login: org.login, id: org.id, type: 'Organization' } };
  },

  'teams/get-by-name': (context) => ({ status: 200, body: teamJson(teamOr404(context), context.params.org!) }),

  'teams/check-permissions-for-repo-in-org': (context) => {
    const team = teamOr404(context);
    const permission = team.repos.get(`${context.params.owner}/${context.params.repo}`.toLowerCase());
    if (!permission) throw notFound();
    return { status: 204 };
  },

  'teams/add-or-update-repo-permissions-in-org': (context) => {
    requireScope(context, 'repo');
    const team = teamOr404(context);
    const repo = repoOr404(context);
    const permission = String(context.body.permission ?? 'push');
    team.repos.set(`${repo.owner}/${repo.name}`.toLowerCase(), permission);
    return { status: 204 };
  },

  'repos/list-teams': (context) => {
    const repo = repoOr404(context);
    const org = context.state.org(repo.owner);
    const key = `${repo.owner}/${repo.name}`.toLowerCase();
    const teams = [...(org?.teams.values() ?? [])]
      .filter((team) => team.repos.has(key))
      .map((team) => teamJson(team, repo.owner, team.repos.get(key)));
    return { status: 200, body: teams };
  },

  'repos/check-collaborator': (context) => {
    const repo = repoOr404(context);
    if (!repo.collaborators.has((context.params.username ?? '').toLowerCase())) throw notFound();
    return { status: 204 };
  },

  'repos/add-collaborator': (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const username = (context.params.username ?? '').toLowerCase();
    if (!context.state.users.has(username))
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Repository', field: 'username', code: 'invalid' }] });
    const permission = String(context.body.permission ?? 'push');
    if (!PERMISSION_RANK.includes(permission))
      throw new HttpError(422, `permission ${permission} is not one of ${PERMISSION_RANK.join(', ')}`);
    const existed = repo.collaborators.has(username);
    repo.collaborators.set(username, permission);
    // GitHub answers 201 with an invitation for a new collaborator, 204 for an existing one.
    return existed
      ? { status: 204 }
      : { status: 201, body: { id: context.state.nextId(), permissions: permission, invitee: { login: username } } };
  },
};
