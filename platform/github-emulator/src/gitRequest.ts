import type { IncomingMessage, ServerResponse } from 'node:http';
import { relative } from 'node:path';
import { authenticate } from './auth.js';
import type { EmulatorContext } from './context.js';
import { applyFaultBefore } from './faults.js';
import { type ResponseSink, serveGit } from './gitBackend.js';
import type { RecordedRequest } from './requestLog.js';

/** `/OWNER/REPO.git/…`: smart-HTTP git (clone, fetch, push) for a repository the emulator holds. */
export const GIT_REQUEST_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/.*)$/;

/**
 * Serves a git request as GitHub does: Basic credentials with a token, 404 for an unknown
 * repository, pushes only with the `repo` scope; faults apply as to REST calls.
 */
export async function handleGitRequest(
  context: EmulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  url: URL,
  [owner, name, rest]: [string, string, string],
): Promise<void> {
  const { state, faults, log, dataDir } = context;
  const path = url.pathname;
  const entry: RecordedRequest = { method, path, status: 0, problems: [] };
  const caller = authenticate(state, request.headers.authorization);
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
  if (fault && (await applyFaultBefore(fault, log, response, entry))) return;
  const pathInfo = `/${relative(dataDir, repo.gitDir)}${rest}`;
  if (fault?.kind === 'drop-after' || fault?.kind === 'server-error-after') {
    // The transfer happens (a push lands), but its answer is lost.
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
