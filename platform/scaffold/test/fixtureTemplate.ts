import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { git } from '../../../test/git.js';

/** A template tree for tests: path → text, Buffer (binary), { symlink } or null (an empty dir). */
export type FixtureTree = Record<string, string | Buffer | { symlink: string } | { text: string; mode: number } | null>;

export async function makeFixture(tree: FixtureTree): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'idp-fixture-'));
  for (const [relative, content] of Object.entries(tree)) {
    const file = path.join(root, relative);
    await mkdir(content === null ? file : path.dirname(file), { recursive: true });
    if (content === null) continue;
    if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(file, content);
    else if ('symlink' in content) await symlink(content.symlink, file);
    else {
      await writeFile(file, content.text);
      await chmod(file, content.mode);
    }
  }
  return root;
}

/** A fixture tree as a service repository: its files committed, nothing else in it. */
export async function committedFixture(tree: FixtureTree): Promise<string> {
  const root = await makeFixture(tree);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'service');
  return root;
}

export const tempDir = () => mkdtemp(path.join(tmpdir(), 'idp-out-'));

/** A PNG header: isbinaryfile sees it as binary. */
export const BINARY = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x24, 0x7b, 0x7b,
]);
