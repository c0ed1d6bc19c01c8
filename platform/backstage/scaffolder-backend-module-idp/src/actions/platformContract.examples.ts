import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const CONTRACT_EXAMPLES: TemplateExample[] = [
  {
    description: 'Read the contract the portal runs with and hand it to fetch:template',
    example: stringify({
      steps: [
        { id: 'contract', name: 'Read the platform contract', action: 'idp:platform:contract' },
        {
          id: 'fetch',
          name: 'Render the skeleton',
          action: 'fetch:template',
          input: { url: './skeleton', values: { platform: '${{ steps.contract.output.platform }}' } },
        },
      ],
    }),
  },
  {
    description: 'Read a named contract from the contracts directory',
    example: stringify({
      steps: [
        {
          id: 'contract',
          name: 'Read the platform contract',
          action: 'idp:platform:contract',
          input: { file: 'default.yaml' },
        },
      ],
    }),
  },
];
