import path from 'node:path';
import { serviceValues, type PlatformContract, type ServiceValues } from '@idp/spec';
import { scaffold, type RenderedEntry, type TemplateInfo } from '@idp/scaffold';

export interface CreateServiceOptions {
  template: TemplateInfo;
  answers: Record<string, unknown>;
  platform: PlatformContract;
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
export async function createService({ template, answers, platform, out, force, dryRun, onStep }: CreateServiceOptions): Promise<CreatedService> {
  const values = serviceValues(answers, platform);
  const targetDir = path.resolve(out ?? values.name);
  onStep?.(`Rendering ${template.name} ${template.version} for ${values.name}${dryRun ? ' (dry run)' : ` into ${targetDir}`}`);
  const entries = await scaffold({
    templateDir: template.skeletonDir,
    targetDir,
    values,
    force,
    dryRun,
    ...template.renderOptions,
    scmHosts: { [platform.github.host]: 'github' },
  });
  return { targetDir, values, entries };
}
