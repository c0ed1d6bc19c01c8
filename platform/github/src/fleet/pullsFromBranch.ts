import type { RepositoryUpgradeContext } from './context.js';

/** What the fleet reads of a pull request. */
export interface PullData {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body: string | null;
  draft?: boolean;
  head: { sha: string };
}

/** Pull requests from the upgrade branch (open and closed), newest first. */
export async function pullsFromBranch(context: RepositoryUpgradeContext): Promise<PullData[]> {
  const { github } = context.session;
  const { repo } = context;
  return (await github.paginate(github.rest.pulls.list, {
    owner: repo.owner,
    repo: repo.name,
    state: 'all',
    head: `${repo.owner}:${context.branch}`,
    per_page: 100,
  })) as PullData[];
}
