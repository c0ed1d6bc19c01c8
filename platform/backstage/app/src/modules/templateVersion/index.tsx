import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { TEMPLATE_ANNOTATION } from './templateStatus';

/** On the overview of every entity made from an idp template: its template version and status. */
const templateVersionCard = EntityCardBlueprint.make({
  name: 'template-version',
  params: {
    // Beside About: what the service is made from belongs with what it is.
    type: 'info',
    filter: entity => Boolean(entity.metadata.annotations?.[TEMPLATE_ANNOTATION]),
    loader: async () => {
      const { TemplateVersionCard } = await import('./TemplateVersionCard');
      return <TemplateVersionCard />;
    },
  },
});

export const templateVersionModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [templateVersionCard],
});
