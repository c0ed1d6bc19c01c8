import { renderSkeleton, TemplateError } from '../../renderTemplate.js';
import { statIfAny } from '../../statIfAny.js';
import { fetchSource } from '../fetchSource.js';
import { joinWorkspacePath, workspacePath } from '../workspacePath.js';
import type { TemplateAction } from './templateAction.js';

/**
 * fetch:template (plugin-scaffolder-backend's templateActionHandler): a skeleton folder rendered
 * into the workspace, or into `targetPath` in it. Paths that already exist (from earlier steps or
 * earlier entries) are left alone unless `replace` is set.
 */
export const fetchTemplate: TemplateAction = {
  id: 'fetch:template',
  inputs: {
    url: 'string',
    targetPath: 'string?',
    values: 'object?',
    copyWithoutRender: 'string[]?',
    copyWithoutTemplating: 'string[]?',
    cookiecutterCompat: 'boolean?',
    templateFileExtension: 'string|boolean?',
    replace: 'boolean?',
    trimBlocks: 'boolean?',
    lstripBlocks: 'boolean?',
    token: 'string?',
  },
  async run(input, context) {
    const outputDir = workspacePath((input.targetPath as string | undefined) ?? './', `Step ${context.stepLabel}: targetPath`);
    const source = fetchSource(context.templateDir, input.url, context.stepLabel);
    if (!statIfAny(source)?.isDirectory()) {
      throw new TemplateError(`Step ${context.stepLabel}: url ${String(input.url)} must name a folder of the template (e.g. ./skeleton)`);
    }
    if (input.copyWithoutRender) {
      // Removed from the action in scaffolder-backend 2.0; Backstage still accepts the input and ignores it.
      context.warn(
        `Step ${context.stepLabel}: copyWithoutRender is ignored, as Backstage ignores it since it was removed from fetch:template; its files are rendered. Rename it copyWithoutTemplating to copy them as they are.`,
      );
    }
    const skeleton = await context.loadSkeleton(source, {
      copyWithoutTemplating: input.copyWithoutTemplating as string[] | undefined,
      templateFileExtension: input.templateFileExtension as string | boolean | undefined,
      cookiecutterCompat: input.cookiecutterCompat as boolean | undefined,
      trimBlocks: input.trimBlocks as boolean | undefined,
      lstripBlocks: input.lstripBlocks as boolean | undefined,
      scmHosts: context.scmHosts,
    });
    const entries = withStep(context.stepLabel, () =>
      renderSkeleton(skeleton, input.values as Record<string, unknown> | undefined, {
        exists: (relative) => context.workspace.exists(joinWorkspacePath(outputDir, relative)),
        replace: input.replace === true,
      }),
    );
    for (const entry of entries) context.workspace.write({ ...entry, path: joinWorkspacePath(outputDir, entry.path) });
    return {};
  },
};

/** Runs `fn`, naming the step in a TemplateError it throws. */
export function withStep<T>(label: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TemplateError && !error.message.startsWith('Step ')) {
      throw new TemplateError(`Step ${label}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
