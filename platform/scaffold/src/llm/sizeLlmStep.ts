import { LlmServiceSpec, modelConfigLocation, type PlatformContract, type ResolvedLlmService, resolveLlmService } from '@idp/service-spec';
import { type ModelFileAccess, readModelFiles } from './readModelFiles.js';

/** The action id both doors run this step under (template.yaml's `idp:llm:size`). */
export const LLM_SIZE_ACTION_ID = 'idp:llm:size';

export interface LlmSizeInput {
  /** The template's parameters, as the form or `idp new --set` gave them. */
  values: Record<string, unknown>;
}

export interface LlmSizeContext extends ModelFileAccess {
  contract: PlatformContract;
  /** GitHub Enterprise hosts the door has integrations for. */
  enterpriseHosts?: readonly string[];
}

export interface LlmSizeOutput {
  /** The resolved llm-service spec, sizing included: fetch:template's values (with the contract). */
  spec: ResolvedLlmService;
}

/**
 * idp:llm:size, host-neutral: validates an llm-service's parameters, reads the model's config.json
 * (and safetensors index) where modelConfig points, and sizes it for the platform's GPUs. The
 * portal's action and the CLI's step runner both call this. Throws InvalidInputError (exit 2,
 * nothing written) naming every problem, or the refusal with its numbers.
 */
export async function sizeLlmStep(input: LlmSizeInput, context: LlmSizeContext): Promise<LlmSizeOutput> {
  const { contract, enterpriseHosts, ...access } = context;
  const parsed = LlmServiceSpec.safeParse(input.values);
  // An invalid spec is reported by resolveLlmService before it looks at the model: nothing is fetched for it.
  const model = parsed.success ? await readModelFiles(modelConfigLocation(parsed.data), access) : { config: '{}' };
  return { spec: resolveLlmService(input.values, { contract, model, ...(enterpriseHosts ? { enterpriseHosts } : {}) }) };
}
