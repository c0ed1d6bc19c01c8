import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const VALIDATE_EXAMPLES: TemplateExample[] = [
  {
    description: 'Validate the form values and pass the resolved spec on to fetch:template',
    example: stringify({
      steps: [
        {
          id: 'validate',
          name: 'Validate the service spec',
          action: 'idp:spec:validate',
          input: { values: '${{ parameters }}' },
        },
      ],
    }),
  },
  {
    description: 'Validate fixed values against a named contract from the contracts directory',
    example: stringify({
      steps: [
        {
          id: 'validate',
          name: 'Validate the service spec',
          action: 'idp:spec:validate',
          input: {
            values: { name: 'fraud-detector', owner: 'group:default/ml-team', gpuType: 'nvidia-l4' },
            file: 'default.yaml',
          },
        },
      ],
    }),
  },
];
