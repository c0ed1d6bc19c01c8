import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, type Problem } from '@idp/service-spec';
import { listTemplateDefinitions, loadTemplate, type TemplateInfo } from '@idp/scaffold';

/** A template by name (a folder of the templates root) or by path to a folder with template.yaml. */
export async function findTemplate(nameOrPath: string, root: string): Promise<TemplateInfo> {
  const candidates = [path.join(root, nameOrPath), path.resolve(nameOrPath)];
  for (const dir of candidates) {
    const found = await stat(path.join(dir, 'template.yaml')).then(
      () => true,
      () => false,
    );
    if (found) return loadTemplate(dir);
  }
  const known = (await listTemplateDefinitions(root).catch(() => [])).map((t) => t.name);
  const problem: Problem = {
    field: 'template',
    message: `"${nameOrPath}" is not a template under ${root}${known.length ? `; choose one of ${known.join(', ')} (e.g. idp new ${known[0]} my-service)` : ''}`,
  };
  throw new InvalidInputError('The template', [problem]);
}
