import { InvalidInputError } from '@idp/service-spec';
import { DEFAULT_SCM_HOSTS } from '../filters.js';
import type { ScmHosts } from './fieldExtensions.js';
import { formPages } from './formPages.js';
import { formProblems, formValues } from './formValues.js';
import { runTemplateSteps, type TemplateRun } from './runTemplateSteps.js';
import type { TemplateDefinition } from './templateDefinition.js';

export interface BackstageTemplateRender extends TemplateRun {
  /** The form values the steps ran with: what the portal's form would submit. */
  parameters: Record<string, unknown>;
}

/**
 * The values the portal's form would submit for these answers — defaults filled in page by page
 * — or an InvalidInputError listing every parameter the form would refuse, each by name.
 */
export async function templateParameters(
  definition: TemplateDefinition,
  answers: Record<string, unknown>,
  scmHosts: ScmHosts,
): Promise<Record<string, unknown>> {
  const pages = formPages(definition.parameters);
  const values = await formValues(pages, answers);
  const problems = await formProblems(pages, values, scmHosts);
  if (problems.length) throw new InvalidInputError(`The form of ${definition.name}`, problems);
  return values;
}

/**
 * A Backstage template rendered in memory from answers, as the portal would run it: the form's
 * values, then the steps that write files. Nothing is written. Throws InvalidInputError for
 * answers the form refuses and TemplateError for a template that cannot run.
 */
export async function renderBackstageTemplate(
  definition: TemplateDefinition,
  answers: Record<string, unknown>,
  { scmHosts = {} }: { scmHosts?: ScmHosts } = {},
): Promise<BackstageTemplateRender> {
  const parameters = await templateParameters(definition, answers, { ...DEFAULT_SCM_HOSTS, ...scmHosts });
  return { parameters, ...(await runTemplateSteps(definition, parameters, { scmHosts })) };
}
