import { execFile } from 'node:child_process';
import { randomBytes, verify } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Faults, type FaultKind } from './faults.js';
import { serveGit, type ResponseSink } from './gitBackend.js';
import { openApiValidator } from './openapiValidator.js';
import { HttpError, type RouteContext, type RouteHandler, type RouteResult } from './routes/http.js';
import { orgAndUserRoutes } from './routes/orgsAndUsers.js';
import { repositoryRoutes } from './routes/repositories.js';
import { settingsRoutes } from './routes/settings.js';
import { contentsRoutes } from './routes/contents.js';
import { pullRoutes } from './routes/pulls.js';
import { EmulatorState, type EmulatedRepo, type TokenGrant } from './state.js';

const run = promisify(execFile);

/** The GitHub Enterprise REST prefix: apiBaseUrl = origin + API_PREFIX. */
export const API_PREFIX = '/api/v3';
export const DEFAULT_EMULATOR_TOKEN = 'emulator-token';

const ROUTES: Record<string, RouteHandler> = {
  ...orgAndUserRoutes,
  ...repositoryRoutes,
  ...settingsRoutes,
  ...contentsRoutes,
  ...pullRoutes,
};

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

export interface EmulatedApp {
  appId: string;
  /** The App's public key (PEM), to check its JWTs. */
  publicKey: string;
  /** installation id → what its tokens may do (scopes stand in for App permissions). */
  installations: Record<string, { scopes?: string[] }>;
}

/** One request the emulator received, with what the OpenAPI description said about it. */
export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  /** Where the request broke GitHub's OpenAPI description; empty when it matched. */
  problems: string[];
  fault?: FaultKind;
}

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
  stop(): Promise<void>;
}

/**
 * A small GitHub Enterprise Server: the REST calls `idp publish` and Backstage's publish:github
 * make, under /api/v3, each checked against GitHub's OpenAPI description, and real git over HTTP
 * (`git http-backend`) at /OWNER/REPO.git.
 */
