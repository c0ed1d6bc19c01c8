import type { TemplateProvenance } from '@idp/spec';
import { gitText } from '../git/runGit.js';
import type { TemplateSource } from './openTemplateSource.js';

/**
 * What a render from `source` records: the repository, the template's folder, the commit, and
 * whether that commit alone reproduces the files (not when the local checkout has uncommitted
 * changes under the template).
 */
export async function templateProvenance(source: TemplateSource, templateName: string, commit?: string): Promise<TemplateProvenance> {
  const templatePath = source.templatesPath === '.' ? templateName : `${source.templatesPath}/${templateName}`;
  if (!source.gitDir) return { repository: source.repository, path: templatePath, commit: '', reproducible: false };
  const resolved = await gitText(['rev-parse', '--verify', `${commit ?? 'HEAD'}^{commit}`], { cwd: source.gitDir });
  const fromWorkTree = !commit && source.workTree;
  const changes = fromWorkTree ? await gitText(['status', '--porcelain', '--untracked-files=all', '--', templatePath], { cwd: source.gitDir }) : '';
  return { repository: source.repository, path: templatePath, commit: resolved, reproducible: changes === '' };
}
