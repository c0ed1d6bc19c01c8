import { randomBytes } from 'node:crypto';
import type { EmulatedEnvironment, EmulatedRepo } from '../state.js';
import { API_PREFIX, HttpError, notFound, repoOr404, requireScope, type RouteContext, type RouteHandler } from './http.js';

// One fixed key pair id per emulator process: secrets are never decrypted here, only recorded.
const PUBLIC_KEY = { key_id: '568250167242549743', key: randomBytes(32).toString('base64') };

async function branchOr404(context: RouteContext, repo: EmulatedRepo): Promise<string> {
  const branch = context.params.branch ?? '';
  if (!(await context.readRef(repo, `refs/heads/${branch}`))) throw new HttpError(404, 'Branch not found');
  return branch;
}

function protectionJson(body: Record<string, unknown>): Record<string, unknown> {
  const checks = body.required_status_checks as { strict: boolean; contexts: string[] } | null;
  const reviews = body.required_pull_request_reviews as Record<string, unknown> | null;
  const enabled = (value: unknown) => ({ enabled: Boolean(value) });
  return {
    ...(checks
      ? {
          required_status_checks: {
            strict: checks.strict,
            contexts: checks.contexts,
            checks: checks.contexts.map((context) => ({ context, app_id: null })),
          },
        }
      : {}),
    ...(reviews
      ? {
          required_pull_request_reviews: {
            dismiss_stale_reviews: Boolean(reviews.dismiss_stale_reviews),
            require_code_owner_reviews: Boolean(reviews.require_code_owner_reviews),
            required_approving_review_count: Number(reviews.required_approving_review_count ?? 0),
            require_last_push_approval: Boolean(reviews.require_last_push_approval),
          },
        }
      : {}),
    enforce_admins: enabled(body.enforce_admins),
    required_linear_history: enabled(body.required_linear_history),
    allow_force_pushes: enabled(body.allow_force_pushes),
    allow_deletions: enabled(body.allow_deletions),
    required_conversation_resolution: enabled(body.required_conversation_resolution),
    required_signatures: enabled(body.required_signatures),
  };
}

function environmentOr404(context: RouteContext, repo: EmulatedRepo): EmulatedEnvironment {
  const environment = repo.environments.get(context.params.environment_name ?? '');
  if (!environment) throw notFound();
  return environment;
}

function environmentJson(context: RouteContext, environment: EmulatedEnvironment): Record<string, unknown> {
  const org = context.state.org(context.params.owner ?? '');
  const reviewers = environment.reviewers.map((r) => {
    const team = r.type === 'Team' ? [...(org?.teams.values() ?? [])].find((t) => t.id === r.id) : undefined;
    const user = r.type === 'User' ? [...context.state.users.values()].find((u) => u.id === r.id) : undefined;
    return { type: r.type, reviewer: team ? { id: team.id, slug: team.slug, name: team.name } : { id: r.id, login: user?.login } };
  });
  return {
    id: environment.id,
    node_id: `EN_${environment.id}`,
    name: environment.name,
    created_at: environment.createdAt,
    updated_at: environment.createdAt,
    protection_rules: [
      ...(environment.waitTimer ? [{ id: environment.id + 1, type: 'wait_timer', wait_timer: environment.waitTimer }] : []),
      ...(reviewers.length ? [{ id: environment.id + 2, type: 'required_reviewers', prevent_self_review: false, reviewers }] : []),
    ],
  };
}

function variableJson(name: string, variable: { value: string; createdAt: string; updatedAt: string }) {
  return { name, value: variable.value, created_at: variable.createdAt, updated_at: variable.updatedAt };
}

