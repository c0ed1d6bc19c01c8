import { githubHosts, serviceValues, type PlatformContract, type ServiceValues } from '@idp/spec';
import { scaffold, type RenderedEntry, type TemplateInfo } from '@idp/scaffold';
import { resolveTarget } from './resolveTarget.js';

export interface CreateServiceOptions {
  template: TemplateInfo;
  answers: Record<string, unknown>;
  platform: PlatformContract;
  /** The templates folder in use: nothing is ever written inside it. */
  templatesRoot: string;
  /** GitHub Enterprise hosts repoUrl may name besides github.com and the contract's host. */
  enterpriseHosts?: readonly string[];
  out?: string;
  force?: boolean;
  dryRun?: boolean;
  onStep?: (text: string) => void;
}

export interface CreatedService {
  targetDir: string;
  values: ServiceValues;
  entries: RenderedEntry[];
}

/** The one path from answers to files, for flags, values files and prompts alike. */
export async function createService({ template, answers, platform, templatesRoot, enterpriseHosts = [], out, force, dryRun, onStep }: CreateServiceOptions): Promise<CreatedService> {
  const values = serviceValues(answers, platform, { enterpriseHosts });
  const targetDir = await resolveTarget(out ?? values.name, templatesRoot);
  onStep?.(`Rendering ${template.name} ${template.version} for ${values.name}${dryRun ? ' (dry run)' : ` into ${targetDir}`}`);
  const entries = await scaffold({
    templateDir: template.skeletonDir,
    targetDir,
    values,
    force,
    dryRun,
    ...template.renderOptions,
    scmHosts: Object.fromEntries(githubHosts(platform.github.host, enterpriseHosts).map((host) => [host, 'github'])),
  });
  return { targetDir, values, entries };
}
