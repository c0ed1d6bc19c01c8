import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const LLM_SIZE_EXAMPLES: TemplateExample[] = [
  {
    description: "Validate the llm-service form and size the model for the platform's GPUs before anything is rendered",
    example: stringify({
      steps: [
        {
          id: 'size',
          name: "Validate and size the LLM for the platform's GPUs",
          action: 'idp:llm:size',
          input: { values: '${{ parameters }}' },
        },
      ],
    }),
  },
  {
    description: 'Size a pinned Hugging Face model at a given context and concurrency',
    example: stringify({
      steps: [
        {
          id: 'size',
          name: 'Size Llama-3.1-8B',
          action: 'idp:llm:size',
          input: {
            values: {
              name: 'support-chat',
              model: 'meta-llama/Llama-3.1-8B-Instruct',
              modelRevision: '0e9e39f249a16976918f6564b8830bc894c89659',
              maxModelLen: 4096,
              maxNumSeqs: 4,
            },
          },
        },
      ],
    }),
  },
];
