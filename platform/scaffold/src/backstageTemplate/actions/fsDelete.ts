import path from 'node:path';
import { workspacePath } from '../workspacePath.js';
import type { TemplateAction } from './templateAction.js';

/**
 * fs:delete (plugin-scaffolder-backend's createFilesystemDeleteAction): each of `files` — a path
 * or a glob, matched with dot files as globby matches them — removed from the workspace with
 * everything under it; a path that matches nothing is no error.
 */
export const fsDelete: TemplateAction = {
  id: 'fs:delete',
  inputs: { files: 'string[]' },
  async run(input, context) {
    for (const file of input.files as string[]) {
      const target = workspacePath(file, `Step ${context.stepLabel}: files`);
      const matched = isGlob(target) ? context.workspace.paths().filter((p) => path.posix.matchesGlob(p, target)) : [target];
      for (const found of matched) context.workspace.remove(found);
    }
    return {};
  },
};

function isGlob(pattern: string): boolean {
  return /[*?[\]{}!]/.test(pattern);
}
