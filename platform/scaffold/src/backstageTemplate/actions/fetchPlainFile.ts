import { readFile, stat } from 'node:fs/promises';
import { TemplateError } from '../../renderTemplate.js';
import { fetchSource } from '../fetchSource.js';
import { workspacePath } from '../workspacePath.js';
import type { TemplateAction } from './templateAction.js';

/**
 * fetch:plain:file: one file copied to `targetPath`, replacing what is there. As for a template
 * the portal reads from a repository (fetchFile's outputFile): missing folders are created and a
 * new file gets the default mode (docs/adr/0014).
 */
export const fetchPlainFile: TemplateAction = {
  id: 'fetch:plain:file',
  inputs: { url: 'string', targetPath: 'string', token: 'string?' },
  async run(input, context) {
    const outputPath = workspacePath(input.targetPath as string, `Step ${context.stepLabel}: targetPath`);
    const source = fetchSource(context.templateDir, input.url, context.stepLabel);
    if (!(await stat(source).catch(() => undefined))?.isFile()) {
      throw new TemplateError(
        `Step ${context.stepLabel}: url ${String(input.url)} must name a file of the template (e.g. ./files/LICENSE)`,
      );
    }
    context.workspace.write({ kind: 'file', path: outputPath, content: await readFile(source), mode: 0o666 });
    return {};
  },
};
