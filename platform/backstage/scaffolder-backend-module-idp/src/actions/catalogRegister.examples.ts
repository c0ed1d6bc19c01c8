import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const CATALOG_REGISTER_EXAMPLES: TemplateExample[] = [
  {
    description: 'Register the repository publish:github just created',
    example: stringify({
      steps: [
        {
          id: 'register',
          name: 'Register in the catalog',
          action: 'idp:catalog:register',
          input: { repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}' },
        },
      ],
    }),
  },
];
