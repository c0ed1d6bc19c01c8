import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { idpSpecValidate } from '@idp/scaffold';
import { CONTRACT_FILE_INPUT_DESCRIPTION, type ContractSourceOptions } from './loadContract';
import { runSharedAction } from './sharedAction';
import { VALIDATE_EXAMPLES } from './validateSpec.examples';

export interface ValidateSpecActionOptions extends ContractSourceOptions {
  /**
   * The hosts of the portal's GitHub integrations (integrations.github): repoUrl may name them
   * besides github.com and the contract's host, as fetch:template and publish:github serve them.
   */
  githubHosts?: string[];
}

/**
 * idp:spec:validate — the form's values through the same spec and platform contract as
 * `idp new`, so the portal accepts, rejects and defaults exactly what the CLI does.
 */
export function createValidateSpecAction(options: ValidateSpecActionOptions = {}) {
  return createTemplateAction({
    id: 'idp:spec:validate',
    description:
      'Validates a model service spec (the form values) with the rules of `idp new` and the platform contract, and outputs the resolved spec with every default, repoUrl, pythonPackage and the team namespace filled in.',
    examples: VALIDATE_EXAMPLES,
    supportsDryRun: true,
    schema: {
      input: {
        // Deliberately loose: the spec below judges the values and names every problem at once,
        // which a JSON-schema check in front of it would cut short.
        values: z =>
          z
            .record(z.unknown())
            .describe('The service spec as the form submitted it, usually ${{ parameters }}'),
        file: z =>
          z
            .string()
            .optional()
            .describe(CONTRACT_FILE_INPUT_DESCRIPTION),
      },
      output: {
        // Backstage's zod, so written out here; validateSpec.test.ts holds it equal to what
        // resolveService returns (the same fields, the same types).
        spec: z =>
          z
            .object({
              name: z.string(),
              description: z.string(),
              owner: z.string(),
              system: z.string(),
              runtime: z.string(),
              modelName: z.string(),
              modelVersion: z.string(),
              modelUri: z.string(),
              modelFormat: z.string(),
              gpuType: z.string(),
              gpuCount: z.number().int(),
              cpu: z.string(),
              memory: z.string(),
              minReplicas: z.number().int(),
              maxReplicas: z.number().int(),
              maxModelLoadSeconds: z.number().int(),
              maxBatchSize: z.number().int(),
              maxBatchDelayMs: z.number().int(),
              maxQueueLength: z.number().int(),
              repoUrl: z.string(),
              pythonPackage: z.string(),
              namespace: z.string(),
              sharedMemory: z.string(),
            })
            .describe('The resolved spec: every field of the service, defaults applied'),
      },
    },
    async handler(ctx) {
      // The one implementation, shared with idp new's runner (@idp/scaffold).
      const { spec } = (await runSharedAction(idpSpecValidate, ctx, options)) as { spec: { name: string; repoUrl: string } };
      ctx.logger.info(`Service spec of ${spec.name} is valid (repository ${spec.repoUrl})`);
    },
  });
}
