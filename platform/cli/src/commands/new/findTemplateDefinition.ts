import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import { listTemplateDefinitions, loadTemplateDefinition, statIfAny, type TemplateDefinition } from '@idp/scaffold';

/**
 * A template by folder name under the templates root, by path to its folder, or by its
 * metadata.name anywhere in the templates source (a repository like backstage/software-templates
 * keeps them in folders of its own); bad input naming the templates there are when there is none.
 */
export async function findTemplateDefinition(nameOrPath: string, root: string): Promise<TemplateDefinition> {
  for (const dir of [path.join(root, nameOrPath), path.resolve(nameOrPath)]) {
    if (statIfAny(path.join(dir, 'template.yaml'))?.isFile()) return loadTemplateDefinition(dir);
  }
  const all = await listTemplateDefinitions(root).catch(() => []);
  const named = all.find((definition) => definition.name === nameOrPath);
  if (named) return named;
  const known = all.map((definition) => definition.name);
  throw new InvalidInputError('The template', [
    {
      field: 'template',
      message: `"${nameOrPath}" is not a template under ${root}${known.length ? `; choose one of ${known.join(', ')} (e.g. idp new ${known[0]} my-service)` : ''}`,
    },
  ]);
}
