import { workspacePath } from '../workspacePath.js';
import type { TemplateAction } from './templateAction.js';

/**
 * catalog:write (plugin-scaffolder-backend's createCatalogWriteAction): the entity written as YAML
 * to `filePath` (catalog-info.yaml by default), with the template's entity ref as its
 * backstage.io/source-template annotation, by the same YAML library.
 */
export const catalogWrite: TemplateAction = {
  id: 'catalog:write',
  inputs: { filePath: 'string?', entity: 'object' },
  async run(input, context) {
    // Loaded here: only templates with this step pay for the library.
    const { stringify } = await import('yaml');
    const entity = input.entity as Record<string, unknown> & { metadata?: Record<string, unknown> };
    const metadata = entity.metadata ?? {};
    const target = workspacePath((input.filePath as string | undefined) ?? 'catalog-info.yaml', `Step ${context.stepLabel}: filePath`);
    const text = stringify({
      ...entity,
      metadata: {
        ...metadata,
        ...(context.templateRef
          ? { annotations: { ...(metadata.annotations as object | undefined), 'backstage.io/source-template': context.templateRef } }
          : undefined),
      },
    });
    context.workspace.write({ kind: 'file', path: target, content: Buffer.from(text, 'utf-8'), mode: 0o666 });
    return {};
  },
};
