import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, rmdir, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settlement } from './mergeTrees.js';
import type { TreeChange } from './planChanges.js';
import { readBlobs } from './readBlobs.js';
import { repoGitText, type GitRepo } from './gitRepo.js';

const JOURNAL = 'idp-upgrade.json';
const INDEX_BACKUP = 'idp-upgrade.index';

interface Journal {
  /** The tree the working files had before, every blob of it in the object store. */
  ours: string;
  paths: string[];
}

/**
 * Writes the merged tree into the working tree, then the index as `git merge` leaves it (merged
 * paths staged, conflicts as unmerged stages, so `git status`, `git mergetool` and `git commit`
 * behave as after any merge). A journal in .git names every path first: if the process dies
 * half-way, recoverInterruptedUpgrade puts each one back exactly.
 */
export async function applyChanges(
  repo: GitRepo,
  ours: string,
  merged: string,
  changes: readonly TreeChange[],
  settlements: readonly Settlement[],
) {
  const index = path.join(repo.gitDir, 'index');
  if (existsSync(index)) await copyFile(index, path.join(repo.gitDir, INDEX_BACKUP));
  await writeAtomic(path.join(repo.gitDir, JOURNAL), JSON.stringify({ ours, paths: changes.map((c) => c.path) } satisfies Journal));

  const blobs = await readBlobs(
    repo,
    changes.flatMap((c) => (c.oid ? [c.oid] : [])),
  );
  // Removals first: a file may give way to a directory of the same name.
  for (const change of changes.filter((c) => !c.oid)) await removeFile(repo.workTree, change.path);
  for (const change of changes.filter((c) => c.oid)) {
    await writeEntry(repo.workTree, change.path, change.mode!, blobs.get(change.oid!)!);
    await testDelay();
  }

  await repoGitText(repo, ['read-tree', merged]);
  const stages = settlements.flatMap((s) =>
    s.kind === 'conflict'
      ? [`0 ${'0'.repeat(40)}\t${s.path}`, ...Object.entries(s.stages).map(([stage, e]) => `${e!.mode} ${e!.oid} ${stage}\t${s.path}`)]
      : [],
  );
  if (stages.length) await repoGitText(repo, ['update-index', '--index-info'], { input: `${stages.join('\n')}\n` });
  await finish(repo);
}

/** Puts back what an interrupted upgrade had begun to change; true when there was something to undo. */
export async function recoverInterruptedUpgrade(repo: GitRepo): Promise<boolean> {
  const journalFile = path.join(repo.gitDir, JOURNAL);
  const text = await readFile(journalFile, 'utf-8').catch(() => undefined);
  if (text === undefined) return false;
  const journal = JSON.parse(text) as Journal;
  const entries = new Map<string, { mode: string; oid: string }>();
  for (const file of journal.paths) {
    const line = await repoGitText(repo, ['ls-tree', journal.ours, '--', file]);
    const match = /^(\d+) blob ([0-9a-f]+)\t/.exec(line);
    if (match) entries.set(file, { mode: match[1]!, oid: match[2]! });
  }
  const blobs = await readBlobs(
    repo,
    [...entries.values()].map((e) => e.oid),
  );
  // A kill between writing a file beside its target and renaming it leaves the file beside.
  for (const file of journal.paths) await rm(temporaryBeside(path.join(repo.workTree, file)), { force: true });
  for (const file of journal.paths) if (!entries.has(file)) await removeFile(repo.workTree, file);
  for (const [file, entry] of entries) await writeEntry(repo.workTree, file, entry.mode, blobs.get(entry.oid)!);
  const backup = path.join(repo.gitDir, INDEX_BACKUP);
  if (existsSync(backup)) await copyFile(backup, path.join(repo.gitDir, 'index'));
  await finish(repo);
  return true;
}

async function finish(repo: GitRepo) {
  await rm(path.join(repo.gitDir, INDEX_BACKUP), { force: true });
  await rm(path.join(repo.gitDir, JOURNAL), { force: true });
}

async function writeEntry(workTree: string, file: string, mode: string, content: Buffer) {
  const target = path.join(workTree, file);
  await mkdir(path.dirname(target), { recursive: true });
  await rm(target, { force: true });
  if (mode === '120000') {
    await symlink(content.toString('utf-8'), target);
    return;
  }
  // Each file appears whole: written beside, then renamed over.
  const temporary = temporaryBeside(target);
  await writeFile(temporary, content, { mode: mode === '100755' ? 0o755 : 0o644 });
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

async function writeAtomic(file: string, text: string) {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

/**
 * Test hook: IDP_TEST_APPLY_DELAY_MS slows each file write so the kill test can aim at the window
 * where files are half written. Unset, it costs one environment lookup per file.
 */
async function testDelay() {
  const ms = Number(process.env.IDP_TEST_APPLY_DELAY_MS);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
