import { TemplateError } from '../../renderTemplate.js';
import { workspacePath } from '../workspacePath.js';
import type { TemplateAction } from './templateAction.js';

/**
 * fs:rename (plugin-scaffolder-backend's createFilesystemRenameAction): each `{ from, to,
 * overwrite }` moved inside the workspace, in order; an existing destination is an error unless
 * `overwrite` is true, as fs-extra's move decides.
 */
export const fsRename: TemplateAction = {
  id: 'fs:rename',
  inputs: { files: 'object[]' },
  async run(input, context) {
    for (const file of input.files as Array<Record<string, unknown>>) {
      if (typeof file.from !== 'string' || typeof file.to !== 'string' || !file.from || !file.to) {
        throw new TemplateError(`Step ${context.stepLabel}: each file must have a from and to property (e.g. { from: a.txt, to: b.txt })`);
      }
      const from = workspacePath(file.from, `Step ${context.stepLabel}: files.from`);
      const to = workspacePath(file.to, `Step ${context.stepLabel}: files.to`);
      try {
        context.workspace.move(from, to, file.overwrite === true);
      } catch (error) {
        throw new TemplateError(`Step ${context.stepLabel}: ${(error as Error).message}`);
      }
    }
    return {};
  },
};
