import { readFile, stat } from 'node:fs/promises';
import { fetchRenderer, TemplateError } from '../../renderTemplate.js';
import { fetchSource } from '../fetchSource.js';
import { workspacePath } from '../workspacePath.js';
import type { TemplateAction } from './templateAction.js';
import { withStep } from './fetchTemplate.js';

/**
 * fetch:template:file (templateFileActionHandler): one file rendered to `targetPath`, unless that
 * path exists and `replace` is not set. Written as fs-extra's outputFile writes it: a new file
 * gets the default mode, whatever the source's.
 */
export const fetchTemplateFile: TemplateAction = {
  id: 'fetch:template:file',
  inputs: {
    url: 'string',
    targetPath: 'string',
    values: 'object?',
    cookiecutterCompat: 'boolean?',
    replace: 'boolean?',
    trimBlocks: 'boolean?',
    lstripBlocks: 'boolean?',
    token: 'string?',
  },
  async run(input, context) {
    const outputPath = workspacePath(input.targetPath as string, `Step ${context.stepLabel}: targetPath`);
    if (context.workspace.exists(outputPath) && input.replace !== true) {
      context.warn(
        `Step ${context.stepLabel}: ${outputPath} already exists, not replacing (as Backstage; set replace: true to replace it)`,
      );
      return {};
    }
    const source = fetchSource(context.templateDir, input.url, context.stepLabel);
    if (!(await stat(source).catch(() => undefined))?.isFile()) {
      throw new TemplateError(
        `Step ${context.stepLabel}: url ${String(input.url)} must name a file of the template (e.g. ./files/README.md)`,
      );
    }
    const render = fetchRenderer(
      {
        cookiecutterCompat: input.cookiecutterCompat as boolean | undefined,
        trimBlocks: input.trimBlocks as boolean | undefined,
        lstripBlocks: input.lstripBlocks as boolean | undefined,
        scmHosts: context.scmHosts,
      },
      input.values as Record<string, unknown> | undefined,
    );
    const text = await readFile(source, 'utf-8');
    const content = withStep(context.stepLabel, () => render(text, String(input.url)));
    context.workspace.write({ kind: 'file', path: outputPath, content: Buffer.from(content, 'utf-8'), mode: 0o666 });
    return {};
  },
};
