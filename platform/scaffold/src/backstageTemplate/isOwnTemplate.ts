import type { TemplateDefinition } from './templateDefinition.js';

/** The portal action that checks a template's answers against @idp/service-spec's ServiceSpec. */
export const SERVICE_SPEC_ACTION = 'idp:spec:validate';

/**
 * Whether a template is one of ours: its steps validate the answers as a ServiceSpec, so `idp new`
 * must too (and render from the resolved spec). Every other template runs by its own definition.
 * The test is the portal's own: the same template.yaml decides in both doors (docs/adr/0014).
 */
export function isOwnTemplate(definition: Pick<TemplateDefinition, 'steps'>): boolean {
  return definition.steps.some((step) => step.action === SERVICE_SPEC_ACTION);
}
