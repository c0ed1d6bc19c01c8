import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { idpTemplateProvenance } from '@idp/scaffold';
import { stringify } from 'yaml';
import { runSharedAction } from './sharedAction';

export interface TemplateProvenanceActionOptions {
  /** The templates source the platform renders from; by default $IDP_TEMPLATES_DIR or the platform repository's, as the CLI. */
  templates?: string;
}

/**
 * idp:template:provenance — where the template comes from (repository, folder, commit, and whether
 * that commit reproduces it), computed by the CLI's own function, so the portal's `.idp/answers.yaml`
 * records what `idp new` records and `idp upgrade` can rebuild the merge base from either.
 */
export function createTemplateProvenanceAction(options: TemplateProvenanceActionOptions = {}) {
  return createTemplateAction({
    id: 'idp:template:provenance',
    description: "Outputs the template's provenance (repository, path, commit, reproducible) for fetch:template's values.provenance, as `idp new` records it.",
    examples: [
      {
        description: 'Record where the model-service template came from',
        example: stringify({
          steps: [{ id: 'provenance', name: 'Record the template source', action: 'idp:template:provenance', input: { template: 'model-service' } }],
        }),
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        template: z => z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe('The template folder name under the templates source, e.g. model-service'),
      },
      output: {
        provenance: z =>
          z
            .object({ repository: z.string(), path: z.string(), commit: z.string(), reproducible: z.boolean() })
            .describe('Pass it to fetch:template as values.provenance'),
      },
    },
    async handler(ctx) {
      // The one implementation, shared with idp new's runner (@idp/scaffold): it warns when the template has uncommitted changes.
      await runSharedAction(idpTemplateProvenance, ctx, options);
    },
  });
}
