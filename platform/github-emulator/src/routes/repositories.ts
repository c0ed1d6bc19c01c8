import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { EmulatedRepo } from '../state.js';
import { repoKey } from '../state.js';
import { API_PREFIX, HttpError, notFound, page, repoJson, repoOr404, requireScope, type RouteContext, type RouteHandler } from './http.js';

const run = promisify(execFile);

// Settings publish:github passes at creation, echoed back by GET /repos/{owner}/{repo}.
const SETTING_FIELDS = [
  'has_issues',
  'has_projects',
  'has_wiki',
  'allow_squash_merge',
  'allow_merge_commit',
  'allow_rebase_merge',
  'allow_auto_merge',
  'allow_update_branch',
  'delete_branch_on_merge',
  'squash_merge_commit_title',
  'squash_merge_commit_message',
];

async function createRepo(context: RouteContext, owner: string, ownerIsOrg: boolean) {
  requireScope(context, 'repo');
  const body = context.body;
  const name = String(body.name);
  if (context.state.repo(owner, name)) {
    throw new HttpError(422, 'Repository creation failed.', {
      errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
    });
  }
  const visibility = (body.visibility as EmulatedRepo['visibility'] | undefined) ?? (body.private ? 'private' : 'public');
  const settings: Record<string, unknown> = {};
  for (const field of SETTING_FIELDS) if (body[field] !== undefined) settings[field] = body[field];
  const repo: EmulatedRepo = {
    id: context.state.nextId(),
    owner,
    name,
    ownerIsOrg,
    visibility,
    description: (body.description as string | undefined) ?? null,
    homepage: (body.homepage as string | undefined) ?? null,
    topics: [],
    defaultBranch: 'main',
    createdAt: new Date().toISOString(),
    protection: new Map(),
    environments: new Map(),
    variables: new Map(),
    secrets: new Map(),
    collaborators: new Map(),
    settings,
    actions: {},
    gitDir: await context.createGitDir(owner, name),
    pulls: new Map(),
  };
  context.state.repos.set(repoKey(owner, name), repo);
  return { status: 201, body: repoJson(repo, context.origin) };
}

/** Repositories themselves: create, read, update, topics, refs. */
export const repositoryRoutes: Record<string, RouteHandler> = {
  'repos/create-in-org': (context) => {
    const org = context.state.org(context.params.org ?? '');
    if (!org) throw notFound();
    return createRepo(context, org.login, true);
  },

  'repos/create-for-authenticated-user': (context) => createRepo(context, context.caller.login, false),

  // The organisation's repositories, paginated with Link headers as GitHub does (a fleet run lists them).
  'repos/list-for-org': (context) => {
    const org = context.state.org(context.params.org ?? '');
    if (!org) throw notFound();
    const type = context.query.get('type') ?? 'all';
    const repos = [...context.state.repos.values()]
      .filter((repo) => repo.owner.toLowerCase() === org.login.toLowerCase())
      .filter((repo) => type === 'all' || type === 'sources' || type === 'member' || repo.visibility === type);
    const byName = context.query.get('sort') === 'full_name';
    const direction = context.query.get('direction') ?? (byName ? 'asc' : 'desc');
    repos.sort((a, b) => (byName ? a.name.localeCompare(b.name) : a.id - b.id) * (direction === 'asc' ? 1 : -1));
    return page(
      context,
      `/orgs/${org.login}/repos`,
      repos.map((repo) => repoJson(repo, context.origin)),
    );
  },

  'repos/get': (context) => ({ status: 200, body: repoJson(repoOr404(context), context.origin) }),

  'repos/update': (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const body = context.body;
    if (body.description !== undefined) repo.description = body.description as string;
    if (body.homepage !== undefined) repo.homepage = body.homepage as string;
    if (body.visibility !== undefined) repo.visibility = body.visibility as EmulatedRepo['visibility'];
    else if (body.private !== undefined) repo.visibility = body.private ? 'private' : 'public';
    if (body.default_branch !== undefined) repo.defaultBranch = String(body.default_branch);
    for (const field of SETTING_FIELDS) if (body[field] !== undefined) repo.settings[field] = body[field];
    return { status: 200, body: repoJson(repo, context.origin) };
  },

  'repos/get-all-topics': (context) => ({ status: 200, body: { names: repoOr404(context).topics } }),

  'repos/replace-all-topics': (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    repo.topics = (context.body.names as string[]).map((t) => t.toLowerCase());
    return { status: 200, body: { names: repo.topics } };
  },

  'git/get-ref': async (context) => {
    const repo = repoOr404(context);
    const ref = context.params.ref ?? '';
    const sha = await context.readRef(repo, `refs/${ref}`);
    if (!sha) {
      const anyBranch = await context.readRef(repo, `refs/heads/${repo.defaultBranch}`);
      if (!anyBranch) throw new HttpError(409, 'Git Repository is empty.');
      throw notFound();
    }
    return { status: 200, body: { ref: `refs/${ref}`, node_id: `REF_${sha}`, url: '', object: { sha, type: 'commit', url: '' } } };
  },

  // A commit object (message, parents, tree), read from the bare repository: a fleet run reads its
  // own upgrade commit to tell whether the branch already holds this very upgrade.
  'git/get-commit': async (context) => {
    const repo = repoOr404(context);
    const sha = context.params.commit_sha ?? '';
    if (!/^[0-9a-f]{40}$/.test(sha)) throw notFound();
    const raw = await run('git', ['--git-dir', repo.gitDir, 'cat-file', 'commit', sha]).catch(() => undefined);
    if (!raw) throw notFound();
    const [head = '', ...rest] = raw.stdout.split('\n\n');
    const field = (name: string) =>
      head
        .split('\n')
        .filter((line) => line.startsWith(`${name} `))
        .map((line) => line.slice(name.length + 1));
    const person = (line = '') => {
      const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
      return {
        name: match?.[1] ?? '',
        email: match?.[2] ?? '',
        date: new Date(Number(match?.[3] ?? 0) * 1000).toISOString().replace('.000Z', 'Z'),
      };
    };
    const api = `${context.origin}${API_PREFIX}/repos/${repo.owner}/${repo.name}/git/commits`;
    return {
      status: 200,
      body: {
        sha,
        node_id: `C_${sha}`,
        url: `${api}/${sha}`,
        html_url: `${context.origin}/${repo.owner}/${repo.name}/commit/${sha}`,
        author: person(field('author')[0]),
        committer: person(field('committer')[0]),
        message: rest.join('\n\n').replace(/\n$/, ''),
        tree: { sha: field('tree')[0] ?? '', url: '' },
        parents: field('parent').map((parent) => ({ sha: parent, url: `${api}/${parent}`, html_url: '' })),
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
    };
  },

  'activity/set-repo-subscription': (context) => {
    repoOr404(context);
    return {
      status: 200,
      body: { subscribed: Boolean(context.body.subscribed), ignored: Boolean(context.body.ignored), created_at: new Date().toISOString() },
    };
  },

  'actions/set-workflow-access-to-repository': (context) => {
    requireScope(context, 'repo');
    repoOr404(context).actions.workflowAccess = String(context.body.access_level);
    return { status: 204 };
  },

  'actions/set-custom-oidc-sub-claim-for-repo': (context) => {
    requireScope(context, 'repo');
    repoOr404(context).actions.oidcSubClaim = context.body;
    return { status: 201, body: {} };
  },
};
