import { git } from '../../../../test/git.js';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threeWayUpgrade, type RenderedEntry } from '../index.js';
import { tempDir } from '../../test/fixtureTemplate.js';
import { propertyRuns } from '../../../../test/propertyRuns.js';

// Random edits by the owners and by the template over random files: after the upgrade every line
// the owners wrote survives (in a merged file, or on the "yours" side of a conflict), files they
// deleted stay deleted, the template's lines arrive wherever there is no conflict, and an upgrade
// to the same render changes nothing.

type Files = Record<string, string[]>;

const entries = (files: Files): RenderedEntry[] =>
  Object.entries(files).map(([file, lines]) => ({
    kind: 'file',
    path: file,
    content: Buffer.from(lines.map((l) => `${l}\n`).join('')),
    mode: 0o644,
  }));

/** An edit of one file: replace, insert or delete a line at a position (taken modulo its length). */
const edit = fc.record({ file: fc.nat(), line: fc.nat(), op: fc.constantFrom('replace', 'insert', 'delete') });
const sideEdits = fc.record({
  edits: fc.array(edit, { maxLength: 6 }),
  deleteFile: fc.option(fc.nat(), { nil: undefined }),
  addFile: fc.boolean(),
});

function applyEdits(base: Files, side: 'yours' | 'theirs', { edits, deleteFile, addFile }: fc.infer<typeof sideEdits>): Files {
  const files: Files = Object.fromEntries(Object.entries(base).map(([f, lines]) => [f, [...lines]]));
  const names = Object.keys(files).sort();
  edits.forEach(({ file, line, op }, i) => {
    const lines = files[names[file % names.length]!]!;
    const at = lines.length ? line % lines.length : 0;
    const mark = `${side}-${i}`;
    if (op === 'replace' && lines.length) lines[at] = mark;
    else if (op === 'insert') lines.splice(at, 0, mark);
    else if (op === 'delete' && lines.length > 1) lines.splice(at, 1);
  });
  if (deleteFile !== undefined && names.length > 1) delete files[names[deleteFile % names.length]!];
  if (addFile) files[`${side}-added.txt`] = [`${side}-new-file`];
  return files;
}

const baseFiles = fc
  .array(fc.integer({ min: 3, max: 12 }), { minLength: 2, maxLength: 4 })
  .map((lengths) =>
    Object.fromEntries(lengths.map((n, f) => [`dir${f % 2}/file${f}.txt`, Array.from({ length: n }, (_, i) => `base-${f}-${i}`)])),
  );

async function serviceAt(files: Files): Promise<string> {
  const dir = await tempDir();
  for (const [file, lines] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), lines.map((l) => `${l}\n`).join(''));
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'service');
  return dir;
}

const labels = { ours: 'yours', theirs: 'template' };

describe('threeWayUpgrade, property-based', () => {
  it('never loses a line the owners wrote; conflicts keep both sides', async () => {
    await fc.assert(
      fc.asyncProperty(baseFiles, sideEdits, sideEdits, async (base, yourEdits, templateEdits) => {
        const ours = applyEdits(base, 'yours', yourEdits);
        const theirs = applyEdits(base, 'theirs', templateEdits);
        const dir = await serviceAt(ours);
        try {
          const { plan } = await threeWayUpgrade({ dir, base: entries(base), theirs: entries(theirs), labels });
          const conflicted = new Set(plan.conflicts.map((c) => c.path));
          for (const [file, lines] of Object.entries(ours)) {
            const written = path.join(dir, file);
            const removedByTemplate = base[file] && !theirs[file];
            const ownersChanged = !base[file] || lines.join('\n') !== base[file]!.join('\n');
            if (removedByTemplate && !ownersChanged) {
              expect(existsSync(written), `${file}: removed by the template, untouched by the owners`).toBe(false);
              continue;
            }
            const text = await readFile(written, 'utf-8');
            for (const line of lines.filter((l) => l.startsWith('yours-'))) expect(text, `${file} keeps ${line}`).toContain(`${line}\n`);
            if (conflicted.has(file)) expect(text).toMatch(/^<<<<<<< yours$/m);
          }
          for (const file of Object.keys(base).filter((f) => !ours[f])) {
            expect(existsSync(path.join(dir, file)), `${file}: deleted by the owners`).toBe(false);
          }
          for (const [file, lines] of Object.entries(theirs)) {
            if (conflicted.has(file) || (!ours[file] && base[file])) continue;
            const text = await readFile(path.join(dir, file), 'utf-8');
            for (const line of lines.filter((l) => l.startsWith('theirs-'))) expect(text, `${file} gets ${line}`).toContain(`${line}\n`);
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      propertyRuns(25),
    );
    // 25 upgrades of fresh repositories: about 13 s alone, four times that beside the rest of npm test.
  }, 180_000);

  it('an upgrade to the same render changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(baseFiles, sideEdits, async (base, yourEdits) => {
        const dir = await serviceAt(applyEdits(base, 'yours', yourEdits));
        try {
          const outcome = await threeWayUpgrade({ dir, base: entries(base), theirs: entries(base), labels });
          expect(outcome).toMatchObject({ upToDate: true, written: false });
          expect(git(dir, 'status', '--porcelain')).toBe('');
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      propertyRuns(10),
    );
  });
});
