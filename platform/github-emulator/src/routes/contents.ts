import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { API_PREFIX, HttpError, notFound, repoJson, repoOr404, type RouteContext, type RouteHandler } from './http.js';

const run = promisify(execFile);

interface TreeEntry {
  type: 'blob' | 'tree';
  sha: string;
  size: number;
  path: string;
}

/** `git ls-tree -l` of a directory's children, from the bare repository. */
async function listTree(gitDir: string, ref: string, path: string): Promise<TreeEntry[]> {
  const { stdout } = await run('git', ['--git-dir', gitDir, 'ls-tree', '-l', '-z', `${ref}:${path}`], { maxBuffer: 16 << 20 }).catch(
    () => ({
      stdout: '',
    }),
  );
  return stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, name] = line.split('\t') as [string, string];
      const [, type, sha, size] = meta.split(/\s+/) as [string, 'blob' | 'tree', string, string];
      return { type, sha, size: size === '-' ? 0 : Number(size), path: path ? `${path}/${name}` : name };
    });
}

/** The commit a branch, tag or sha names in the bare repository, or undefined. */
async function resolveCommit(gitDir: string, ref: string): Promise<string | undefined> {
  if (!/^[\w./-]+$/.test(ref) || ref.startsWith('-')) return undefined;
  const { stdout } = await run('git', ['--git-dir', gitDir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => ({
    stdout: '',
  }));
  return stdout.trim() || undefined;
}

/** What `<ref>:<path>` names, with a blob's content, from one `git cat-file --batch`; undefined when nothing. */
function readEntry(gitDir: string, ref: string, path: string): Promise<(TreeEntry & { content: Buffer }) | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      const headerEnd = out.indexOf(10);
      // "<sha> <type> <size>", or "<name> missing".
      const [sha, type, size] = out.subarray(0, headerEnd).toString('utf-8').split(' ');
      if ((type !== 'blob' && type !== 'tree') || !sha || !size) return resolve(undefined);
      resolve({ type, sha, size: Number(size), path, content: out.subarray(headerEnd + 1, headerEnd + 1 + Number(size)) });
    });
    child.stdin.end(`${ref}:${path}\n`);
  });
}

function entryJson(context: RouteContext, fullName: string, ref: string, entry: TreeEntry) {
  const api = `${context.origin}${API_PREFIX}/repos/${fullName}/contents/${entry.path}?ref=${encodeURIComponent(ref)}`;
  const html = `${context.origin}/${fullName}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${entry.path}`;
  const git = `${context.origin}${API_PREFIX}/repos/${fullName}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
  return {
    type: entry.type === 'tree' ? 'dir' : 'file',
    name: entry.path.split('/').pop(),
    path: entry.path,
    sha: entry.sha,
    size: entry.size,
    url: api,
    html_url: html,
    git_url: git,
    download_url: entry.type === 'tree' ? null : `${context.origin}/${fullName}/raw/${ref}/${entry.path}`,
    _links: { self: api, git, html },
  };
}

/**
 * Reads of a repository's files, as Backstage's GitHub URL reader makes them.
 * GET /repos/{owner}/{repo}/contents/{path}: what Backstage's GitHub URL reader calls to read a
 * file (catalog:register and the catalog reading catalog-info.yaml). Served from the bare git
 * repository at `ref` (the default branch otherwise): raw bytes for the raw media type, GitHub's
 * JSON (base64 content for a file, a listing for a directory) for the others.
 */
export const contentsRoutes: Record<string, RouteHandler> = {
  // The GitHub URL reader's first call when it reads a whole tree (TechDocs, fetch:template from a
  // repository): which commit a ref is, and the repository's archive URL.
  'repos/get-combined-status-for-ref': async (context) => {
    const repo = repoOr404(context);
    const sha = await resolveCommit(repo.gitDir, context.params.ref ?? '');
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${context.params.ref}`);
    return {
      status: 200,
      body: { state: 'pending', sha, total_count: 0, statuses: [], repository: repoJson(repo, context.origin), commit_url: '', url: '' },
    };
  },

  // GitHub answers with a redirect to a tar.gz of the tree under one top directory; served directly.
  'repos/download-tarball-archive': async (context) => {
    const repo = repoOr404(context);
    const sha = await resolveCommit(repo.gitDir, context.params.ref ?? '');
    if (!sha) throw notFound();
    const prefix = `${repo.owner}-${repo.name}-${sha.slice(0, 7)}/`;
    const { stdout } = await run('git', ['--git-dir', repo.gitDir, 'archive', '--format=tar.gz', `--prefix=${prefix}`, sha], {
      encoding: 'buffer',
      maxBuffer: 256 << 20,
    });
    return {
      status: 200,
      body: stdout as Buffer,
      headers: { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${prefix.slice(0, -1)}.tar.gz` },
    };
  },

  'repos/get-content': async (context) => {
    const repo = repoOr404(context);
    const fullName = `${repo.owner}/${repo.name}`;
    const ref = context.query.get('ref') || repo.defaultBranch;
    if (!/^[\w./-]+$/.test(ref) || ref.startsWith('-')) throw notFound();
    const path = (context.params.path ?? '').replace(/^\/+|\/+$/g, '');
    // One git process for a file that is there (cat-file reads the ref, the path and the content).
    // cat-file reads one name a line: a name with a newline (or a NUL) is no file of the repository.
    const self = path.includes('\n') || path.includes('\0') ? undefined : await readEntry(repo.gitDir, ref, path);
    if (!self) {
      if (!(await context.readRef(repo, `refs/heads/${repo.defaultBranch}`))) throw new HttpError(404, 'This repository is empty.');
      throw notFound();
    }
    if (self.type === 'tree') {
      const children = await listTree(repo.gitDir, ref, path);
      return { status: 200, body: children.map((entry) => entryJson(context, fullName, ref, entry)) };
    }
    const { content } = self;
    if (/application\/vnd\.github(\.v3)?\.raw/.test(context.accept)) {
      return { status: 200, body: content, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
    }
    return { status: 200, body: { ...entryJson(context, fullName, ref, self), encoding: 'base64', content: content.toString('base64') } };
  },
};
