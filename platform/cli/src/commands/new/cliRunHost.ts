import os from 'node:os';
import path from 'node:path';
import type { TemplateProvenance } from '@idp/service-spec';
import {
  contractFileIn,
  DEFAULT_SCM_HOSTS,
  loadPlatformContract,
  openTemplateSource,
  type RunOptions,
  type ScmHosts,
  type TemplateDefinition,
  type TemplateSource,
  templateProvenance,
} from '@idp/scaffold';
import { githubHosts } from '@idp/service-spec';
import { githubEnterpriseHosts } from '../../shared/githubEnterpriseHosts.js';
import { cliModelFiles } from '../../shared/cliModelFiles.js';
import type { NewFlags } from './newFlags.js';

/** What the runner's actions get from the terminal: the contract, the template's provenance, hosts, user and secrets. */
export interface CliRunHost extends Required<Pick<RunOptions, 'contract' | 'provenance' | 'user' | 'secrets' | 'modelFiles'>> {
  scmHosts: ScmHosts;
  /** The provenance of the template being run, as the service records it. */
  provenance(template: string): Promise<TemplateProvenance>;
}

/**
 * The CLI as the runner's host, as the portal is the scaffolder's: the contract of --contract (or
 * $IDP_PLATFORM_CONTRACT, the default; a template's `file` input names one in the contracts
 * directory), the GitHub hosts of the contract and --github-url as integrations, the template's
 * provenance from the templates source it was found in, the terminal's user, and $BACKSTAGE_TOKEN
 * as secrets.backstageToken, as the portal passes the signed-in user's.
 */
export async function cliRunHost(
  definition: TemplateDefinition,
  source: TemplateSource,
  templatesRoot: string,
  flags: NewFlags,
): Promise<CliRunHost> {
  const platform = await loadPlatformContract(flags.contract);
  const scmHosts: ScmHosts = {
    ...DEFAULT_SCM_HOSTS,
    ...Object.fromEntries(githubHosts(platform.github.host, githubEnterpriseHosts(flags.githubUrl)).map((host) => [host, 'github'])),
  };
  // A template named by its own path records the repository that folder belongs to.
  const inSource = path.dirname(definition.dir) === path.resolve(templatesRoot);
  const folderSource = async () => (inSource ? source : openTemplateSource(path.dirname(definition.dir)));
  const provenances = new Map<string, Promise<TemplateProvenance>>();
  const token = process.env.BACKSTAGE_TOKEN;
  return {
    scmHosts,
    contract: async (file) => (file === undefined ? platform : loadPlatformContract(contractFileIn(file))),
    provenance(template) {
      if (!provenances.has(template))
        provenances.set(
          template,
          folderSource().then((from) => templateProvenance(from, template)),
        );
      return provenances.get(template)!;
    },
    user: { ref: `user:default/${terminalUser()}` },
    secrets: token ? { backstageToken: token } : {},
    modelFiles: cliModelFiles(),
  };
}

/** Who runs idp: the login name, else $USER (a container may have no passwd entry for its uid). */
function terminalUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER || 'unknown';
  }
}
