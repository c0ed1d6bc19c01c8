import { fetchPlain } from './fetchPlain.js';
import { fetchPlainFile } from './fetchPlainFile.js';
import { fetchTemplate } from './fetchTemplate.js';
import { fetchTemplateFile } from './fetchTemplateFile.js';
import type { FileAction } from './fileAction.js';

/** The built-in actions that write the workspace, by id: the steps `idp new` runs. Every other step is listed, not run. */
export const FILE_ACTIONS: ReadonlyMap<string, FileAction> = new Map(
  [fetchTemplate, fetchPlain, fetchTemplateFile, fetchPlainFile].map((action) => [action.id, action]),
);