/** Branch protection, environments, Actions variables and secrets. */
export const settingsRoutes: Record<string, RouteHandler> = {
  'repos/get-branch-protection': async (context) => {
    const repo = repoOr404(context);
    const branch = await branchOr404(context, repo);
    const protection = repo.protection.get(branch);
    if (!protection) throw new HttpError(404, 'Branch not protected');
    return { status: 200, body: protectionJson(protection) };
  },

  'repos/update-branch-protection': async (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const branch = await branchOr404(context, repo);
    const previous = repo.protection.get(branch);
    repo.protection.set(branch, { ...context.body, required_signatures: previous?.required_signatures ?? false });
    return { status: 200, body: protectionJson(repo.protection.get(branch)!) };
  },

  'repos/create-commit-signature-protection': async (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const branch = await branchOr404(context, repo);
    const protection = repo.protection.get(branch);
    if (!protection) throw new HttpError(404, 'Branch not protected');
    protection.required_signatures = true;
    return { status: 200, body: { enabled: true } };
  },

  'repos/get-environment': (context) => {
    const repo = repoOr404(context);
    return { status: 200, body: environmentJson(context, environmentOr404(context, repo)) };
  },

  'repos/create-or-update-environment': (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const name = context.params.environment_name ?? '';
    const reviewers = (context.body.reviewers as EmulatedEnvironment['reviewers'] | null | undefined) ?? [];
    const org = context.state.org(repo.owner);
    for (const reviewer of reviewers) {
      const known =
        reviewer.type === 'Team'
          ? [...(org?.teams.values() ?? [])].some((t) => t.id === reviewer.id)
          : [...context.state.users.values()].some((u) => u.id === reviewer.id);
      if (!known) throw new HttpError(422, `Reviewer ${reviewer.type} ${reviewer.id} does not exist`);
    }
    const existing = repo.environments.get(name);
    const environment: EmulatedEnvironment = {
      id: existing?.id ?? context.state.nextId(),
      name,
      reviewers,
      waitTimer: Number(context.body.wait_timer ?? 0),
      variables: existing?.variables ?? new Map(),
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    repo.environments.set(name, environment);
    return { status: 200, body: environmentJson(context, environment) };
  },

  'repos/create-deployment-branch-policy': (context) => {
    requireScope(context, 'repo');
    environmentOr404(context, repoOr404(context));
    return { status: 200, body: { id: context.state.nextId(), name: context.body.name, type: context.body.type ?? 'branch' } };
  },

  'actions/list-repo-variables': (context) => {
    const repo = repoOr404(context);
    const all = [...repo.variables].map(([name, v]) => variableJson(name, v));
    // GitHub pages variables 10 by default, at most 30, and links the next page.
    const perPage = Math.min(Number(context.query.get('per_page') ?? 10), 30);
    const page = Number(context.query.get('page') ?? 1);
    const variables = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      headers.link = `<${context.origin}${API_PREFIX}/repos/${repo.owner}/${repo.name}/actions/variables?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    }
    return { status: 200, body: { total_count: all.length, variables }, headers };
  },

  'actions/get-repo-variable': (context) => {
    const repo = repoOr404(context);
    const name = (context.params.name ?? '').toUpperCase();
    const variable = repo.variables.get(name);
    if (!variable) throw notFound();
    return { status: 200, body: variableJson(name, variable) };
  },

  'actions/create-repo-variable': (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const name = String(context.body.name).toUpperCase();
    if (repo.variables.has(name)) throw new HttpError(409, 'Already exists - Variable already exists');
    const now = new Date().toISOString();
    repo.variables.set(name, { value: String(context.body.value), createdAt: now, updatedAt: now });
    return { status: 201, body: {} };
  },

  'actions/update-repo-variable': (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const name = (context.params.name ?? '').toUpperCase();
    const variable = repo.variables.get(name);
    if (!variable) throw notFound();
    if (context.body.value !== undefined) variable.value = String(context.body.value);
    variable.updatedAt = new Date().toISOString();
    return { status: 204 };
  },

  'actions/create-environment-variable': (context) => {
    requireScope(context, 'repo');
    const environment = environmentOr404(context, repoOr404(context));
    const name = String(context.body.name).toUpperCase();
    if (environment.variables.has(name)) throw new HttpError(409, 'Already exists - Variable already exists');
    environment.variables.set(name, String(context.body.value));
    return { status: 201, body: {} };
  },

  'actions/get-repo-public-key': (context) => {
    repoOr404(context);
    return { status: 200, body: PUBLIC_KEY };
  },

  'actions/get-environment-public-key': (context) => {
    environmentOr404(context, repoOr404(context));
    return { status: 200, body: PUBLIC_KEY };
  },

  'actions/create-or-update-repo-secret': (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const name = (context.params.secret_name ?? '').toUpperCase();
    const now = new Date().toISOString();
    const existed = repo.secrets.has(name);
    repo.secrets.set(name, { createdAt: repo.secrets.get(name)?.createdAt ?? now, updatedAt: now });
    return existed ? { status: 204 } : { status: 201, body: {} };
  },

  'actions/create-or-update-environment-secret': (context) => {
    requireScope(context, 'repo');
    environmentOr404(context, repoOr404(context));
    return { status: 201, body: {} };
  },
};
