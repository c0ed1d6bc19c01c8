import path from 'node:path';
import { InvalidInputError, type TemplateProvenance } from '@idp/service-spec';
import { dump } from 'js-yaml';
import { DEFAULT_SCM_HOSTS } from '../filters.js';
import { templateVersionLabel } from '../templateSource/resolveTemplateCommit.js';
import { TEMPLATE_ACTIONS } from './actions/index.js';
import type { ScmHosts } from './fieldExtensions.js';
import { formPages } from './formPages.js';
import { formProblems, formValues } from './formValues.js';
import { type RunOptions, runTemplateSteps, type TemplateRun } from './runTemplateSteps.js';
import type { TemplateDefinition } from './templateDefinition.js';

/** Where a service records how it was made, for `idp upgrade` (written by the template, else by the runner). */
export const SERVICE_RECORD_FILE = '.idp/answers.yaml';

export interface TemplateRender extends TemplateRun {
  /** The parameters the steps ran with: what the portal's form would submit. */
  parameters: Record<string, unknown>;
  /** The template's provenance, as recorded in the service. */
  provenance: TemplateProvenance;
}

/**
 * A template run from answers, in memory, as the portal runs it: the form's values, then every
 * step through the action registry, then the service's record of its render — the template's own
 * .idp/answers.yaml, or one the runner writes (template, version, provenance, parameters), so
 * `idp upgrade` can rebuild any template's render. `idp new` writes this, and both sides of
 * `idp upgrade` are made of it. Throws InvalidInputError for answers the form or a step refuses
 * and TemplateError for a template that cannot run.
 */
export async function runTemplate(
  definition: TemplateDefinition,
  answers: Record<string, unknown>,
  options: RunOptions & { provenance: (template: string) => Promise<TemplateProvenance> },
): Promise<TemplateRender> {
  const scmHosts = { ...DEFAULT_SCM_HOSTS, ...options.scmHosts };
  const actions = options.actions ?? TEMPLATE_ACTIONS;
  // An action that judges the answers itself (idp:spec:validate) names their problems and fills
  // their defaults by the rules the form mirrors; the form's schema would only say less, first.
  const judged = definition.steps.some((step) => actions.get(step.action)?.judgesParameters);
  const parameters = judged ? answers : await templateParameters(definition, answers, scmHosts);
  const [run, provenance] = await Promise.all([
    runTemplateSteps(definition, parameters, { ...options, scmHosts, actions }),
    options.provenance(path.basename(definition.dir)),
  ]);
  if (!run.entries.some((entry) => entry.path === SERVICE_RECORD_FILE)) {
    run.entries.push(recordOf(definition, provenance, parameters));
  }
  return { ...run, parameters, provenance };
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

/** The version a service records: the template's idp.dev/template-version, else its commit. */
export function recordedVersion(definition: TemplateDefinition, provenance: TemplateProvenance): string {
  return templateVersionLabel(definition.version, provenance.commit);
}

function recordOf(definition: TemplateDefinition, provenance: TemplateProvenance, parameters: Record<string, unknown>) {
  const record = {
    template: path.basename(definition.dir),
    templateVersion: recordedVersion(definition, provenance),
    source: provenance,
    answers: parameters,
  };
  const text = `# The answers this directory was generated with, recorded by idp so \`idp upgrade\` can replay them.\n${dump(record, { lineWidth: -1, noRefs: true })}`;
  return { kind: 'file' as const, path: SERVICE_RECORD_FILE, content: Buffer.from(text, 'utf-8'), mode: 0o666 };
}
