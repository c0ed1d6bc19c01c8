import path from 'node:path';
import { loadPlatformContract, loadTemplate, openTemplateSource, renderTemplate, templateProvenance } from '@idp/scaffold';
import { serviceValues } from '@idp/service-spec';
import type { GeneratedFiles } from './generatedFiles';

/**
 * What `idp new` generates for these form values, in memory: the CLI's own contract loader,
 * spec resolution and renderer, as the CLI calls them.
 */
export async function renderLikeCli(templateDir: string, formValues: Record<string, unknown>): Promise<GeneratedFiles> {
  const template = await loadTemplate(templateDir);
  const source = await openTemplateSource(path.dirname(templateDir));
  const provenance = await templateProvenance(source, path.basename(templateDir));
  const values = { ...serviceValues(formValues, await loadPlatformContract()), provenance };
  const entries = await renderTemplate(template.skeletonDir, values, template.renderOptions);
  const files: GeneratedFiles = new Map();
  for (const entry of entries) {
    if (entry.kind === 'file') files.set(entry.path, { content: entry.content, executable: (entry.mode & 0o111) !== 0 });
    if (entry.kind === 'symlink') files.set(entry.path, { content: Buffer.from(entry.linkTarget), executable: false });
  }
  return files;
}
