import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../git/runGit.js';
import type { TemplateSource } from './openTemplateSource.js';

/** A templates folder on disk, and how to let it go. */
export interface TemplatesCheckout {
  readonly templatesRoot: string;
  release(): Promise<void>;
}

/**
 * The source's templates folder as it was at `commit`, read from git history (nothing vendored);
 * without a commit, a local checkout as it is now, or a URL's newest commit.
 */
export async function templatesAt(source: TemplateSource, commit?: string): Promise<TemplatesCheckout> {
  if (!commit && source.workTree) {
    return { templatesRoot: path.join(source.workTree, source.templatesPath), release: async () => {} };
  }
  if (!source.gitDir) throw new Error(`${source.repository} has no git history to read a template commit from`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idp-templates-'));
  try {
    const archive = await runGit(['archive', '--format=tar', commit ?? 'HEAD', '--', source.templatesPath], { cwd: source.gitDir });
    await untar(archive.stdout, dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { templatesRoot: path.join(dir, source.templatesPath), release: () => rm(dir, { recursive: true, force: true }) };
}

// git archive keeps what a checkout gives: contents, symlinks and the executable bit.
function untar(tar: Buffer, dir: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('tar', ['-x', '-f', '-', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar could not unpack the template: ${stderr.trim()}`))));
    child.stdin.end(tar);
  });
}
