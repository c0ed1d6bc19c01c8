import path from 'node:path';
import type { PlatformContract, TemplateProvenance } from '@idp/spec';
import { renderService, writeAtomically, type RenderedService, type TemplateInfo } from '@idp/scaffold';

export interface CreateServiceOptions {
  template: TemplateInfo;
  answers: Record<string, unknown>;
  platform: PlatformContract;
  /** Where the template came from, recorded in the service's .idp/ for `idp upgrade`. */
  provenance: TemplateProvenance;
  out?: string;
  force?: boolean;
  dryRun?: boolean;
  onStep?: (text: string) => void;
}

export interface CreatedService extends RenderedService {
  targetDir: string;
}

/** The one path from answers to files, for flags, values files and prompts alike. */
export async function createService({ template, answers, platform, provenance, out, force, dryRun, onStep }: CreateServiceOptions): Promise<CreatedService> {
  const { values, entries } = await renderService(template, answers, platform, provenance);
  const targetDir = path.resolve(out ?? values.name);
  onStep?.(`Rendering ${template.name} ${template.version} for ${values.name}${dryRun ? ' (dry run)' : ` into ${targetDir}`}`);
  if (!dryRun) await writeAtomically(entries, targetDir, { force });
  return { targetDir, values, entries };
}
