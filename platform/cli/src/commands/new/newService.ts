import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import {
  declaredNames,
  type FormPage,
  formPages,
  openTemplateSource,
  parseParameterFlags,
  runTemplate,
  type TemplateDefinition,
  type TemplateSource,
  templatesAt,
  writeAtomically,
} from '@idp/scaffold';
import type { NewFlags } from './newFlags.js';
import type { Reporter } from '../../shared/reporter.js';
import { readValuesFile } from '../../shared/readValuesFile.js';
import { catalogAt, catalogProblems } from './catalogEntities.js';
import { cliRunHost } from './cliRunHost.js';
import { findTemplateDefinition } from './findTemplateDefinition.js';
import { reportCreated } from './reportCreated.js';
import { resolveTarget } from './resolveTarget.js';

/**
 * `idp new`: any template — ours or any Backstage software template — run by its own
 * template.yaml, as the portal runs it (docs/adr/0023): answers from --set/--values or prompts,
 * the form's values, every step through the action registry, one atomic write.
 */
export async function newService(templateName: string, name: string | undefined, flags: NewFlags, reporter: Reporter) {
  const source = await openTemplateSource(flags.templates);
  const checkout = await templatesAt(source);
  try {
    await newServiceFrom(source, checkout.templatesRoot, templateName, name, flags, reporter);
  } finally {
    await checkout.release();
  }
}

async function newServiceFrom(
  source: TemplateSource,
  templatesRoot: string,
  templateName: string,
  name: string | undefined,
  flags: NewFlags,
  reporter: Reporter,
) {
  const definition = await findTemplateDefinition(templateName, templatesRoot);
  const pages = formPages(definition.parameters);
  const host = await cliRunHost(definition, source, templatesRoot, flags);
  const catalog = flags.backstageUrl ? catalogAt(flags.backstageUrl) : undefined;
  const given: Record<string, unknown> = {
    ...(flags.values ? await readValuesFile(flags.values) : {}),
    ...nameParameter(name, pages, definition),
    ...parseParameterFlags(flags.set, pages),
  };
  if (!flags.yes && !process.stdin.isTTY) {
    // Inquirer reads a piped stdin in one gulp, so questions past the first would see end-of-input.
    throw new InvalidInputError('The prompts', [
      {
        field: '--yes',
        message: `is needed when standard input is not a terminal: idp asks its questions only on a terminal (e.g. idp new ${definition.name} ${declaredNames(pages).includes('name') ? 'my-service ' : ''}--yes --set ${declaredNames(pages).find((field) => field !== 'name') ?? 'name'}=…)`,
      },
    ]);
  }
  const answers = flags.yes
    ? given
    : await (await import('./promptParameters.js')).promptParameters(definition, pages, given, { scmHosts: host.scmHosts, catalog });

  const provenance = await host.provenance(path.basename(definition.dir));
  if (!provenance.reproducible) {
    reporter.info(
      `Note: ${provenance.path} in ${provenance.repository} has uncommitted changes (or no git history): this render is recorded as not reproducible, and \`idp upgrade\` will not be able to rebuild it.`,
    );
  }
  reporter.step(`Running ${definition.name}${definition.version ? ` ${definition.version}` : ''}${flags.dryRun ? ' (dry run)' : ''}`);
  const render = await runTemplate(definition, answers, host);
  if (catalog) {
    const problems = await catalogProblems(pages, render.parameters, catalog);
    if (problems.length) throw new InvalidInputError(`The form of ${definition.name}`, problems);
  }
  const targetDir = await resolveTarget(flags.out ?? defaultOut(render.parameters), templatesRoot);
  if (!flags.dryRun) await writeAtomically(render.entries, targetDir, { force: flags.force });
  reportCreated(definition, render, targetDir, Boolean(flags.dryRun), reporter);
}

/** `idp new TEMPLATE NAME` sets the template's `name` parameter, when it has one. */
function nameParameter(name: string | undefined, pages: readonly FormPage[], definition: TemplateDefinition) {
  if (name === undefined) return {};
  if (declaredNames(pages).includes('name')) return { name };
  throw new InvalidInputError('The arguments', [
    {
      field: 'name',
      message: `${definition.name} has no "name" parameter to set; give its parameters with --set (its parameters: ${declaredNames(pages).join(', ') || 'none'})`,
    },
  ]);
}

/** ./<name> when the template has a plain name parameter, as our templates do; otherwise --out is needed. */
function defaultOut(parameters: Record<string, unknown>): string {
  const name = parameters.name;
  if (typeof name === 'string' && name !== '' && !name.startsWith('.') && path.basename(name) === name) return name;
  throw new InvalidInputError('The target directory', [
    { field: '--out', message: 'is needed: this template has no name parameter to name the directory after (e.g. --out ./my-service)' },
  ]);
}
