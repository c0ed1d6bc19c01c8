// What the emulated GitHub holds. Plain data, so tests can read it back through `repos()`.

export interface EmulatedTeam {
  id: number;
  slug: string;
  name: string;
  /** owner/repo → permission */
  repos: Map<string, string>;
}

export interface EmulatedOrg {
  id: number;
  login: string;
  teams: Map<string, EmulatedTeam>;
}

export interface EmulatedUser {
  id: number;
  login: string;
}

export interface EmulatedEnvironment {
  id: number;
  name: string;
  reviewers: Array<{ type: 'User' | 'Team'; id: number }>;
  waitTimer: number;
  variables: Map<string, string>;
  createdAt: string;
}

export interface EmulatedRepo {
  id: number;
  owner: string;
  name: string;
  ownerIsOrg: boolean;
  visibility: 'public' | 'private' | 'internal';
  description: string | null;
  homepage: string | null;
  topics: string[];
  defaultBranch: string;
  createdAt: string;
  /** branch → the protection body last PUT */
  protection: Map<string, Record<string, unknown>>;
  environments: Map<string, EmulatedEnvironment>;
  variables: Map<string, { value: string; createdAt: string; updatedAt: string }>;
  secrets: Map<string, { createdAt: string; updatedAt: string }>;
  collaborators: Map<string, string>;
  /** Merge and feature settings, echoed by GET /repos/{owner}/{repo}. */
  settings: Record<string, unknown>;
  /** Actions settings (workflow access, OIDC subject claim), kept for tests to read. */
  actions: { workflowAccess?: string; oidcSubClaim?: unknown };
  /** The bare repository `git http-backend` serves. */
  gitDir: string;
  /** Pull requests by number (numbered from 1 per repository, as on GitHub). */
  pulls: Map<number, EmulatedPull>;
}

export interface EmulatedPull {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  /** Branches of the same repository (forks are not emulated). */
  head: string;
  base: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface TokenGrant {
  login: string;
  /** Classic token scopes, sent back in X-OAuth-Scopes. */
  scopes: string[];
  /** An App installation token: no X-OAuth-Scopes, no /user. */
  kind?: 'token' | 'app';
}

export class EmulatorState {
  readonly orgs = new Map<string, EmulatedOrg>();
  readonly users = new Map<string, EmulatedUser>();
  readonly repos = new Map<string, EmulatedRepo>();
  readonly tokens = new Map<string, TokenGrant>();
  #nextId = 1000;

  nextId(): number {
    return this.#nextId++;
  }

  addOrg(login: string, teams: Array<{ slug: string; name?: string }> = []): EmulatedOrg {
    const org: EmulatedOrg = { id: this.nextId(), login, teams: new Map() };
    for (const team of teams)
      org.teams.set(team.slug, { id: this.nextId(), slug: team.slug, name: team.name ?? team.slug, repos: new Map() });
    this.orgs.set(login.toLowerCase(), org);
    return org;
  }

  addUser(login: string): EmulatedUser {
    const user = { id: this.nextId(), login };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  org(login: string): EmulatedOrg | undefined {
    return this.orgs.get(login.toLowerCase());
  }

  repo(owner: string, name: string): EmulatedRepo | undefined {
    return this.repos.get(repoKey(owner, name));
  }
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
