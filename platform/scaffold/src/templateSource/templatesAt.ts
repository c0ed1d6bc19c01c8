import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import { runGit } from '../git/runGit.js';
import { keepSkeletonsUnder } from '../keptTemplates.js';
import type { TemplateSource } from './openTemplateSource.js';
import type { PackagedSource } from './packagedTemplates.js';

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
  if (source.packaged) {
    if (commit && commit !== source.packaged.commit) throw notPackaged(source.packaged, commit);
    return { templatesRoot: source.packaged.templatesRoot, release: async () => {} };
  }
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
  // A commit's templates never change: each skeleton and template.yaml is read once for every
  // render of this checkout (a fleet run renders it twice per service), until it is released.
  const templatesRoot = path.join(dir, source.templatesPath);
  const forget = keepSkeletonsUnder(templatesRoot);
  return {
    templatesRoot,
    release: () => {
      forget();
      return rm(dir, { recursive: true, force: true });
    },
  };
}

/** The installed package holds one commit of the templates; any other needs the repository. */
export function notPackaged(packaged: PackagedSource, wanted: string): InvalidInputError {
  return new InvalidInputError('The templates source', [
    {
      field: '--templates',
      message: `must be a repository with the template history to read ${wanted}, but the templates packaged with ${packaged.package} are ${packaged.commit ? `commit ${packaged.commit.slice(0, 12)}` : 'an uncommitted copy'} only (e.g. --templates https://github.com/acme/idp.git)`,
    },
  ]);
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
