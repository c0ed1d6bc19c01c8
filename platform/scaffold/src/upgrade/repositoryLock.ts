import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import type { GitRepo } from './gitRepo.js';

/** The lock a writing upgrade holds; `release` gives it back (the index itself is written apart). */
export interface RepositoryLock {
  release(): Promise<void>;
}

/** What an upgrade writes into the lock it holds, so a second run can tell who holds it and whether they live. */
const OWNER = /^idp upgrade (\d+) (\S+)\n$/;

/**
 * Takes git's own lock, `.git/index.lock`, as `git merge` does: while an upgrade writes, neither a
 * second upgrade nor `git add`/`git commit` can change the index under it. A lock left by an
 * upgrade that was killed (its process gone) is taken over; any other is refused, naming it.
 */
export async function lockRepository(repo: GitRepo): Promise<RepositoryLock> {
  const lock = path.join(repo.gitDir, 'index.lock');
  const owner = `idp upgrade ${process.pid} ${os.hostname()}\n`;
  // Written beside and linked into place: the lock never exists without its owner's name in it.
  const take = async () => {
    const beside = `${lock}.idp-${process.pid}`;
    await writeFile(beside, owner);
    try {
      await link(beside, lock);
    } finally {
      await rm(beside, { force: true });
    }
  };
  try {
    await take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = OWNER.exec(await readFile(lock, 'utf-8').catch(() => ''));
    if (!holder || isAlive(Number(holder[1]), holder[2]!)) throw lockedBy(repo, lock, holder ? Number(holder[1]) : undefined);
    // A killed upgrade's lock: moved away first, so of two runs taking it over only one succeeds.
    const stale = `${lock}.idp-stale-${process.pid}`;
    if (
      !(await rename(lock, stale).then(
        () => true,
        () => false,
      ))
    )
      throw lockedBy(repo, lock, undefined);
    await rm(stale, { force: true });
    await take().catch(() => {
      throw lockedBy(repo, lock, undefined);
    });
  }
  return { release: () => rm(lock, { force: true }) };
}

/** Runs `work` holding the repository's lock. */
export async function withRepositoryLock<T>(repo: GitRepo, work: () => Promise<T>): Promise<T> {
  const lock = await lockRepository(repo);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

function isAlive(pid: number, host: string): boolean {
  // Another machine's process (a shared network folder) cannot be asked: it is taken to live.
  if (host !== os.hostname()) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedBy(repo: GitRepo, lock: string, pid: number | undefined): InvalidInputError {
  return new InvalidInputError('The service', [
    {
      field: 'DIR',
      message:
        pid === undefined
          ? `must not be in use by another git process, but ${lock} exists: wait for it to finish (or, if no git command is running in ${repo.workTree}, remove ${lock}), then run idp upgrade again`
          : `must not be in use by another idp upgrade, but process ${pid} is upgrading ${repo.workTree} (it holds ${lock}): wait for it to finish, then review its result`,
    },
  ]);
}
