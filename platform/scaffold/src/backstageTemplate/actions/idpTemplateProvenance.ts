import type { HostContext, TemplateAction } from './templateAction.js';

/**
 * idp:template:provenance — where the template folder comes from (repository, path, commit, and
 * whether that commit reproduces it): outputs `provenance`, for fetch:template's values.provenance,
 * so `idp upgrade` can rebuild the merge base whichever door made the service.
 */
export const idpTemplateProvenance: TemplateAction<HostContext> = {
  id: 'idp:template:provenance',
  inputs: { template: 'string' },
  async run(input, context) {
    const provenance = await context.provenance(input.template as string);
    if (!provenance.reproducible) {
      context.warn(
        `The template ${provenance.path} has uncommitted changes (or no git history) in ${provenance.repository}: an upgrade cannot reproduce this render`,
      );
    }
    return { provenance };
  },
};
