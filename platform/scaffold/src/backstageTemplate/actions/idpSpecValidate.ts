import { resolveService } from '@idp/service-spec';
import type { HostContext, TemplateAction } from './templateAction.js';

/**
 * idp:spec:validate — the form's values through @idp/service-spec's ServiceSpec and the platform
 * contract: outputs `spec`, the resolved service (every default, repoUrl, pythonPackage, the team
 * namespace). Its InvalidInputError names every problem; the CLI shows it as it is (exit 2), the
 * portal's wrapper as an InputError.
 */
export const idpSpecValidate: TemplateAction<HostContext> = {
  id: 'idp:spec:validate',
  inputs: { values: 'object', file: 'string?' },
  // ServiceSpec names every problem at once, in its own words: the form's schema must not cut it short.
  judgesParameters: true,
  async run(input, context) {
    const platform = await context.contract(input.file as string | undefined);
    // repoUrl may name any GitHub host the door serves (the portal's integrations, idp's --github-url).
    const enterpriseHosts = Object.keys(context.scmHosts).filter((host) => context.scmHosts[host] === 'github');
    return { spec: resolveService(input.values, platform, { enterpriseHosts }) };
  },
};
