import { InputError } from '@backstage/errors';
import type { ActionContext as BackstageActionContext } from '@backstage/plugin-scaffolder-node';
import { type ActionOutputs, type HostContext, openTemplateSource, type TemplateAction, templateProvenance } from '@idp/scaffold';
import { InvalidInputError } from '@idp/service-spec';
import { type ContractSourceOptions, loadContract } from './loadContract';

/** What the portal gives the shared actions: where contracts and templates are, and its GitHub integrations. */
export interface PortalHostOptions extends ContractSourceOptions {
  /** Hosts of the configured GitHub integrations (integrations.github[].host). */
  githubHosts?: readonly string[];
  /** The templates source the platform renders from; by default $IDP_TEMPLATES_DIR or the platform repository's, as the CLI. */
  templates?: string;
}

/**
 * Runs one of @idp/scaffold's host-neutral actions — the same object `idp new`'s runner calls — as a
 * scaffolder action: the portal as its host (contracts, templates source, integrations, logger),
 * its outputs given to ctx.output, its InvalidInputError the task's InputError (message unchanged).
 */
export async function runSharedAction(
  action: TemplateAction<HostContext>,
  ctx: BackstageActionContext<any, any, any>,
  options: PortalHostOptions,
): Promise<ActionOutputs> {
  const host: HostContext = {
    templateDir: ctx.templateInfo?.baseUrl ?? '',
    stepLabel: action.id,
    warn: message => ctx.logger.warn(message),
    scmHosts: Object.fromEntries((options.githubHosts ?? []).map(githubHost => [githubHost, 'github'])),
    contract: file => loadContract(file, options.contractsDir),
    provenance: async template => templateProvenance(await openTemplateSource(options.templates), template),
  };
  let outputs: ActionOutputs;
  try {
    outputs = await action.run(ctx.input, host);
  } catch (error) {
    // The message already lists every problem; a `cause` would only repeat it.
    if (error instanceof InvalidInputError) throw new InputError(error.message);
    throw error;
  }
  for (const [name, value] of Object.entries(outputs)) ctx.output(name, value as any);
  return outputs;
}
