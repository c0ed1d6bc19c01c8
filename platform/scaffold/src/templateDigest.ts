import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/** Files of a template folder that are its release notes and tests, not what it renders. */
const NOT_RELEASED = new Set(['CHANGELOG.md', 'release.yaml', 'test']);

/**
 * A digest of everything a template release consists of: template.yaml and the skeleton, each
 * file's path, executable bit (or link target) and bytes. Changes when any rendered byte can.
 */
export async function templateDigest(templateDir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(templateDir, { recursive: true, withFileTypes: true }))
    .map((entry) => path.relative(templateDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((relative) => !NOT_RELEASED.has(relative.split('/')[0]!))
    .sort();
  for (const relative of entries) {
    const full = path.join(templateDir, relative);
    const stats = await lstat(full);
    if (stats.isDirectory()) hash.update(`dir ${relative}\0`);
    else if (stats.isSymbolicLink()) hash.update(`link ${relative}\0${await readlink(full)}\0`);
    else
      hash
        .update(`file ${relative}\0${stats.mode & 0o111 ? 'x' : '-'}\0`)
        .update(await readFile(full))
        .update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}
