import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { API_PREFIX, HttpError, notFound, repoJson, repoOr404, type RouteContext, type RouteHandler } from './http.js';

const run = promisify(execFile);

interface TreeEntry {
  type: 'blob' | 'tree';
  sha: string;
  size: number;
  path: string;
}

/** `git ls-tree -l` of one path (a file) or of a directory's children, from the bare repository. */
async function listTree(gitDir: string, ref: string, path: string, children: boolean): Promise<TreeEntry[]> {
  const spec = children ? `${ref}:${path}` : ref;
  const args = ['--git-dir', gitDir, 'ls-tree', '-l', '-z', spec, ...(children ? [] : ['--', path])];
  const { stdout } = await run('git', args, { maxBuffer: 16 << 20 }).catch(() => ({ stdout: '' }));
  return stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, name] = line.split('\t') as [string, string];
      const [, type, sha, size] = meta.split(/\s+/) as [string, 'blob' | 'tree', string, string];
      return { type, sha, size: size === '-' ? 0 : Number(size), path: children ? (path ? `${path}/${name}` : name) : name };
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

async function readBlob(gitDir: string, sha: string): Promise<Buffer> {
  const { stdout } = await run('git', ['--git-dir', gitDir, 'cat-file', 'blob', sha], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return stdout as Buffer;
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
    if (!(await context.readRef(repo, `refs/heads/${repo.defaultBranch}`))) throw new HttpError(404, 'This repository is empty.');
    const [self] = path ? await listTree(repo.gitDir, ref, path, false) : [{ type: 'tree' as const, sha: '', size: 0, path: '' }];
    if (!self) throw notFound();
    if (self.type === 'tree') {
      const children = await listTree(repo.gitDir, ref, path, true);
      return { status: 200, body: children.map((entry) => entryJson(context, fullName, ref, entry)) };
    }
    const content = await readBlob(repo.gitDir, self.sha);
    if (/application\/vnd\.github(\.v3)?\.raw/.test(context.accept)) {
      return { status: 200, body: content, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
    }
    return { status: 200, body: { ...entryJson(context, fullName, ref, self), encoding: 'base64', content: content.toString('base64') } };
  },
};
