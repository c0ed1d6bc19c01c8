import type { EmulatedRepo, EmulatorState } from './state.js';

/** A repository as tests read it back: plain data, the settings `idp publish` makes. */
export interface RepoSnapshot {
  fullName: string;
  visibility: string;
  description: string | null;
  topics: string[];
  defaultBranch: string;
  protection: Record<string, Record<string, unknown>>;
  environments: Record<string, { reviewers: Array<{ type: string; id: number }> }>;
  variables: Record<string, string>;
  teams: Record<string, string>;
  collaborators: Record<string, string>;
  pulls: Array<{ number: number; title: string; body: string | null; state: string; draft: boolean; head: string; base: string }>;
  cloneUrl: string;
  gitDir: string;
}

export function snapshotRepo(state: EmulatorState, repo: EmulatedRepo, origin: string): RepoSnapshot {
  const key = `${repo.owner}/${repo.name}`.toLowerCase();
  const teams: Record<string, string> = {};
  for (const team of state.org(repo.owner)?.teams.values() ?? []) {
    const permission = team.repos.get(key);
    if (permission) teams[team.slug] = permission;
  }
  return {
    fullName: `${repo.owner}/${repo.name}`,
    visibility: repo.visibility,
    description: repo.description,
    topics: [...repo.topics],
    defaultBranch: repo.defaultBranch,
    protection: Object.fromEntries(repo.protection),
    environments: Object.fromEntries([...repo.environments].map(([name, env]) => [name, { reviewers: env.reviewers }])),
    variables: Object.fromEntries([...repo.variables].map(([name, v]) => [name, v.value])),
    teams,
    collaborators: Object.fromEntries(repo.collaborators),
    pulls: [...repo.pulls.values()].map(({ number, title, body, state, draft, head, base }) => ({
      number,
      title,
      body,
      state,
      draft,
      head,
      base,
    })),
    cloneUrl: `${origin}/${repo.owner}/${repo.name}.git`,
    gitDir: repo.gitDir,
  };
}
