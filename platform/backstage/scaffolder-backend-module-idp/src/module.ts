import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createCatalogRegisterAction,
  createLlmSizeAction,
  createPlatformContractAction,
  createTemplateProvenanceAction,
  createUpgradeServiceAction,
  createValidateSpecAction,
} from './actions';

/** Registers the idp:* actions with the scaffolder. */
export const scaffolderModuleIdp = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'idp',
  register({ registerInit }) {
    registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint, catalog: catalogServiceRef, auth: coreServices.auth, config: coreServices.rootConfig },
      async init({ scaffolder, catalog, auth, config }) {
        // Backstage reads github.com when no GitHub integration is configured.
        const githubHosts = config.getOptionalConfigArray('integrations.github')?.map(github => github.getString('host').toLowerCase()) ?? ['github.com'];
        scaffolder.addActions(
          createValidateSpecAction({ githubHosts }),
          // The Hub token for gated models comes from the backend's environment (a Secret), never from config files.
          createLlmSizeAction({ githubHosts, hfToken: process.env.HF_TOKEN, modelConfigDir: config.getOptionalString('idp.llm.modelConfigDir') }),
          createPlatformContractAction(),
          createTemplateProvenanceAction(),
          createCatalogRegisterAction({ catalog, auth, githubHosts }),
          createUpgradeServiceAction({ catalog, integrations: ScmIntegrations.fromConfig(config) }),
        );
      },
    });
  },
});
