import { stat } from 'node:fs/promises';
import path from 'node:path';
import { listTemplateDefinitions, loadTemplateDefinition, type TemplateDefinition } from '@idp/scaffold';

/**
 * A template by folder name under the templates root, by path to its folder, or by its
 * metadata.name anywhere in the templates source (a repository like backstage/software-templates
 * keeps them in folders of its own); undefined when there is none.
 */
export async function findTemplateDefinition(nameOrPath: string, root: string): Promise<TemplateDefinition | undefined> {
  for (const dir of [path.join(root, nameOrPath), path.resolve(nameOrPath)]) {
    const found = await stat(path.join(dir, 'template.yaml')).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return loadTemplateDefinition(dir);
  }
  return (await listTemplateDefinitions(root)).find((definition) => definition.name === nameOrPath);
}
