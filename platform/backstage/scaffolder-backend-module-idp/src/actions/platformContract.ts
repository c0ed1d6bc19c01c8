import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { idpPlatformContract } from '@idp/scaffold';
import type { PlatformContract } from '@idp/service-spec';
import { CONTRACT_FILE_INPUT_DESCRIPTION, type ContractSourceOptions } from './loadContract';
import { runSharedAction } from './sharedAction';
import { CONTRACT_EXAMPLES } from './platformContract.examples';

export type PlatformContractActionOptions = ContractSourceOptions;

/**
 * idp:platform:contract — the platform contract read by the CLI's own loader, so
 * fetch:template gets the same values.platform from the portal as from `idp new`.
 */
export function createPlatformContractAction(options: PlatformContractActionOptions = {}) {
  return createTemplateAction({
    id: 'idp:platform:contract',
    description:
      'Outputs the platform contract (clusters, registries, CI identities, mesh, GPU pools, observability) that `idp new` renders with: $IDP_PLATFORM_CONTRACT, the `file` input, or the default contract.',
    examples: CONTRACT_EXAMPLES,
    supportsDryRun: true,
    schema: {
      input: {
        file: z =>
          z
            .string()
            .optional()
            .describe(CONTRACT_FILE_INPUT_DESCRIPTION),
      },
      output: {
        platform: z =>
          z
            .object({
              version: z.literal(1),
              github: z.object({ host: z.string(), org: z.string() }),
              environments: z.object({
                staging: z.record(z.unknown()),
                production: z.record(z.unknown()),
              }),
            })
            .describe('The platform contract, validated: pass it to fetch:template as values.platform'),
      },
    },
    async handler(ctx) {
      // The one implementation, shared with idp new's runner (@idp/scaffold).
      const { platform } = (await runSharedAction(idpPlatformContract, ctx, options)) as { platform: PlatformContract };
      ctx.logger.info(`Platform contract for GitHub organisation ${platform.github.org}`);
    },
  });
}
