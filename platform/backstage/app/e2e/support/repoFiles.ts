import { execFile } from 'node:child_process';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TreeEntry {
  path: string;
  kind: 'file' | 'symlink';
  executable: boolean;
  content: Buffer;
}

/** Every file under a directory (sorted, posix paths), skipping .git. */
export async function readTree(root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const walk = async (relative: string) => {
    for (const name of (await readdir(join(root, relative))).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      if (path === '.git') continue;
      const full = join(root, path);
      const stat = await lstat(full);
      if (stat.isDirectory()) await walk(path);
      else if (stat.isSymbolicLink()) entries.push({ path, kind: 'symlink', executable: false, content: Buffer.from(await readlink(full)) });
      else entries.push({ path, kind: 'file', executable: (stat.mode & 0o111) !== 0, content: await readFile(full) });
    }
  };
  await walk('');
  // Code-unit order (not locale order), as git sorts paths.
  return entries.sort((a, b) => Number(a.path > b.path) - Number(a.path < b.path));
}

/**
 * The first difference between two trees, as a sentence naming the file (and line), or
 * undefined when they hold the same files with the same bytes and executable bits.
 */
export function firstDifference(expected: TreeEntry[], actual: TreeEntry[], labels = ['idp new', 'the portal']): string | undefined {
  const byPath = new Map(actual.map((e) => [e.path, e]));
  for (const want of expected) {
    const got = byPath.get(want.path);
    if (!got) return `${want.path} is in ${labels[0]}'s output but not in ${labels[1]}'s`;
    if (got.kind !== want.kind) return `${want.path} is a ${want.kind} from ${labels[0]} but a ${got.kind} from ${labels[1]}`;
    if (got.executable !== want.executable) return `${want.path} is ${want.executable ? '' : 'not '}executable from ${labels[0]} but ${got.executable ? '' : 'not '}from ${labels[1]}`;
    if (!got.content.equals(want.content)) {
      const a = want.content.toString('utf8').split('\n');
      const b = got.content.toString('utf8').split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      const at = line === -1 ? a.length : line;
      return `${want.path} differs at line ${at + 1}: ${labels[0]} ${JSON.stringify(a[at])}, ${labels[1]} ${JSON.stringify(b[at])}`;
    }
    byPath.delete(want.path);
  }
  const extra = [...byPath.keys()][0];
  return extra ? `${extra} is in ${labels[1]}'s output but not in ${labels[0]}'s` : undefined;
}

/**
 * Clones a repository over HTTP with a token, passed to git through GIT_CONFIG_* variables so
 * it is neither on the command line nor in .git/config.
 */
export async function cloneWithToken(url: string, token: string, into: string): Promise<void> {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  await run('git', ['clone', '--quiet', url, into], {
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    },
  });
}
