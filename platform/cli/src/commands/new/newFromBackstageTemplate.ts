import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import {
  DEFAULT_SCM_HOSTS,
  declaredNames,
  formPages,
  runTemplateSteps,
  type ScmHosts,
  type TemplateDefinition,
  templateParameters,
  writeAtomically,
} from '@idp/scaffold';
import type { NewFlags } from './newFlags.js';
import type { Reporter } from '../../shared/reporter.js';
import { githubEnterpriseHosts } from '../../shared/githubEnterpriseHosts.js';
import { readValuesFile } from '../../shared/readValuesFile.js';
import { resolveTarget } from './resolveTarget.js';
import { catalogAt, catalogProblems } from './catalogEntities.js';
import { parseParameterFlags } from './parseParameterFlags.js';
import { reportStepsNotRun } from './reportStepsNotRun.js';

/**
 * `idp new` for a template that is not ours: its own form (prompts, or --set/--values checked as
 * the form checks them), then its steps as the scaffolder runs them, written atomically.
 */
export async function newFromBackstageTemplate(
  definition: TemplateDefinition,
  name: string | undefined,
  flags: NewFlags,
  templatesRoot: string,
  reporter: Reporter,
) {
  const pages = formPages(definition.parameters);
  // Enterprise GitHub hosts (--github-url) are integrations too, as the portal's integrations.github.
  const scmHosts: ScmHosts = {
    ...DEFAULT_SCM_HOSTS,
    ...Object.fromEntries(githubEnterpriseHosts(flags.githubUrl).map((h) => [h, 'github'])),
  };
  const catalog = flags.backstageUrl ? catalogAt(flags.backstageUrl) : undefined;
  const given: Record<string, unknown> = {
    ...(flags.values ? await readValuesFile(flags.values) : {}),
    ...nameParameter(name, pages, definition),
    ...parseParameterFlags(flags.set, pages),
  };

  if (!flags.yes && !process.stdin.isTTY) {
    throw new InvalidInputError('The prompts', [
      {
        field: '--yes',
        message: `is needed when standard input is not a terminal: idp asks its questions only on a terminal (e.g. idp new ${definition.name} --yes --set ${declaredNames(pages)[0] ?? 'name'}=…)`,
      },
    ]);
  }
  const answers = flags.yes
    ? given
    : await (await import('./promptParameters.js')).promptParameters(definition, pages, given, { scmHosts, catalog });

  const parameters = await templateParameters(definition, answers, scmHosts);
  if (catalog) {
    const problems = await catalogProblems(pages, parameters, catalog);
    if (problems.length) throw new InvalidInputError(`The form of ${definition.name}`, problems);
  }
  const out = flags.out ?? defaultOut(parameters);
  const targetDir = await resolveTarget(out, templatesRoot);
  reporter.step(`Running ${definition.name}${flags.dryRun ? ' (dry run)' : ` into ${targetDir}`}`);
  const run = await runTemplateSteps(definition, parameters, { scmHosts });
  for (const warning of run.warnings) reporter.info(`Note: ${warning}`);
  if (!flags.dryRun) await writeAtomically(run.entries, targetDir, { force: flags.force });

  const files = run.entries.filter((e) => e.kind !== 'dir').map((e) => e.path);
  const count = `${files.length} file${files.length === 1 ? '' : 's'}`;
  if (flags.dryRun) {
    reporter.info(files.map((f) => `  would write ${f}`).join('\n'));
    reporter.done(`Dry run: ${count} would be written to ${targetDir}; nothing was written`);
  } else {
    reporter.done(`Created ${path.basename(targetDir)} from ${definition.name} in ${targetDir} (${count})`);
  }
  reportStepsNotRun(run.notRun, targetDir, reporter);
  reporter.result({
    ok: true,
    template: { name: definition.name, kind: 'backstage', dir: definition.dir },
    targetDir,
    dryRun: Boolean(flags.dryRun),
    files,
    parameters,
    skippedSteps: run.skipped,
    stepsNotRun: run.notRun,
    warnings: run.warnings,
  });
}

/** `idp new TEMPLATE NAME` sets the template's `name` parameter, when it has one. */
function nameParameter(name: string | undefined, pages: ReturnType<typeof formPages>, definition: TemplateDefinition) {
  if (name === undefined) return {};
  if (declaredNames(pages).includes('name')) return { name };
  throw new InvalidInputError('The arguments', [
    {
      field: 'name',
      message: `${definition.name} has no "name" parameter to set; give its parameters with --set (its parameters: ${declaredNames(pages).join(', ') || 'none'})`,
    },
  ]);
}

/** ./<name> when the template has a plain name parameter, as for our templates; otherwise --out is needed. */
function defaultOut(parameters: Record<string, unknown>): string {
  const name = parameters.name;
  if (typeof name === 'string' && name !== '' && !name.startsWith('.') && path.basename(name) === name) return name;
  throw new InvalidInputError('The target directory', [
    { field: '--out', message: 'is needed: this template has no name parameter to name the directory after (e.g. --out ./my-service)' },
  ]);
}
