import { execFile } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Creates the bare repository `git http-backend` serves a new repo from (pushes allowed); returns its directory. */
export async function createGitDir(dataDir: string, owner: string, name: string): Promise<string> {
  const gitDir = join(dataDir, owner.toLowerCase(), `${name.toLowerCase()}.git`);
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
  // Written directly rather than with `git config`: one process less per repository.
  await appendFile(join(gitDir, 'config'), '[http]\n\treceivepack = true\n');
  return gitDir;
}

/**
 * The sha a ref points at, read from the bare repository's files (a loose ref, else packed-refs):
 * the emulator reads refs on many requests, and a git process each time would dominate tests.
 */
export async function readGitRef(gitDir: string, ref: string): Promise<string | undefined> {
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
