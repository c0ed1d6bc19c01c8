import type { TemplateProvenance } from '@idp/service-spec';
import { gitText } from '../git/runGit.js';
import type { TemplateSource } from './openTemplateSource.js';

/**
 * What a render from `source` records: the repository, the template's folder, the commit, and
 * whether that commit alone reproduces the files (not when the local checkout has uncommitted
 * changes under the template).
 */
export async function templateProvenance(source: TemplateSource, templateName: string, commit?: string): Promise<TemplateProvenance> {
  const templatePath = source.templatesPath === '.' ? templateName : `${source.templatesPath}/${templateName}`;
  if (source.packaged) {
    // A packaged copy of one commit: that commit reproduces it, when the pack had one.
    const packedCommit = source.packaged.commit;
    return { repository: source.repository, path: templatePath, commit: packedCommit, reproducible: packedCommit !== '' };
  }
  if (!source.gitDir) return { repository: source.repository, path: templatePath, commit: '', reproducible: false };
  if (!commit && source.workTree) {
    // The local checkout renders as it is: its HEAD, and whether the template has changes beyond it.
    const status = await gitText(['status', '--porcelain=v2', '--branch', '--untracked-files=all', '--', templatePath], {
      cwd: source.gitDir,
    });
    const head = /^# branch\.oid ([0-9a-f]+)$/m.exec(status)?.[1] ?? '';
    const changed = status.split('\n').some((line) => line !== '' && !line.startsWith('#'));
    return { repository: source.repository, path: templatePath, commit: head, reproducible: head !== '' && !changed };
  }
  const resolved = await gitText(['rev-parse', '--verify', `${commit ?? 'HEAD'}^{commit}`], { cwd: source.gitDir });
  return { repository: source.repository, path: templatePath, commit: resolved, reproducible: true };
}
