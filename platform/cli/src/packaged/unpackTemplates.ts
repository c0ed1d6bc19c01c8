import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { keepSkeletonsUnder, PACKAGED_SOURCE_FILE } from '@idp/scaffold';
import { idpCacheDir } from './idpCacheDir.js';

const ARCHIVE = /^templates-([0-9a-f]{16})\.tar$/;

/** The package's templates, unpacked; they never change, so each skeleton is read once per process. */
export function packagedTemplates(packageDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const templates = unpackTemplates(packageDir, env);
  keepSkeletonsUnder(templates);
  return templates;
}

/**
 * The package's templates as a folder: templates-<digest>.tar unpacked once into the user's cache.
 * The package carries an archive, not a folder, because npm renames every .gitignore it installs
 * (to .npmignore), and a skeleton's .gitignore must reach the service as it is; tar keeps names,
 * bytes, modes and links. The folder is named by the archive's digest; of two runs unpacking at
 * once, the first rename wins and the other uses its result.
 */
export function unpackTemplates(packageDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const archive = readdirSync(packageDir).find((name) => ARCHIVE.test(name));
  if (!archive) throw new Error(`The idp package in ${packageDir} has no templates archive: reinstall idp`);
  const dir = path.join(idpCacheDir(env), 'templates', ARCHIVE.exec(archive)![1]!);
  const templates = path.join(dir, 'templates');
  if (existsSync(path.join(templates, PACKAGED_SOURCE_FILE))) return templates;
  mkdirSync(path.dirname(dir), { recursive: true });
  const unpacking = mkdtempSync(`${dir}.unpacking-`);
  try {
    execFileSync('tar', ['-x', '-f', path.join(packageDir, archive), '-C', unpacking], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(unpacking, dir);
  } catch (error) {
    if (!existsSync(path.join(templates, PACKAGED_SOURCE_FILE))) {
      throw new Error(`Cannot unpack the templates of idp into ${dir}: ${(error as Error).message}`);
    }
  } finally {
    rmSync(unpacking, { recursive: true, force: true });
  }
  return templates;
}
