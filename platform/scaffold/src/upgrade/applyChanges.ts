import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, rmdir, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import { indexPath, repoGitText, serviceFile, type GitRepo } from './gitRepo.js';
import type { Settlement } from './mergeTrees.js';
import type { TreeChange } from './planChanges.js';
import { readBlobs } from './readBlobs.js';
import {
  INDEX_BACKUP,
  INDEX_NEXT,
  indexDigest,
  journalFile,
  movedSinceJournal,
  readJournal,
  removeJournal,
  treeEntries,
  writeJournal,
} from './upgradeJournal.js';

/**
 * Writes the merged tree into the working tree, then the index as `git merge` leaves it (merged
 * paths staged, conflicts as unmerged stages, so `git status`, `git mergetool` and `git commit`
 * behave as after any merge). The caller holds the repository's lock. The new index is built
 * first, and a journal names every path before the first write: if the process dies half-way,
 * recoverInterruptedUpgrade puts each one back exactly, unless something moved since.
 */
export async function applyChanges(
  repo: GitRepo,
  ours: string,
  merged: string,
  changes: readonly TreeChange[],
  settlements: readonly Settlement[],
) {
  const index = path.join(repo.gitDir, 'index');
  const next = path.join(repo.gitDir, INDEX_NEXT);
  await rm(next, { force: true });
  const env = { GIT_INDEX_FILE: next, GIT_LITERAL_PATHSPECS: '1' };
  if (repo.folder) {
    // A service in a monorepo folder: its folder's entries replaced, every other entry as it was.
    if (existsSync(index)) await copyFile(index, next);
    await repoGitText(repo, ['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', repo.folder], { env });
    await repoGitText(repo, ['read-tree', `--prefix=${repo.folder}/`, merged], { env });
  } else {
    await repoGitText(repo, ['read-tree', merged], { env });
  }
  const stages = settlements.flatMap((s) => {
    if (s.kind !== 'conflict') return [];
    const file = indexPath(repo.folder, s.path);
    return [`0 ${'0'.repeat(40)}\t${file}`, ...Object.entries(s.stages).map(([stage, e]) => `${e!.mode} ${e!.oid} ${stage}\t${file}`)];
  });
  if (stages.length) await repoGitText(repo, ['update-index', '--index-info'], { env, input: `${stages.join('\n')}\n` });

  if (existsSync(index)) await copyFile(index, path.join(repo.gitDir, INDEX_BACKUP));
  await writeJournal(repo, {
    folder: repo.folder,
    head: await repoGitText(repo, ['rev-parse', 'HEAD']),
    ours,
    merged,
    paths: changes.map((c) => c.path),
    index: { before: await indexDigest(repo), after: await indexDigest(repo, next) },
  });

  const blobs = await readBlobs(
    repo,
    changes.flatMap((c) => (c.oid ? [c.oid] : [])),
  );
  const root = serviceFile(repo.workTree, repo.folder);
  // Removals first: a file may give way to a directory of the same name.
  for (const change of changes.filter((c) => !c.oid)) await removeFile(root, change.path);
  for (const change of changes.filter((c) => c.oid)) {
    await writeEntry(root, change.path, change.mode!, blobs.get(change.oid!)!);
    await testDelay();
  }
  await rename(next, index);
  await removeJournal(repo);
}

/**
 * Puts back what an interrupted upgrade had begun to change; true when there was something to
 * undo. The caller holds the repository's lock. Refuses, putting back nothing, when HEAD, the
 * index or any of those files moved since the interruption: that is someone's work.
 */
export async function recoverInterruptedUpgrade(repo: GitRepo): Promise<boolean> {
  const journal = await readJournal(repo);
  if (!journal) return false;
  const moved = await movedSinceJournal(repo, journal);
  if (moved.length) {
    throw new InvalidInputError('The interrupted upgrade', [
      {
        field: path.relative(repo.workTree, journalFile(repo)),
        message: `can be put back only over what it left, but ${moved.slice(0, 8).join(', ')}${moved.length > 8 ? `, and ${moved.length - 8} more` : ''} changed since it was interrupted; nothing was put back. Keep everything as it is now and forget it with \`idp upgrade --quit\`, or undo those changes and run \`idp upgrade --abort\` again`,
      },
    ]);
  }
  const entries = await treeEntries(repo, journal.ours);
  const blobs = await readBlobs(
    repo,
    journal.paths.flatMap((file) => (entries.has(file) ? [entries.get(file)!.oid] : [])),
  );
  // The folder the interrupted upgrade wrote, whichever service of a monorepo this run was asked for.
  const root = serviceFile(repo.workTree, journal.folder ?? repo.folder);
  // A kill between writing a file beside its target and renaming it leaves the file beside.
  for (const file of journal.paths) await rm(temporaryBeside(path.join(root, file)), { force: true });
  for (const file of journal.paths) if (!entries.has(file)) await removeFile(root, file);
  for (const file of journal.paths) {
    const entry = entries.get(file);
    if (entry) await writeEntry(root, file, entry.mode, blobs.get(entry.oid)!);
  }
  const backup = path.join(repo.gitDir, INDEX_BACKUP);
  if (existsSync(backup)) await rename(backup, path.join(repo.gitDir, 'index'));
  await removeJournal(repo);
  return true;
}

/** `--quit`: forgets an interrupted upgrade, leaving the files and the index as they are now; true when there was one. */
export async function forgetInterruptedUpgrade(repo: GitRepo): Promise<boolean> {
  const known = existsSync(journalFile(repo));
  await removeJournal(repo);
  return known;
}

async function writeEntry(workTree: string, file: string, mode: string, content: Buffer) {
  const target = path.join(workTree, file);
  await mkdir(path.dirname(target), { recursive: true });
  // Each file (or symlink) appears whole: made beside, then renamed over, so at every moment the
  // path holds either the old entry or the new one, never nothing.
  const temporary = temporaryBeside(target);
  await rm(temporary, { force: true });
  if (mode === '120000') await symlink(content.toString('utf-8'), temporary);
  else await writeFile(temporary, content, { mode: mode === '100755' ? 0o755 : 0o644 });
  await rename(temporary, target);
}

/** Where a file is written before it is renamed over its target. */
function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.idp-upgrade`);
}

async function removeFile(workTree: string, file: string) {
  await unlink(path.join(workTree, file)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  // Folders the removal emptied go too, as git's checkout does.
  for (let dir = path.dirname(file); dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    if (
      !(await rmdir(path.join(workTree, dir)).then(
        () => true,
        () => false,
      ))
    )
      break;
  }
}

/**
 * Test hook: IDP_TEST_APPLY_DELAY_MS slows each file write so the kill test can aim at the window
 * where files are half written. Unset, it costs one environment lookup per file.
 */
async function testDelay() {
  const ms = Number(process.env.IDP_TEST_APPLY_DELAY_MS);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
