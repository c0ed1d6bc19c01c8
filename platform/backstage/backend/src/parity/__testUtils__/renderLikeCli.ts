import path from 'node:path';
import { loadPlatformContract, loadTemplate, openTemplateSource, renderTemplate, templateProvenance } from '@idp/scaffold';
import { type PlatformContract, serviceValues } from '@idp/service-spec';
import type { GeneratedFiles } from './generatedFiles';

/** How a template's form values become its skeleton's values (its validate or size step's core). */
export type ResolveValues = (formValues: Record<string, unknown>, contract: PlatformContract) => Promise<object> | object;

/**
 * What `idp new` generates for these form values, in memory: the CLI's own contract loader,
 * spec resolution and renderer, as the CLI calls them. `resolve` is model-service's spec by default.
 */
export async function renderLikeCli(
  templateDir: string,
  formValues: Record<string, unknown>,
  resolve: ResolveValues = serviceValues,
): Promise<GeneratedFiles> {
  const template = await loadTemplate(templateDir);
  const source = await openTemplateSource(path.dirname(templateDir));
  const provenance = await templateProvenance(source, path.basename(templateDir));
  const platform = await loadPlatformContract();
  const values = { ...(await resolve(formValues, platform)), platform, provenance };
  const entries = await renderTemplate(template.skeletonDir, values, template.renderOptions);
  const files: GeneratedFiles = new Map();
  for (const entry of entries) {
    if (entry.kind === 'file') files.set(entry.path, { content: entry.content, executable: (entry.mode & 0o111) !== 0 });
    if (entry.kind === 'symlink') files.set(entry.path, { content: Buffer.from(entry.linkTarget), executable: false });
  }
  return files;
}
