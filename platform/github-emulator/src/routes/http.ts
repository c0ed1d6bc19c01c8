import type { EmulatedRepo, EmulatorState, TokenGrant } from '../state.js';

/** The GitHub Enterprise REST prefix every route serves under: apiBaseUrl = origin + API_PREFIX. */
export const API_PREFIX = '/api/v3';

/** What a REST handler gets: the matched operation's parameters and the caller. */
export interface RouteContext {
  state: EmulatorState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  caller: TokenGrant;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The request's Accept header ('' when absent): some operations answer in the media type asked for. */
  accept: string;
  /** Creates the bare git repository a new repo is served from; returns its directory. */
  createGitDir(owner: string, name: string): Promise<string>;
  /** The sha a branch points at in a repo's bare git directory, undefined when unborn. */
  readRef(repo: EmulatedRepo, ref: string): Promise<string | undefined>;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (context: RouteContext) => RouteResult | Promise<RouteResult>;

/** A GitHub-shaped error response. */
export class HttpError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
    this.headers = headers;
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');

/** Writes need the classic `repo` scope, as on GitHub. */
export function requireScope(context: RouteContext, scope: string): void {
  if (!context.caller.scopes.includes(scope)) {
    throw new HttpError(403, 'Resource not accessible by personal access token', {}, { 'x-accepted-oauth-scopes': scope });
  }
}

export function repoOr404(context: RouteContext): EmulatedRepo {
  const repo = context.state.repo(context.params.owner ?? '', context.params.repo ?? '');
  if (!repo) throw notFound();
  return repo;
}

export function repoJson(repo: EmulatedRepo, origin: string): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: fullName,
    owner: { login: repo.owner, type: repo.ownerIsOrg ? 'Organization' : 'User' },
    private: repo.visibility !== 'public',
    visibility: repo.visibility,
    description: repo.description,
    homepage: repo.homepage,
    topics: repo.topics,
    default_branch: repo.defaultBranch,
    html_url: `${origin}/${fullName}`,
    url: `${origin}${API_PREFIX}/repos/${fullName}`,
    clone_url: `${origin}/${fullName}.git`,
    archive_url: `${origin}${API_PREFIX}/repos/${fullName}/{archive_format}{/ref}`,
    trees_url: `${origin}${API_PREFIX}/repos/${fullName}/git/trees{/sha}`,
    created_at: repo.createdAt,
    ...repo.settings,
  };
}

/**
 * One page of a list (`per_page`, default 30, at most 100; `page` from 1) with GitHub's Link header,
 * so octokit's paginate() follows it as it does on GitHub.
 */
export function page(context: RouteContext, path: string, items: readonly unknown[]): RouteResult {
  const perPage = Math.min(100, Math.max(1, Number(context.query.get('per_page') ?? 30) || 30));
  const current = Math.max(1, Number(context.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(context.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${context.origin}${API_PREFIX}${path}?${query}>; rel="${rel}"`;
  };
  const links = [
    ...(current < last ? [link(current + 1, 'next'), link(last, 'last')] : []),
    ...(current > 1 ? [link(1, 'first'), link(current - 1, 'prev')] : []),
  ];
  return {
    status: 200,
    body: items.slice((current - 1) * perPage, current * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}
