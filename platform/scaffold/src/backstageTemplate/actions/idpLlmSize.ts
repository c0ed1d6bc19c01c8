import { LLM_SIZE_ACTION_ID, sizeLlmStep } from '../../llm/sizeLlmStep.js';
import type { HostContext, TemplateAction } from './templateAction.js';

/**
 * idp:llm:size — an llm-service's parameters validated and sized for the platform contract's GPUs
 * by @idp/scaffold's sizeLlmStep, which the portal's action wraps too: outputs `spec`, the resolved
 * service fetch:template renders, or refuses (InvalidInputError, exit 2) with the numbers before
 * any file is written. The model's config.json is read where the host lets steps read files.
 */
export const idpLlmSize: TemplateAction<HostContext> = {
  id: LLM_SIZE_ACTION_ID,
  inputs: { values: 'object', file: 'string?' },
  // The spec names every problem at once, in its own words: the form's schema must not cut it short.
  judgesParameters: true,
  async run(input, context) {
    const contract = await context.contract(input.file as string | undefined);
    const enterpriseHosts = Object.keys(context.scmHosts).filter((host) => context.scmHosts[host] === 'github');
    const { spec } = await sizeLlmStep(
      { values: input.values as Record<string, unknown> },
      { contract, enterpriseHosts, ...context.modelFiles },
    );
    return { spec };
  },
};
