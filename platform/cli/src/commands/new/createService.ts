import type { PlatformContract, TemplateProvenance } from '@idp/service-spec';
import { renderService, writeAtomically, type RenderedService, type TemplateInfo } from '@idp/scaffold';
import { resolveTarget } from './resolveTarget.js';

export interface CreateServiceOptions {
  template: TemplateInfo;
  answers: Record<string, unknown>;
  platform: PlatformContract;
  /** Where the template came from, recorded in the service's .idp/ for `idp upgrade`. */
  provenance: TemplateProvenance;
  /** The templates folder in use: nothing is ever written inside it. */
  templatesRoot: string;
  /** GitHub Enterprise hosts repoUrl may name besides github.com and the contract's host. */
  enterpriseHosts?: readonly string[];
  out?: string;
  force?: boolean;
  dryRun?: boolean;
  onStep?: (text: string) => void;
}

export interface CreatedService extends RenderedService {
  targetDir: string;
}

/** The one path from answers to files, for flags, values files and prompts alike. */
export async function createService({
  template,
  answers,
  platform,
  provenance,
  templatesRoot,
  enterpriseHosts = [],
  out,
  force,
  dryRun,
  onStep,
}: CreateServiceOptions): Promise<CreatedService> {
  const { values, entries } = await renderService(template, answers, platform, provenance, { enterpriseHosts });
  const targetDir = await resolveTarget(out ?? values.name, templatesRoot);
  onStep?.(`Rendering ${template.name} ${template.version} for ${values.name}${dryRun ? ' (dry run)' : ` into ${targetDir}`}`);
  if (!dryRun) await writeAtomically(entries, targetDir, { force });
  return { targetDir, values, entries };
}
