import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { GithubEmulator } from '@idp/github';

const run = promisify(execFile);
const CONTENTS = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/;

/** The path the start-up probe reads; the emulator records it as unserved while it is. */
export const CONTENTS_PROBE_PATH = '/repos/idp-probe/idp-probe/contents/README.md';

/** True once the emulator itself answers file reads (404 for a missing repository, not 501). */
async function emulatorServesContents(github: GithubEmulator): Promise<boolean> {
  const response = await fetch(`${github.apiBaseUrl}${CONTENTS_PROBE_PATH}`, {
    headers: { authorization: `token ${github.token}`, accept: 'application/vnd.github.raw' },
  });
  await response.arrayBuffer();
  return response.status !== 501;
}

export interface ContentsShim {
  /** Use as integrations.github[].apiBaseUrl. */
  apiBaseUrl: string;
  /** The contents reads the shim answered, for assertions. */
  reads: string[];
  stop(): Promise<void>;
}

/**
 * A stand-in for the one GitHub call the local emulator does not serve yet: reading a file
 * (GET /repos/{owner}/{repo}/contents/{path}), which Backstage's GitHub URL reader makes when
 * catalog:register and the catalog read the new repository's catalog-info.yaml. It answers
 * those from the emulator's bare repository with `git show` and passes every other request to
 * the emulator untouched, where it is checked against GitHub's OpenAPI description as usual.
 * Steps aside by itself once @idp/github's emulator serves repos/get-content.
 */
export async function startContentsShim(github: GithubEmulator): Promise<ContentsShim> {
  if (await emulatorServesContents(github)) {
    return { apiBaseUrl: github.apiBaseUrl, reads: [], stop: async () => {} };
  }
  const target = new URL(github.url);
  const reads: string[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', github.url);
    const match = req.method === 'GET' ? CONTENTS.exec(url.pathname) : null;
    if (!match) {
      forward(req, res);
      return;
    }
    serveContents(req, res, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!), decodeURIComponent(match[3]!), url.searchParams.get('ref')).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `contents shim: ${(error as Error).message}` }));
    });
  });

  function forward(req: IncomingMessage, res: ServerResponse) {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async function serveContents(req: IncomingMessage, res: ServerResponse, owner: string, repo: string, path: string, ref: string | null) {
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token !== github.token) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Requires authentication' }));
      return;
    }
    const snapshot = github.repos().find((r) => r.fullName.toLowerCase() === `${owner}/${repo}`.toLowerCase());
    const rev = `${ref ?? snapshot?.defaultBranch ?? 'main'}:${path}`;
    const content = snapshot
      ? await run('git', ['--git-dir', snapshot.gitDir, 'show', rev], { encoding: 'buffer', maxBuffer: 64 << 20 }).then((r) => r.stdout as Buffer, () => undefined)
      : undefined;
    reads.push(`${owner}/${repo}/${path}@${ref ?? ''} -> ${content ? 200 : 404}`);
    if (!content) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    if ((req.headers.accept ?? '').includes('raw')) {
      res.writeHead(200, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
      res.end(content);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'file', encoding: 'base64', name: path.split('/').pop(), path, size: content.length, content: content.toString('base64') }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBaseUrl: `http://127.0.0.1:${port}/api/v3`,
    reads,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
