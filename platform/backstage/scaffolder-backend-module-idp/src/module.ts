import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPlatformContractAction, createValidateSpecAction } from './actions';

/** Registers the idp:* actions with the scaffolder. */
export const scaffolderModuleIdp = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'idp',
  register({ registerInit }) {
    registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint, config: coreServices.rootConfig },
      async init({ scaffolder, config }) {
        // GitHub Enterprise hosts configured as integrations may hold new repositories too.
        const githubHosts = (config.getOptionalConfigArray('integrations.github') ?? []).map(github => github.getString('host'));
        scaffolder.addActions(createValidateSpecAction({ githubHosts }), createPlatformContractAction());
      },
    });
  },
});
