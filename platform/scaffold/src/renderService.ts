import { serviceValues, type PlatformContract, type ServiceValues, type TemplateProvenance } from '@idp/spec';
import type { TemplateInfo } from './loadTemplate.js';
import { renderTemplate, type RenderedEntry } from './renderTemplate.js';

export interface RenderedService {
  values: ServiceValues & { provenance: TemplateProvenance };
  entries: RenderedEntry[];
}

/**
 * A service rendered in memory, from answers, contract and provenance: the one render `idp new`
 * writes and both sides of `idp upgrade` are made of. Throws InvalidInputError for bad answers.
 */
export async function renderService(template: TemplateInfo, answers: Record<string, unknown>, platform: PlatformContract, provenance: TemplateProvenance): Promise<RenderedService> {
  const values = { ...serviceValues(answers, platform), provenance };
  // The contract's GitHub host (GitHub Enterprise too) is one parseRepoUrl/projectSlug accept.
  const entries = await renderTemplate(template.skeletonDir, values, { ...template.renderOptions, scmHosts: { [platform.github.host]: 'github' } });
  return { values, entries };
}
