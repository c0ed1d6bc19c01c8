import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CATALOG_REGISTER_EXAMPLES } from './catalogRegister.examples';
import { CONTRACT_FILE_INPUT_DESCRIPTION, loadContract, type ContractSourceOptions } from './loadContract';
import { CATALOG_INFO_PATH, serviceCatalogInfoUrl } from './serviceCatalogInfoUrl';

export type CatalogRegisterActionOptions = ContractSourceOptions & {
  catalog: CatalogService;
  /** The scaffolder's own auth: the location is registered as the scaffolder, not as the user. */
  auth: AuthService;
  /** Hosts of the configured GitHub integrations (integrations.github[].host). */
  githubHosts: readonly string[];
};

/**
 * idp:catalog:register — registers the catalog-info.yaml of the repository this run published,
 * and nothing else. Users outside the platform group may not register catalog locations (the
 * permission policy), so catalog:register, which registers as the user, cannot do it for them;
 * this action registers as the scaffolder, and only a repository root of the platform's
 * organisation, so the policy's rule keeps its meaning.
 */
export function createCatalogRegisterAction(options: CatalogRegisterActionOptions) {
  return createTemplateAction({
    id: 'idp:catalog:register',
    description: `Registers ${CATALOG_INFO_PATH} of the repository publish:github created (the platform's GitHub organisation only), as the scaffolder; outputs entityRef and catalogInfoUrl like catalog:register.`,
    examples: CATALOG_REGISTER_EXAMPLES,
    schema: {
      input: {
        repoContentsUrl: z => z.string().describe("publish:github's repoContentsUrl output, e.g. https://github.com/acme/fraud-detector/blob/main"),
        file: z => z.string().optional().describe(CONTRACT_FILE_INPUT_DESCRIPTION),
      },
      output: {
        entityRef: z => z.string().optional().describe('The registered Component (or the first entity of the file)'),
        catalogInfoUrl: z => z.string().describe('The registered catalog-info.yaml'),
      },
    },
    async handler(ctx) {
      const platform = await loadContract(ctx.input.file, options.contractsDir);
      const catalogInfoUrl = serviceCatalogInfoUrl(ctx.input.repoContentsUrl, { org: platform.github.org, hosts: options.githubHosts });
      const credentials = await options.auth.getOwnServiceCredentials();
      ctx.logger.info(`Registering ${catalogInfoUrl} in the catalog`);
      await options.catalog.addLocation({ type: 'url', target: catalogInfoUrl }, { credentials });
      // Reads the file back without storing anything, for the entity to link to.
      const { entities } = await options.catalog.addLocation({ type: 'url', target: catalogInfoUrl, dryRun: true }, { credentials });
      const entity = mainEntity(entities);
      if (entity) ctx.output('entityRef', stringifyEntityRef(entity));
      ctx.output('catalogInfoUrl', catalogInfoUrl);
    },
  });
}

/** The Component the file describes; else its first entity that is not the generated Location. */
function mainEntity(entities: Entity[]): Entity | undefined {
  const described = entities.filter(e => !e.metadata.name.startsWith('generated-'));
  return described.find(e => e.kind === 'Component') ?? described[0] ?? entities[0];
}
