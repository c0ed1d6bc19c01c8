import { createHash } from 'node:crypto';
import { lstat, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { indexPath, repoGit, repoGitText, serviceFile, type GitRepo } from './gitRepo.js';
import type { StageEntry } from './mergeTrees.js';

/**
 * What an upgrade about to write records first, in .git: enough to put every path back, and to
 * tell afterwards whether anything moved since (a commit, a `git add`, an edit), in which case
 * nothing may be put back over it.
 */
export interface UpgradeJournal {
  /** The service's folder in the repository ('' at the top level); absent in journals of older idp versions. */
  folder?: string;
  /** HEAD when the upgrade wrote. */
  head: string;
  /** The tree the working files had before, every blob of it in the object store. */
  ours: string;
  /** The tree the working files were being brought to. */
  merged: string;
  /** Every path the upgrade writes or removes. */
  paths: string[];
  /** Digests of the index's entries (`git ls-files -s`) before the upgrade and as it leaves them. */
  index: { before: string; after: string };
}

const JOURNAL = 'idp-upgrade.json';
/** The index as it was, put back by --abort. */
export const INDEX_BACKUP = 'idp-upgrade.index';
/** The index as the upgrade leaves it, built before the first write and renamed over the index last. */
export const INDEX_NEXT = 'idp-upgrade.index.next';

export const journalFile = (repo: GitRepo) => path.join(repo.gitDir, JOURNAL);

export async function readJournal(repo: GitRepo): Promise<UpgradeJournal | undefined> {
  const text = await readFile(journalFile(repo), 'utf-8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as UpgradeJournal);
}

export async function writeJournal(repo: GitRepo, journal: UpgradeJournal): Promise<void> {
  const file = journalFile(repo);
  await writeFile(`${file}.tmp`, JSON.stringify(journal));
  await rename(`${file}.tmp`, file);
}

/** The journal and the index copies gone: the upgrade is over (done, put back, or forgotten). */
export async function removeJournal(repo: GitRepo): Promise<void> {
  for (const file of [INDEX_BACKUP, INDEX_NEXT]) await rm(path.join(repo.gitDir, file), { force: true });
  await rm(journalFile(repo), { force: true });
}

/** A digest of an index file's entries (paths, modes, blobs, stages), blind to the stat data `git status` refreshes. */
export async function indexDigest(repo: GitRepo, indexFile = path.join(repo.gitDir, 'index')): Promise<string> {
  const listing = await repoGit(repo, ['ls-files', '-s', '-z'], { env: { GIT_INDEX_FILE: indexFile } });
  return createHash('sha256').update(listing.stdout).digest('hex');
}

/** Every path's entry in a tree. */
export async function treeEntries(repo: GitRepo, tree: string): Promise<Map<string, StageEntry>> {
  const listing = (await repoGit(repo, ['ls-tree', '-r', '-z', tree])).stdout.toString('utf-8');
  const entries = new Map<string, StageEntry>();
  for (const line of listing.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (match) entries.set(match[3]!, { mode: match[1]!, oid: match[2]! });
  }
  return entries;
}

/**
 * What moved since the journal was written: HEAD, the index, or a path that is now neither as it
 * was before the upgrade nor as the upgrade writes it (edited after the interruption). Empty when
 * putting everything back loses nothing.
 */
export async function movedSinceJournal(repo: GitRepo, journal: UpgradeJournal): Promise<string[]> {
  const moved: string[] = [];
  // A journal an older idp wrote has paths and `ours` only: what it lacks cannot be checked.
  const head = await repoGitText(repo, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
  if (journal.head && head !== journal.head)
    moved.push(`HEAD (now ${head.slice(0, 12) || 'none'}, was ${journal.head.slice(0, 12)}: a commit since)`);
  const index = journal.index && (await indexDigest(repo));
  if (journal.index && index !== journal.index.before && index !== journal.index.after) moved.push('the index (files staged since)');
  const [ours, merged] = await Promise.all([
    treeEntries(repo, journal.ours),
    journal.merged ? treeEntries(repo, journal.merged) : new Map<string, StageEntry>(),
  ]);
  const folder = journal.folder ?? repo.folder;
  for (const file of journal.paths) {
    const now = await workingEntry(serviceFile(repo.workTree, folder, file));
    const inRepository = indexPath(folder, file);
    if (!(await isAsIn(repo, inRepository, now, ours.get(file))) && !(await isAsIn(repo, inRepository, now, merged.get(file))))
      moved.push(inRepository);
  }
  return moved;
}

type WorkingEntry = { kind: 'absent' } | { kind: 'file' | 'symlink'; content: Buffer };

async function workingEntry(full: string): Promise<WorkingEntry> {
  const stat = await lstat(full).catch(() => undefined);
  if (stat?.isSymbolicLink()) return { kind: 'symlink', content: Buffer.from(await readlink(full), 'utf-8') };
  if (stat?.isFile()) return { kind: 'file', content: await readFile(full) };
  return { kind: 'absent' };
}

/** Whether a working file (`file` from the top level) is what a tree has at its path (compared as git would store it: raw, or through the repository's filters). */
async function isAsIn(repo: GitRepo, file: string, now: WorkingEntry, entry: StageEntry | undefined): Promise<boolean> {
  if (!entry || now.kind === 'absent') return !entry && now.kind === 'absent';
  if ((entry.mode === '120000') !== (now.kind === 'symlink')) return false;
  if (blobId(now.content, entry.oid.length) === entry.oid) return true;
  if (now.kind === 'symlink') return false;
  // .gitattributes may turn CRLF into LF (or run another filter) between the file and its blob.
  return (await repoGitText(repo, ['hash-object', '--', file])) === entry.oid;
}

/** git's blob id of some bytes, in the repository's object format (SHA-1, or SHA-256 for 64-digit ids). */
function blobId(content: Buffer, length: number): string {
  return createHash(length === 64 ? 'sha256' : 'sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}
