import path from 'node:path';
import type { RenderedEntry } from '../renderTemplate.js';
import { repoGit, type GitRepo } from './gitRepo.js';
import type { MergeSides } from './mergeTrees.js';

/**
 * Whether git stores these entries exactly as rendered, so they can go to git without a scratch
 * folder and `git add`: no `.gitattributes` (no filter, eol or text conversion asks git to change a
 * file) and no path through a `.git` folder (which `git add` would leave out). Empty folders are
 * left out either way: git keeps files.
 */
export function storedAsRendered(entries: readonly RenderedEntry[]): boolean {
  return entries.every((entry) => {
    const parts = entry.path.split('/');
    return !parts.includes('.git') && parts.at(-1) !== '.gitattributes';
  });
}

/** Whether two renders make the same tree (what git would store: files and links, modes as git keeps them). */
export function sameRenders(a: readonly RenderedEntry[], b: readonly RenderedEntry[]): boolean {
  const stored = (entries: readonly RenderedEntry[]) =>
    new Map(entries.flatMap((entry) => (entry.kind === 'dir' ? [] : [[entry.path, storedForm(entry)] as const])));
  const left = stored(a);
  const right = stored(b);
  if (left.size !== right.size) return false;
  for (const [file, [mode, content]] of left) {
    const other = right.get(file);
    if (!other || other[0] !== mode || !other[1].equals(content)) return false;
  }
  return true;
}

/**
 * The base render as a commit, and the new render as a commit on top of it (what `git merge-tree`
 * needs), written by one `git fast-import` instead of two scratch folders, `git add`s, `write-tree`s
 * and `commit-tree`s. Only for renders storedAsRendered accepts, into a repository with no
 * attributes of its own (a fleet's fresh clone). fast-import moves refs under refs/idp/.
 * A third commit holds the tree of `ours` (a commit of the repository) with the base render as a
 * second parent: merged with the new render, its one merge base is the base render.
 */
export async function commitRenders(
  repo: GitRepo,
  renders: { base: readonly RenderedEntry[]; theirs: readonly RenderedEntry[]; ours: string },
): Promise<MergeSides> {
  const chunks: Buffer[] = [];
  const write = (text: string) => chunks.push(Buffer.from(text, 'utf-8'));
  const marks = new Map<string, number>();
  let next = 1;
  const blobMark = (content: Buffer) => {
    const key = content.toString('base64');
    let mark = marks.get(key);
    if (mark === undefined) {
      mark = next++;
      marks.set(key, mark);
      write(`blob\nmark :${mark}\ndata ${content.length}\n`);
      chunks.push(content);
      write('\n');
    }
    return mark;
  };
  const commit = (ref: string, mark: number, entries: readonly RenderedEntry[], parent?: number) => {
    const files = entries.flatMap((entry) => {
      if (entry.kind === 'dir') return [];
      const [mode, content] = storedForm(entry);
      return [`M ${mode} :${blobMark(content)} ${quotedPath(entry.path)}\n`];
    });
    write(`commit ${ref}\nmark :${mark}\ncommitter ${COMMITTER}\ndata 12\nidp upgrade\n`);
    if (parent !== undefined) write(`from :${parent}\n`);
    write('deleteall\n');
    for (const line of files) write(line);
    write('\n');
  };
  // Commit marks after every blob's: blobs get 1…n as they first appear.
  const BASE = 1_000_000_001;
  const THEIRS = 1_000_000_002;
  const OURS = 1_000_000_003;
  commit('refs/idp/upgrade-base', BASE, renders.base);
  commit('refs/idp/upgrade-theirs', THEIRS, renders.theirs, BASE);
  // No file commands: a commit's tree starts as its first parent's.
  write(`commit refs/idp/upgrade-ours\nmark :${OURS}\ncommitter ${COMMITTER}\ndata 12\nidp upgrade\n`);
  write(`from ${renders.ours}\nmerge :${BASE}\n\n`);
  // The two trees merged (`ls` of a commit's root: "040000 tree <oid>\t"), then the three commits.
  write(`ls :${OURS} ""\nls :${THEIRS} ""\nget-mark :${BASE}\nget-mark :${THEIRS}\nget-mark :${OURS}\ndone\n`);
  const { stdout } = await repoGit(repo, ['fast-import', '--quiet', '--done', '--force'], { input: Buffer.concat(chunks) });
  const [oursRoot, theirsRoot, base, theirs, ours] = stdout.toString('utf-8').trim().split('\n');
  const treeOf = (root: string | undefined) => /^040000 tree ([0-9a-f]+)\t$/.exec(root ?? '')?.[1];
  const trees = { ours: treeOf(oursRoot), theirs: treeOf(theirsRoot) };
  if (!base || !theirs || !ours || !trees.ours || !trees.theirs)
    throw new Error(`git fast-import answered no commits for the renders: ${stdout.toString('utf-8')}`);
  return { base, ours, theirs, trees: { ours: trees.ours, theirs: trees.theirs } };
}

// Fixed, so the same renders make the same commits.
const COMMITTER = 'idp <idp@users.noreply.github.com> 946684800 +0000';

/** A file or link as git stores it: its mode (the owner's execute bit decides, as git add does) and content. */
function storedForm(entry: Exclude<RenderedEntry, { kind: 'dir' }>): [string, Buffer] {
  if (entry.kind === 'symlink') return ['120000', Buffer.from(entry.linkTarget, 'utf-8')];
  return [entry.mode & 0o100 ? '100755' : '100644', entry.content];
}

// fast-import reads C-style quoted paths: any name, spaces and newlines included.
function quotedPath(file: string): string {
  const normalized = file.split(path.sep).join('/');
  return `"${normalized.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}