export async function startGithubEmulator(options: GithubEmulatorOptions = {}): Promise<GithubEmulator> {
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'idp-github-emulator-')));
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
  const validator = openApiValidator();
  const faults = new Faults();
  const log: RecordedRequest[] = [];
  let origin = '';

  const createGitDir = async (owner: string, name: string) => {
    const gitDir = join(dataDir, owner.toLowerCase(), `${name.toLowerCase()}.git`);
    await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
    // Written directly rather than with `git config`: one process less per repository.
    await appendFile(join(gitDir, 'config'), '[http]\n\treceivepack = true\n');
    return gitDir;
  };
  const readRef = (repo: EmulatedRepo, ref: string) => readGitRef(repo.gitDir, ref);

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `emulator error: ${(error as Error).message}` }));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', origin);
    const method = (request.method ?? 'GET').toUpperCase();
    const gitMatch = /^\/([^/]+)\/([^/]+?)\.git(\/.*)$/.exec(url.pathname);
    if (gitMatch) return handleGit(request, response, method, url, gitMatch[1]!, gitMatch[2]!, gitMatch[3]!);
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      return send(response, { status: 404, body: { message: 'Not Found' } });
    }
    const path = url.pathname.slice(API_PREFIX.length);
    const raw = await readBody(request);
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      return record(
        response,
        { method, path, status: 400, problems: ['the request body is not JSON'] },
        { status: 400, body: { message: 'Problems parsing JSON' } },
      );
    }
    const check = validator.check(method, path, url.searchParams, body);
    const operationId = check.operation?.operationId;
    const entry: RecordedRequest = { method, path, ...(operationId ? { operationId } : {}), status: 0, problems: [...check.problems] };

    if (operationId === 'apps/create-installation-access-token' && !check.problems.length) {
      return record(response, entry, mintInstallationToken(check.operation!.params.installation_id ?? '', request.headers.authorization));
    }
    const caller = authenticate(request.headers.authorization);
    if (!caller)
      return record(response, entry, {
        status: 401,
        body: { message: request.headers.authorization ? 'Bad credentials' : 'Requires authentication' },
      });

    const fault = faults.take({ method, path, ...(operationId ? { operationId } : {}) });
    if (fault) entry.fault = fault.kind;
    if (fault && (await beforeFault(fault, response, entry))) return;

    let result: RouteResult;
    if (check.problems.length) {
      result = { status: 422, body: { message: `Invalid request.\n\n${check.problems.join('\n')}` } };
    } else {
      const handler = operationId ? ROUTES[operationId] : undefined;
      if (!handler) {
        entry.problems.push(`the emulator does not serve ${operationId} (${method} ${check.operation?.template})`);
        result = { status: 501, body: { message: `Not implemented by the emulator: ${operationId}` } };
      } else {
        const context: RouteContext = {
          state,
          params: check.operation!.params,
          query: url.searchParams,
          body: (body ?? {}) as Record<string, unknown>,
          caller,
          origin,
          accept: String(request.headers.accept ?? ''),
          createGitDir,
          readRef,
        };
        result = await runHandler(handler, context);
      }
    }
    if (fault?.kind === 'drop-after') {
      entry.status = -1;
      log.push(entry);
      response.socket?.destroy();
      return;
    }
    if (fault?.kind === 'server-error-after') result = { status: 500, body: { message: 'Server Error' } };
    const scopes: Record<string, string> = caller.kind === 'app' ? {} : { 'x-oauth-scopes': caller.scopes.join(', ') };
    return record(response, entry, { ...result, headers: { ...result.headers, ...scopes } });
  }

  async function handleGit(
    request: IncomingMessage,
    response: ServerResponse,
    method: string,
    url: URL,
    owner: string,
    name: string,
    rest: string,
  ) {
    const path = url.pathname;
    const entry: RecordedRequest = { method, path, status: 0, problems: [] };
    const caller = authenticate(request.headers.authorization);
    if (!caller) {
      entry.status = 401;
      log.push(entry);
      response.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' });
      return void response.end('Authentication required');
    }
    const repo = state.repo(owner, name);
    if (!repo) {
      entry.status = 404;
      log.push(entry);
      response.writeHead(404, { 'content-type': 'text/plain' });
      return void response.end('Repository not found.');
    }
    const pushing = rest === '/git-receive-pack' || url.searchParams.get('service') === 'git-receive-pack';
    if (pushing && !caller.scopes.includes('repo')) {
      entry.status = 403;
      log.push(entry);
      response.writeHead(403, { 'content-type': 'text/plain' });
      return void response.end(`Permission to ${repo.owner}/${repo.name}.git denied to ${caller.login}.`);
    }
    const fault = faults.take({ method, path });
    if (fault) entry.fault = fault.kind;
    if (fault && (await beforeFault(fault, response, entry))) return;
    const pathInfo = `/${relative(dataDir, repo.gitDir)}${rest}`;
    if (fault?.kind === 'drop-after' || fault?.kind === 'server-error-after') {
      await serveGit(request, nullSink(), dataDir, pathInfo, caller.login);
      entry.status = fault.kind === 'drop-after' ? -1 : 500;
      log.push(entry);
      if (fault.kind === 'drop-after') return void response.socket?.destroy();
      response.writeHead(500, { 'content-type': 'text/plain' });
      return void response.end('Server Error');
    }
    await serveGit(request, response, dataDir, pathInfo, caller.login);
    entry.status = response.statusCode;
    log.push(entry);
  }

  /** Applies a fault that acts before the request is handled; true when the response is done. */
  async function beforeFault(
    fault: NonNullable<ReturnType<Faults['take']>>,
    response: ServerResponse,
    entry: RecordedRequest,
  ): Promise<boolean> {
    const retryAfter = String(fault.retryAfterSeconds);
    switch (fault.kind) {
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return false;
      case 'drop':
        entry.status = -1;
        log.push(entry);
        response.socket?.destroy();
        return true;
      case 'server-error':
        record(response, entry, { status: 502, body: { message: 'Server Error' } });
        return true;
      case 'rate-limit':
        record(response, entry, { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': retryAfter } });
        return true;
      case 'secondary-rate-limit':
        record(response, entry, {
          status: 403,
          body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
          headers: { 'retry-after': retryAfter },
        });
        return true;
      case 'primary-rate-limit':
        record(response, entry, {
          status: 403,
          body: { message: 'API rate limit exceeded for user.' },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + fault.retryAfterSeconds) },
        });
        return true;
      default:
        return false;
    }
  }

  /** POST /app/installations/{id}/access_tokens: checks the App's RS256 JWT, mints a token. */
  function mintInstallationToken(installationId: string, header: string | undefined): RouteResult {
    const jwt = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
    const [head, payload, signature] = jwt.split('.');
    let claims: { iss?: unknown; exp?: number } = {};
    try {
      claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as typeof claims;
    } catch {
      // not a JWT: refused below
    }
    const app = (options.apps ?? []).find((a) => a.appId === String(claims.iss));
    const signed =
      app && head && signature && verify('sha256', Buffer.from(`${head}.${payload}`), app.publicKey, Buffer.from(signature, 'base64url'));
    if (!app || !signed || !claims.exp || claims.exp < Date.now() / 1000) {
      return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
    }
    const installation = app.installations[installationId];
    if (!installation) return { status: 404, body: { message: 'Not Found' } };
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    state.tokens.set(token, { login: `app-${app.appId}[bot]`, scopes: installation.scopes ?? ['repo', 'admin:org'], kind: 'app' });
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: { administration: 'write', contents: 'write' },
      },
    };
  }

  function authenticate(header: string | undefined): TokenGrant | undefined {
    if (!header) return undefined;
    const [scheme, value = ''] = header.split(' ', 2);
    let token = value;
    if (scheme?.toLowerCase() === 'basic') token = Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':');
    return state.tokens.get(token);
  }

  function record(response: ServerResponse, entry: RecordedRequest, result: RouteResult) {
    entry.status = result.status;
    log.push(entry);
    send(response, result);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.hostname ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const host = `${options.hostname ?? '127.0.0.1'}:${address.port}`;
  origin = `http://${host}`;

  return {
    url: origin,
    apiBaseUrl: `${origin}${API_PREFIX}`,
    host,
    token: [...state.tokens.keys()][0] ?? '',
    state,
    faults,
    repos: () => [...state.repos.values()].map((repo) => snapshot(state, repo, origin)),
    requests: () => log,
    violations: () => log.filter((r) => r.problems.length > 0),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The sha a ref points at, read from the bare repository's files (a loose ref, else packed-refs):
 * the emulator reads refs on many requests, and a git process each time would dominate tests.
 */
async function readGitRef(gitDir: string, ref: string): Promise<string | undefined> {
  const loose = await readFile(join(gitDir, ref), 'utf8').catch(() => undefined);
  if (loose !== undefined) {
    const value = loose.trim();
    if (value.startsWith('ref: ')) return readGitRef(gitDir, value.slice(5));
    return /^[0-9a-f]{40}$/.test(value) ? value : undefined;
  }
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && sha && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return undefined;
}

async function runHandler(handler: RouteHandler, context: RouteContext): Promise<RouteResult> {
  try {
    return await handler(context);
  } catch (error) {
    if (error instanceof HttpError) {
      return {
        status: error.status,
        body: { message: error.message, ...error.extra, documentation_url: 'https://docs.github.com/enterprise-server@3.19/rest' },
        headers: error.headers,
      };
    }
    throw error;
  }
}

function send(response: ServerResponse, result: RouteResult) {
  const headers: Record<string, string> = { 'x-github-enterprise-version': '3.19.0', 'x-ratelimit-remaining': '4999', ...result.headers };
  if (result.body === undefined) {
    response.writeHead(result.status, headers);
    response.end();
    return;
  }
  if (Buffer.isBuffer(result.body)) {
    response.writeHead(result.status, headers);
    response.end(result.body);
    return;
  }
  response.writeHead(result.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(result.body));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function nullSink(): ResponseSink {
  return {
    headersSent: false,
    writeHead() {
      this.headersSent = true;
    },
    write() {},
    end() {},
  };
}

function snapshot(state: EmulatorState, repo: EmulatedRepo, origin: string): RepoSnapshot {
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
