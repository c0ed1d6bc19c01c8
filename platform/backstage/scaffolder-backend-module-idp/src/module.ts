import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPlatformContractAction, createTemplateProvenanceAction, createUpgradeServiceAction, createValidateSpecAction } from './actions';

/** Registers the idp:* actions with the scaffolder. */
export const scaffolderModuleIdp = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'idp',
  register({ registerInit }) {
    registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint, catalog: catalogServiceRef, config: coreServices.rootConfig },
      async init({ scaffolder, catalog, config }) {
        scaffolder.addActions(
          createValidateSpecAction(),
          createPlatformContractAction(),
          createTemplateProvenanceAction(),
          createUpgradeServiceAction({ catalog, integrations: ScmIntegrations.fromConfig(config) }),
        );
      },
    });
  },
});
