import {
  githubHosts,
  serviceValues,
  type PlatformContract,
  type ResolveOptions,
  type ServiceValues,
  type TemplateProvenance,
} from '@idp/service-spec';
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
export async function renderService(
  template: TemplateInfo,
  answers: Record<string, unknown>,
  platform: PlatformContract,
  provenance: TemplateProvenance,
  options: ResolveOptions = {},
): Promise<RenderedService> {
  const values = { ...serviceValues(answers, platform, options), provenance };
  // Every GitHub host a repoUrl may name (the contract's, GitHub Enterprise's) is one
  // parseRepoUrl/projectSlug accept.
  const scmHosts = Object.fromEntries(githubHosts(platform.github.host, options.enterpriseHosts).map((host) => [host, 'github']));
  const entries = await renderTemplate(template.skeletonDir, values, { ...template.renderOptions, scmHosts });
  return { values, entries };
}
