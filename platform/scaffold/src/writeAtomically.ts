import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { RenderedEntry } from './renderTemplate.js';

export class TargetNotEmptyError extends Error {
  readonly targetDir: string;
  constructor(targetDir: string) {
    super(
      `The target ${targetDir} already exists and is not empty. Choose another --out directory, or pass --force to replace it (its old content is kept until the new one is complete).`,
    );
    this.name = 'TargetNotEmptyError';
    this.targetDir = targetDir;
  }
}

const STAGING_MARK = '.idp-staging-';
const BACKUP_MARK = '.idp-replaced-';
// `.<target>.idp-staging-<pid>-<random>`: the pid says whether the run that made it still lives.
const STAGING_NAME = /^\..+\.idp-staging-(\d+)-[0-9a-f]+$/;
// `.<target>.idp-replaced-<pid>-<random>/old`: a target `--force` moved aside until the swap.
const BACKUP_NAME = /^\.(.+)\.idp-replaced-(\d+)-[0-9a-f]+$/;
const liveStagingDirs = new Set<string>();

/**
 * The moments inside the staging window, in order; 'file' once per file or link written, and
 * 'moved-aside' only when a non-empty target is replaced.
 */
export type StagingStep = 'staging' | 'directories' | 'file' | 'staged' | 'moved-aside' | 'committed';

export interface WriteOptions {
  /** Replace a non-empty target. */
  force?: boolean;
  /**
   * Awaited at each step of the staging window. Tests use it to stop a process at a chosen
   * moment and kill it there; nothing else needs it.
   */
  onStep?: (step: StagingStep) => void | Promise<void>;
}

/**
 * Writes entries so an interrupted run leaves either no target or the whole result: everything
 * goes into a staging directory beside the target (same filesystem), which is then renamed into
 * place. With `force`, a non-empty target is moved aside and removed only after the swap.
 */
export async function writeAtomically(
  entries: RenderedEntry[],
  targetDir: string,
  { force = false, onStep }: WriteOptions = {},
): Promise<void> {
  const target = path.resolve(targetDir);
  const parent = path.dirname(target);
  // Synchronous file system calls throughout: a CLI waits for each anyway, and a cold `idp new`
  // would otherwise start the thread pool for a handful of round trips.
  // First, so a target a killed run had moved aside is back before this run looks at it.
  sweepAbandonedRuns(parent);
  const existing = listDir(target);
  if (existing && existing.length > 0 && !force) throw new TargetNotEmptyError(target);

  mkdirSync(parent, { recursive: true });
  // mkdir (not mkdtemp, which makes 0700) so the result has the mode of any directory the user makes.
  const staging = path.join(parent, `.${path.basename(target)}${STAGING_MARK}${process.pid}-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging);
  liveStagingDirs.add(staging);
  try {
    await onStep?.('staging');
    await writeEntries(entries, staging, onStep);
    await onStep?.('staged');
    if (existing && existing.length > 0) {
      const backup = path.join(parent, `.${path.basename(target)}${BACKUP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`);
      mkdirSync(backup, { mode: 0o700 });
      renameSync(target, path.join(backup, 'old'));
      await onStep?.('moved-aside');
      renameSync(staging, target);
      rmSync(backup, { recursive: true, force: true });
    } else {
      // rename(2) replaces an empty directory atomically.
      renameSync(staging, target);
    }
    await onStep?.('committed');
  } finally {
    liveStagingDirs.delete(staging);
    rmSync(staging, { recursive: true, force: true });
  }
}

async function writeEntries(entries: RenderedEntry[], root: string, onStep: WriteOptions['onStep']) {
  const symlinks = new Set(entries.filter((e) => e.kind === 'symlink').map((e) => e.path));
  const directories = new Set<string>();
  for (const entry of entries) {
    // A path through a symlink the template created could point anywhere: refuse it.
    for (let dir = path.posix.dirname(entry.path); dir !== '.'; dir = path.posix.dirname(dir)) {
      if (symlinks.has(dir))
        throw new Error(`The template entry ${entry.path} lies under the symlink ${dir}; refusing to write through it`);
      directories.add(dir);
    }
    if (entry.kind === 'dir') directories.add(entry.path);
  }
  // Directories first, parents before children; then every file and link. Synchronous calls: a
  // service is a few hundred small files, which the thread pool would only queue up.
  for (const dir of [...directories].sort()) mkdirSync(path.join(root, dir), { recursive: true });
  await onStep?.('directories');
  for (const entry of entries) {
    const destination = path.join(root, entry.path);
    if (entry.kind === 'symlink') symlinkSync(entry.linkTarget, destination);
    else if (entry.kind === 'file') {
      writeFileSync(destination, entry.content, { mode: entry.mode });
      if (entry.exactMode) chmodSync(destination, entry.mode);
    }
    if (entry.kind !== 'dir') await onStep?.('file');
  }
}

function listDir(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new TargetNotEmptyError(dir);
    throw error;
  }
}

/**
 * What runs that were killed (SIGKILL leaves no time to clean up) left in a folder is tidied by the
 * next run there, whatever target either run had; the pid in a name tells whether its process is
 * gone. Staging directories are removed. A target moved aside for `--force` is put back when the
 * swap never happened (the target is absent), else removed.
 */
function sweepAbandonedRuns(parent: string): void {
  const names = listDir(parent) ?? [];
  const dead = (pid: string | undefined) => Number.isSafeInteger(Number(pid)) && Number(pid) > 0 && !isAlive(Number(pid));
  for (const name of names) {
    if (dead(STAGING_NAME.exec(name)?.[1])) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  for (const name of names) {
    const backup = BACKUP_NAME.exec(name);
    if (!backup || !dead(backup[2])) continue;
    const target = path.join(parent, backup[1]!);
    const old = path.join(parent, name, 'old');
    if (!present(target) && present(old)) renameSync(old, target);
    rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Whether anything is at `where`, a dangling link included. */
function present(where: string): boolean {
  return lstatSync(where, { throwIfNoEntry: false }) !== undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging directories synchronously: for signal handlers, just before the process exits. */
export function removeStagingNow(): void {
  for (const dir of liveStagingDirs) rmSync(dir, { recursive: true, force: true });
  liveStagingDirs.clear();
}
