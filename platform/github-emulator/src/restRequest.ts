import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, mintInstallationToken } from './auth.js';
import type { EmulatorContext } from './context.js';
import { applyFaultBefore } from './faults.js';
import { createGitDir, readGitRefs } from './gitRepos.js';
import { drop, type RecordedRequest, record, send } from './requestLog.js';
import { HttpError, type RouteContext, type RouteHandler, type RouteResult } from './routes/http.js';
import { API_PREFIX, ROUTES } from './routes/index.js';

/**
 * Serves a REST call under API_PREFIX: checked against GitHub's OpenAPI description (a mismatch is
 * answered 422 and logged as a violation), authenticated, subject to injected faults, then routed
 * by its operationId.
 */
export async function handleRestRequest(
  context: EmulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  url: URL,
): Promise<void> {
  const { state, faults, validator, log, origin } = context;
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
      log,
      response,
      { method, path, status: 400, problems: ['the request body is not JSON'] },
      { status: 400, body: { message: 'Problems parsing JSON' } },
    );
  }
  const check = validator.check(method, path, url.searchParams, body);
  const operationId = check.operation?.operationId;
  const entry: RecordedRequest = { method, path, ...(operationId ? { operationId } : {}), status: 0, problems: [...check.problems] };

  if (operationId === 'apps/create-installation-access-token' && !check.problems.length) {
    const installationId = check.operation!.params.installation_id ?? '';
    return record(log, response, entry, mintInstallationToken(state, context.apps, installationId, request.headers.authorization));
  }
  const caller = authenticate(state, request.headers.authorization);
  if (!caller)
    return record(log, response, entry, {
      status: 401,
      body: { message: request.headers.authorization ? 'Bad credentials' : 'Requires authentication' },
    });

  const fault = faults.take({ method, path, ...(operationId ? { operationId } : {}) });
  if (fault) entry.fault = fault.kind;
  if (fault && (await applyFaultBefore(fault, log, response, entry))) return;

  let result: RouteResult;
  if (check.problems.length) {
    result = { status: 422, body: { message: `Invalid request.\n\n${check.problems.join('\n')}` } };
  } else {
    const handler = operationId ? ROUTES[operationId] : undefined;
    if (!handler) {
      entry.problems.push(`the emulator does not serve ${operationId} (${method} ${check.operation?.template})`);
      result = { status: 501, body: { message: `Not implemented by the emulator: ${operationId}` } };
    } else {
      // REST routes only read refs (pushes move them, in requests of their own): one read of a
      // repository's refs per request.
      const refs = new Map<string, Promise<Map<string, string>>>();
      const routeContext: RouteContext = {
        state,
        params: check.operation!.params,
        query: url.searchParams,
        body: (body ?? {}) as Record<string, unknown>,
        caller,
        origin,
        accept: String(request.headers.accept ?? ''),
        createGitDir: (owner, name) => createGitDir(context.dataDir, owner, name),
        readRef: async (repo, ref) => {
          if (!refs.has(repo.gitDir)) refs.set(repo.gitDir, readGitRefs(repo.gitDir));
          return (await refs.get(repo.gitDir)!).get(ref);
        },
      };
      result = await runHandler(handler, routeContext);
    }
  }
  if (fault?.kind === 'drop-after') return drop(log, response, entry);
  if (fault?.kind === 'server-error-after') result = { status: 500, body: { message: 'Server Error' } };
  const scopes: Record<string, string> = caller.kind === 'app' ? {} : { 'x-oauth-scopes': caller.scopes.join(', ') };
  return record(log, response, entry, { ...result, headers: { ...result.headers, ...scopes } });
}

/** Runs a route; an HttpError it throws becomes GitHub's error body. */
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

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
