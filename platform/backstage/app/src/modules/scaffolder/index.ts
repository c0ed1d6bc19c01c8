import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint, createFormField } from '@backstage/plugin-scaffolder-react/alpha';

/** `ui:field: ServiceName` in a template: the service name, checked with the CLI's rules. */
const serviceNameFormField = FormFieldBlueprint.make({
  name: 'service-name',
  params: {
    field: async () => {
      const { ServiceNameField, validateServiceName } = await import('./ServiceNameField');
      return createFormField({ name: 'ServiceName', component: ServiceNameField, validation: validateServiceName });
    },
  },
});

export const scaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [serviceNameFormField],
});
