import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { EmulatedPull, EmulatedRepo } from '../state.js';
import { API_PREFIX, HttpError, notFound, page, repoJson, repoOr404, requireScope, type RouteContext, type RouteHandler } from './http.js';

const run = promisify(execFile);

/** GitHub's 422 for a pull request it refuses, with the reason in `errors` as GitHub words it. */
function invalid(message: string, field?: string): HttpError {
  return new HttpError(422, 'Validation Failed', {
    errors: [{ resource: 'PullRequest', code: field ? 'invalid' : 'custom', ...(field ? { field } : {}), message }],
  });
}

/** `owner:branch` or `branch` (a branch of this repository; forks are not emulated). */
function branchName(repo: EmulatedRepo, head: string): string | undefined {
  const colon = head.indexOf(':');
  if (colon < 0) return head;
  return head.slice(0, colon).toLowerCase() === repo.owner.toLowerCase() ? head.slice(colon + 1) : undefined;
}

async function pullJson(context: RouteContext, repo: EmulatedRepo, pull: EmulatedPull) {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${context.origin}${API_PREFIX}/repos/${fullName}/pulls/${pull.number}`;
  const side = async (branch: string) => ({
    label: `${repo.owner}:${branch}`,
    ref: branch,
    sha: (await context.readRef(repo, `refs/heads/${branch}`)) ?? '0'.repeat(40),
    user: { login: repo.owner },
    repo: repoJson(repo, context.origin),
  });
  return {
    url: api,
    id: repo.id * 10_000 + pull.number,
    node_id: `PR_${repo.id}_${pull.number}`,
    html_url: `${context.origin}/${fullName}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    draft: pull.draft,
    user: { login: pull.user },
    head: await side(pull.head),
    base: await side(pull.base),
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.state === 'closed' ? pull.updatedAt : null,
    merged_at: null,
    merged: false,
  };
}

function pullOr404(context: RouteContext, repo: EmulatedRepo): EmulatedPull {
  const pull = repo.pulls.get(Number(context.params.pull_number));
  if (!pull) throw notFound();
  return pull;
}

/** Does `head` hold a commit `base` does not? (GitHub refuses a pull request without one.) */
async function hasNewCommits(gitDir: string, head: string, base: string): Promise<boolean> {
  if (head === base) return false;
  const ancestor = await run('git', ['--git-dir', gitDir, 'merge-base', '--is-ancestor', head, base]).then(
    () => true,
    () => false,
  );
  return !ancestor;
}

/** Pull requests between branches of one repository: list, create, read, update. */
export const pullRoutes: Record<string, RouteHandler> = {
  'pulls/list': async (context) => {
    const repo = repoOr404(context);
    const state = context.query.get('state') ?? 'open';
    const head = context.query.get('head');
    const base = context.query.get('base');
    const headBranch = head ? branchName(repo, head) : undefined;
    const pulls = [...repo.pulls.values()]
      .filter((pull) => state === 'all' || pull.state === state)
      .filter((pull) => !head || pull.head === headBranch)
      .filter((pull) => !base || pull.base === base)
      .sort((a, b) => (context.query.get('direction') === 'asc' ? a.number - b.number : b.number - a.number));
    const items = await Promise.all(pulls.map((pull) => pullJson(context, repo, pull)));
    return page(context, `/repos/${repo.owner}/${repo.name}/pulls`, items);
  },

  'pulls/create': async (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const head = branchName(repo, String(context.body.head));
    const base = String(context.body.base);
    if (context.body.issue !== undefined) throw invalid('the emulator does not turn issues into pull requests', 'issue');
    if (context.body.title === undefined) throw invalid('title is required', 'title');
    const headSha = head ? await context.readRef(repo, `refs/heads/${head}`) : undefined;
    if (!headSha) throw invalid(`head ${String(context.body.head)} is not a branch of ${repo.owner}/${repo.name}`, 'head');
    const baseSha = await context.readRef(repo, `refs/heads/${base}`);
    if (!baseSha) throw invalid(`base ${base} is not a branch of ${repo.owner}/${repo.name}`, 'base');
    if ([...repo.pulls.values()].some((p) => p.state === 'open' && p.head === head && p.base === base)) {
      throw invalid(`A pull request already exists for ${repo.owner}:${head}.`);
    }
    if (!(await hasNewCommits(repo.gitDir, headSha, baseSha))) throw invalid(`No commits between ${base} and ${head}`);
    const now = new Date().toISOString();
    const pull: EmulatedPull = {
      number: repo.pulls.size + 1,
      title: String(context.body.title),
      body: (context.body.body as string | undefined) ?? null,
      state: 'open',
      draft: Boolean(context.body.draft),
      head: head!,
      base,
      user: context.caller.login,
      createdAt: now,
      updatedAt: now,
    };
    repo.pulls.set(pull.number, pull);
    return { status: 201, body: await pullJson(context, repo, pull) };
  },

  'pulls/get': async (context) => {
    const repo = repoOr404(context);
    return { status: 200, body: await pullJson(context, repo, pullOr404(context, repo)) };
  },

  'pulls/update': async (context) => {
    requireScope(context, 'repo');
    const repo = repoOr404(context);
    const pull = pullOr404(context, repo);
    const body = context.body;
    if (body.base !== undefined && !(await context.readRef(repo, `refs/heads/${String(body.base)}`)))
      throw invalid(`base ${String(body.base)} is not a branch`, 'base');
    if (
      body.state === 'open' &&
      pull.state === 'closed' &&
      [...repo.pulls.values()].some((p) => p.state === 'open' && p.head === pull.head && p.base === pull.base)
    ) {
      throw invalid(`A pull request already exists for ${repo.owner}:${pull.head}.`);
    }
    if (body.title !== undefined) pull.title = String(body.title);
    if (body.body !== undefined) pull.body = body.body as string | null;
    if (body.state !== undefined) pull.state = body.state as EmulatedPull['state'];
    if (body.base !== undefined) pull.base = String(body.base);
    pull.updatedAt = new Date().toISOString();
    return { status: 200, body: await pullJson(context, repo, pull) };
  },
};
