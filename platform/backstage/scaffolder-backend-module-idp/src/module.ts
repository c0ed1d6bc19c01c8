import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPlatformContractAction, createTemplateProvenanceAction, createValidateSpecAction } from './actions';

/** Registers the idp:* actions with the scaffolder. */
export const scaffolderModuleIdp = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'idp',
  register({ registerInit }) {
    registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(createValidateSpecAction(), createPlatformContractAction(), createTemplateProvenanceAction());
      },
    });
  },
});
