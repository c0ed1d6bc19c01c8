import { spawn } from 'node:child_process';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** Where a CGI answer goes: a ServerResponse, or a sink that discards it (to lose a response on purpose). */
export interface ResponseSink {
  headersSent: boolean;
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  write(chunk: Buffer | string): unknown;
  end(): unknown;
}

/** Where Debian's git keeps its HTTP server (a CGI program). */
export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

/**
 * Serves one smart-HTTP git request with `git http-backend`, so clones and pushes against the
 * emulator are real git transfers into real bare repositories under `projectRoot`.
 */
export function serveGit(
  request: IncomingMessage,
  response: ResponseSink,
  projectRoot: string,
  pathInfo: string,
  remoteUser: string,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator');
  const child = spawn(GIT_HTTP_BACKEND, [], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: pathInfo,
      REMOTE_USER: remoteUser,
      REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
      REQUEST_METHOD: request.method ?? 'GET',
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      // git sends gzip-compressed upload-pack requests; http-backend inflates them itself.
      HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  request.pipe(child.stdin);
  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    let headersDone = false;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = findHeaderEnd(head);
      if (end < 0) return;
      headersDone = true;
      const { status, headers } = parseCgiHeaders(head.subarray(0, end).toString('latin1'));
      response.writeHead(status, headers);
      response.write(head.subarray(end + (head[end] === 13 ? 4 : 2)));
    });
    child.on('close', (code) => {
      if (!headersDone) {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.write(`git http-backend failed (${code}): ${stderr}`);
      }
      response.end();
      resolve();
    });
    child.on('error', () => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
      resolve();
    });
  });
}

function findHeaderEnd(buffer: Buffer): number {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf;
  return lf;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}
