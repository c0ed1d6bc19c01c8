import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InvalidInputError, resolveService } from '@idp/spec';
import { loadContract } from './loadContract';
import { VALIDATE_EXAMPLES } from './validateSpec.examples';

export interface ValidateSpecActionOptions {
  /** Where the `file` input looks for contracts; the platform's contracts directory by default. */
  contractsDir?: string;
}

/**
 * idp:spec:validate — the form's values through the same spec and platform contract as
 * `idp new`, so the portal accepts, rejects and defaults exactly what the CLI does.
 */
export function createValidateSpecAction(options: ValidateSpecActionOptions = {}) {
  return createTemplateAction({
    id: 'idp:spec:validate',
    description:
      'Validates a model service spec (the form values) with the rules of `idp new` and the platform contract, and outputs the resolved spec with every default, repoUrl and pythonPackage filled in.',
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
            .describe(
              'A platform contract in the contracts directory (e.g. default.yaml); by default $IDP_PLATFORM_CONTRACT or the default contract, as the CLI',
            ),
      },
      output: {
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
              gpuType: z.string(),
              gpuCount: z.number().int(),
              cpu: z.string(),
              memory: z.string(),
              minReplicas: z.number().int(),
              maxReplicas: z.number().int(),
              maxModelLoadSeconds: z.number().int(),
              repoUrl: z.string(),
              pythonPackage: z.string(),
            })
            .describe('The resolved spec: every field of the service, defaults applied'),
      },
    },
    async handler(ctx) {
      const platform = await loadContract(ctx.input.file, options.contractsDir);
      try {
        const spec = resolveService(ctx.input.values, platform);
        ctx.logger.info(`Service spec of ${spec.name} is valid (repository ${spec.repoUrl})`);
        ctx.output('spec', spec);
      } catch (error) {
        // The message already lists every problem; a `cause` would only repeat it.
        if (error instanceof InvalidInputError) throw new InputError(error.message);
        throw error;
      }
    },
  });
}
