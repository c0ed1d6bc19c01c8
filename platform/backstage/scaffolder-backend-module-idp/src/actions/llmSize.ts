import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LLM_SIZE_ACTION_ID, sizeLlmStep } from '@idp/scaffold';
import { InvalidInputError } from '@idp/service-spec';
import { LLM_SIZE_EXAMPLES } from './llmSize.examples';
import { CONTRACT_FILE_INPUT_DESCRIPTION, type ContractSourceOptions, loadContract } from './loadContract';

export interface LlmSizeActionOptions extends ContractSourceOptions {
  /** The hosts of the portal's GitHub integrations (integrations.github), as idp:spec:validate takes them. */
  githubHosts?: string[];
  /** The Hub token for gated models: the backend's HF_TOKEN (a Kubernetes Secret), sent only to huggingface.co. */
  hfToken?: string;
  /**
   * The portal's mirror of model configs (idp.llm.modelConfigDir), for installs without the Hub:
   * a modelConfig path is read inside it and nowhere else. Without it, only URLs are read.
   */
  modelConfigDir?: string;
  /** For tests; the runtime's fetch by default. */
  fetch?: typeof fetch;
}

/**
 * idp:llm:size — the llm-service form's values through the same spec and sizing as `idp new
 * llm-service`: reads the model's config.json, sizes it for the platform contract's GPUs and
 * outputs the resolved spec fetch:template renders, or refuses with the numbers before anything
 * is written. A thin wrapper over @idp/scaffold's sizeLlmStep, which the CLI runs too.
 */
export function createLlmSizeAction(options: LlmSizeActionOptions = {}) {
  return createTemplateAction({
    id: LLM_SIZE_ACTION_ID,
    description:
      "Validates an llm-service's parameters, reads the model's config.json (modelConfig, or the Hugging Face Hub at the pinned revision) and sizes it for the platform's GPUs: outputs the resolved spec with the GPU type and count, or refuses naming the GiB needed, what each pool offers and the longest context that fits.",
    examples: LLM_SIZE_EXAMPLES,
    supportsDryRun: true,
    schema: {
      input: {
        // Deliberately loose: the spec judges the values and names every problem at once.
        values: z => z.record(z.unknown()).describe('The llm-service parameters as the form submitted them, usually ${{ parameters }}'),
        file: z => z.string().optional().describe(CONTRACT_FILE_INPUT_DESCRIPTION),
      },
      output: {
        spec: z =>
          z
            .object({
              name: z.string(),
              namespace: z.string(),
              repoUrl: z.string(),
              servedModelName: z.string(),
              gpuType: z.string(),
              gpuCount: z.number().int(),
              tensorParallelSize: z.number().int(),
              maxModelLen: z.number().int(),
              maxNumSeqs: z.number().int(),
              sizing: z.unknown().describe('The figures the choice rests on: weights, KV cache, overhead, the choice and its alternatives'),
            })
            .passthrough()
            .describe('The resolved llm-service spec: every parameter with its default, the chosen GPUs and the sizing they rest on'),
      },
    },
    async handler(ctx) {
      const contract = await loadContract(ctx.input.file, options.contractsDir);
      try {
        const { spec } = await sizeLlmStep(
          { values: ctx.input.values },
          {
            contract,
            enterpriseHosts: options.githubHosts,
            hfToken: options.hfToken,
            ...(options.modelConfigDir ? { localFiles: { baseDir: options.modelConfigDir, confined: true } } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          },
        );
        ctx.logger.info(
          `${spec.name}: ${spec.servedModelName} fits ${spec.gpuCount} × ${spec.gpuType} (tensor-parallel ${spec.tensorParallelSize}) at ${spec.maxModelLen} tokens × ${spec.maxNumSeqs} sequences`,
        );
        ctx.output('spec', spec);
      } catch (error) {
        // The message already lists every problem, with the numbers; a `cause` would only repeat it.
        if (error instanceof InvalidInputError) throw new InputError(error.message);
        throw error;
      }
    },
  });
}
