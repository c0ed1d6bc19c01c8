import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedEntry } from '../../renderTemplate.js';
import { TemplateError } from '../../renderTemplate.js';
import { fetchSource } from '../fetchSource.js';
import { joinWorkspacePath, workspacePath } from '../workspacePath.js';
import type { TemplateAction } from './templateAction.js';

/**
 * fetch:plain: a folder (or one file) copied into the workspace as it is, with fs-extra's copy
 * rules: existing files are overwritten, each copy keeps its source's mode, links stay links.
 */
export const fetchPlain: TemplateAction = {
  id: 'fetch:plain',
  inputs: { url: 'string', targetPath: 'string?', token: 'string?' },
  async run(input, context) {
    const outputPath = workspacePath((input.targetPath as string | undefined) ?? './', `Step ${context.stepLabel}: targetPath`);
    const source = fetchSource(context.templateDir, input.url, context.stepLabel);
    const stats = await lstat(source).catch(() => undefined);
    if (!stats) throw new TemplateError(`Step ${context.stepLabel}: url ${String(input.url)} names nothing in the template folder`);
    if (!stats.isDirectory()) {
      if (outputPath === '') {
        throw new TemplateError(
          `Step ${context.stepLabel}: copying the file ${String(input.url)} needs a targetPath naming the file to write`,
        );
      }
      context.workspace.write(await copyOf(source, outputPath));
      return {};
    }
    context.workspace.write({ kind: 'dir', path: outputPath });
    const entries = await readdir(source, { recursive: true, withFileTypes: true });
    for (const entry of entries.sort((a, b) => compare(a, b, source))) {
      const file = path.join(entry.parentPath, entry.name);
      const relative = joinWorkspacePath(outputPath, path.relative(source, file).split(path.sep).join('/'));
      context.workspace.write(entry.isDirectory() ? { kind: 'dir', path: relative } : await copyOf(file, relative));
    }
    return {};
  },
};

async function copyOf(file: string, relative: string): Promise<RenderedEntry> {
  const stats = await lstat(file);
  if (stats.isSymbolicLink()) return { kind: 'symlink', path: relative, linkTarget: await readlink(file) };
  return { kind: 'file', path: relative, content: await readFile(file), mode: stats.mode & 0o7777, exactMode: true };
}

/** Parents before children, so a directory is written before what it holds. */
function compare(a: { parentPath: string; name: string }, b: { parentPath: string; name: string }, root: string): number {
  const pa = path.relative(root, path.join(a.parentPath, a.name));
  const pb = path.relative(root, path.join(b.parentPath, b.name));
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}
