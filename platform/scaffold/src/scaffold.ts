import type { RenderedEntry, RenderOptions } from './renderTemplate.js';
import { renderTemplate } from './renderTemplate.js';
import { writeAtomically } from './writeAtomically.js';

export interface ScaffoldOptions extends RenderOptions {
  templateDir: string;
  targetDir: string;
  values: Record<string, unknown>;
  force?: boolean;
  dryRun?: boolean;
}

/** Renders a skeleton and, unless it is a dry run, writes it atomically into the target. */
export async function scaffold({
  templateDir,
  targetDir,
  values,
  force,
  dryRun,
  ...renderOptions
}: ScaffoldOptions): Promise<RenderedEntry[]> {
  const entries = await renderTemplate(templateDir, values, renderOptions);
  if (!dryRun) await writeAtomically(entries, targetDir, { force });
  return entries;
}
