import { loadTemplateDefinition, runTemplate, templateProvenance, openTemplateSource, type RunOptions } from '@idp/scaffold';
import path from 'node:path';
import type { GeneratedFiles } from './generatedFiles';

/**
 * What `idp new` generates for these form values, in memory: the CLI's own engine (runTemplate:
 * the template's steps through the action registry) with the contract and provenance it reads;
 * `modelFiles` is where its steps read the files the values name (the CLI: the user's folders).
 */
export async function renderLikeCli(
  templateDir: string,
  formValues: Record<string, unknown>,
  { modelFiles }: Pick<RunOptions, 'modelFiles'> = {},
): Promise<GeneratedFiles> {
  const definition = await loadTemplateDefinition(templateDir);
  const source = await openTemplateSource(path.dirname(templateDir));
  const { entries } = await runTemplate(definition, formValues, {
    provenance: template => templateProvenance(source, template),
    ...(modelFiles ? { modelFiles } : {}),
  });
  const files: GeneratedFiles = new Map();
  for (const entry of entries) {
    if (entry.kind === 'file') files.set(entry.path, { content: entry.content, executable: (entry.mode & 0o111) !== 0 });
    if (entry.kind === 'symlink') files.set(entry.path, { content: Buffer.from(entry.linkTarget), executable: false });
  }
  return files;
}
