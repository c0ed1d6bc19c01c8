import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatedApp } from './auth.js';
import type { EmulatorContext } from './context.js';
import { Faults } from './faults.js';
import { GIT_REQUEST_PATH, handleGitRequest } from './gitRequest.js';
import { protectBranchPattern } from './gitRepos.js';
import { openApiValidator } from './openapiValidator.js';
import type { RecordedRequest } from './requestLog.js';
import { handleRestRequest } from './restRequest.js';
import { API_PREFIX } from './routes/index.js';
import { type RepoSnapshot, snapshotRepo } from './snapshot.js';
import { EmulatorState, type TokenGrant } from './state.js';

export const DEFAULT_EMULATOR_TOKEN = 'emulator-token';

export interface GithubEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** Organisations and their teams. Default: acme with team ml-team. */
  orgs?: Array<{ login: string; teams?: string[] }>;
  /** Plain users (collaborators, reviewers). Default: idp-bot. */
  users?: string[];
  /** Accepted tokens. Default: emulator-token for idp-bot with repo, admin:org and workflow. */
  tokens?: Record<string, TokenGrant>;
  /** Where the bare repositories live. Default: a new temporary directory, removed by stop(). */
  dataDir?: string;
  /** GitHub Apps: an installation token is minted for a JWT the App's key signed. */
  apps?: EmulatedApp[];
}

export interface GithubEmulator {
  /** http://127.0.0.1:PORT — html_url and clone_url start here. */
  url: string;
  /** http://127.0.0.1:PORT/api/v3 — octokit's baseUrl, Backstage's apiBaseUrl. */
  apiBaseUrl: string;
  /** 127.0.0.1:PORT — Backstage's integrations.github[].host and the repoUrl host. */
  host: string;
  /** A token the emulator accepts (the first one configured). */
  token: string;
  state: EmulatorState;
  faults: Faults;
  repos(): RepoSnapshot[];
  requests(): readonly RecordedRequest[];
  /** Requests that did not match GitHub's OpenAPI description, or that the emulator does not serve. */
  violations(): RecordedRequest[];
  /**
   * A branch protection rule by pattern (as made in GitHub's UI or GraphQL; REST protects one
   * existing branch): pushes to a matching branch of `owner/name` are refused with GH006.
   */
  protectBranches(fullName: string, pattern: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A small GitHub Enterprise Server: the REST calls `idp publish` and Backstage's publish:github
 * make, under /api/v3, each checked against GitHub's OpenAPI description (restRequest.ts), and real
 * git over HTTP (`git http-backend`) at /OWNER/REPO.git (gitRequest.ts).
 */
export async function startGithubEmulator(options: GithubEmulatorOptions = {}): Promise<GithubEmulator> {
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'idp-github-emulator-')));
  const state = seedState(options);
  const context: EmulatorContext = {
    state,
    faults: new Faults(),
    validator: openApiValidator(),
    log: [],
    dataDir,
    apps: options.apps ?? [],
    origin: '',
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', context.origin);
    const method = (request.method ?? 'GET').toUpperCase();
    const git = GIT_REQUEST_PATH.exec(url.pathname);
    if (git) return handleGitRequest(context, request, response, method, url, [git[1]!, git[2]!, git[3]!]);
    return handleRestRequest(context, request, response, method, url);
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `emulator error: ${(error as Error).message}` }));
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.hostname ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const host = `${options.hostname ?? '127.0.0.1'}:${address.port}`;
  const origin = `http://${host}`;
  context.origin = origin;

  return {
    url: origin,
    apiBaseUrl: `${origin}${API_PREFIX}`,
    host,
    token: [...state.tokens.keys()][0] ?? '',
    state,
    faults: context.faults,
    repos: () => [...state.repos.values()].map((repo) => snapshotRepo(state, repo, origin)),
    requests: () => context.log,
    violations: () => context.log.filter((r) => r.problems.length > 0),
    protectBranches: async (fullName, pattern) => {
      const [owner = '', name = ''] = fullName.split('/');
      const repo = state.repo(owner, name);
      if (!repo) throw new Error(`the emulator has no repository ${fullName}`);
      await protectBranchPattern(repo.gitDir, pattern);
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The organisations, users and tokens the options name, or the defaults. */
function seedState(options: GithubEmulatorOptions): EmulatorState {
  const state = new EmulatorState();
  for (const org of options.orgs ?? [{ login: 'acme', teams: ['ml-team'] }])
    state.addOrg(
      org.login,
      (org.teams ?? []).map((slug) => ({ slug })),
    );
  for (const user of options.users ?? ['idp-bot']) state.addUser(user);
  for (const [token, grant] of Object.entries(
    options.tokens ?? { [DEFAULT_EMULATOR_TOKEN]: { login: 'idp-bot', scopes: ['repo', 'admin:org', 'workflow'] } },
  )) {
    state.tokens.set(token, grant);
  }
  return state;
}
