import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import {
  isOwnTemplate,
  loadPlatformContract,
  openTemplateSource,
  templateProvenance,
  templatesAt,
  type TemplateSource,
} from '@idp/scaffold';
import { findTemplateDefinition } from './findTemplateDefinition.js';
import type { NewFlags } from './newFlags.js';
import type { Reporter } from '../../shared/reporter.js';
import { findTemplate } from '../../shared/findTemplate.js';
import { readValuesFile } from '../../shared/readValuesFile.js';
import { parseSetFlags } from '../../shared/parseSetFlags.js';
import { createService, type CreatedService } from './createService.js';
import { githubEnterpriseHosts } from '../../shared/githubEnterpriseHosts.js';

/** `idp new`: answers from flags, a values file or prompts → one service on disk. */
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
  // A template that is not ours runs by its own definition (docs/adr/0014).
  const definition = await findTemplateDefinition(templateName, templatesRoot);
  if (definition && !isOwnTemplate(definition)) {
    const { newFromBackstageTemplate } = await import('./newFromBackstageTemplate.js');
    return newFromBackstageTemplate(definition, name, flags, templatesRoot, reporter);
  }
  const template = await findTemplate(definition?.dir ?? templateName, templatesRoot);
  // A template named by its own path records the repository that folder belongs to.
  const inSource = path.dirname(template.dir) === path.resolve(templatesRoot);
  const provenance = await templateProvenance(
    inSource ? source : await openTemplateSource(path.dirname(template.dir)),
    path.basename(template.dir),
  );
  if (!provenance.reproducible) {
    reporter.info(
      `Note: ${provenance.path} in ${provenance.repository} has uncommitted changes (or no git history): this render is recorded as not reproducible, and \`idp upgrade\` will not be able to rebuild it.`,
    );
  }
  const platform = await loadPlatformContract(flags.contract);
  const enterpriseHosts = githubEnterpriseHosts(flags.githubUrl);
  const given: Record<string, unknown> = {
    ...(flags.values ? await readValuesFile(flags.values) : {}),
    ...(name === undefined ? {} : { name }),
    ...parseSetFlags(flags.set),
  };
  const create = (answers: Record<string, unknown>) =>
    createService({
      template,
      answers,
      platform,
      provenance,
      templatesRoot,
      enterpriseHosts,
      out: flags.out,
      force: flags.force,
      dryRun: flags.dryRun,
      onStep: reporter.step,
    });

  let created: CreatedService;
  if (!flags.yes && !process.stdin.isTTY) {
    // Inquirer reads a piped stdin in one gulp, so questions past the first would see end-of-input.
    throw new InvalidInputError('The prompts', [
      {
        field: '--yes',
        message:
          'is needed when standard input is not a terminal: idp asks its questions only on a terminal (e.g. idp new model-service fraud-detector --yes --set gpuType=nvidia-l4)',
      },
    ]);
  }
  if (flags.yes) {
    created = await create(given);
  } else {
    let result: CreatedService | undefined;
    const { promptAndCreate } = await import('./promptAndCreate.js');
    await promptAndCreate({
      templateName: template.name,
      description: template.description,
      given,
      platform,
      enterpriseHosts,
      create: async (answers) => {
        result = await create(answers);
        return result.targetDir;
      },
    });
    created = result!;
  }

  const files = created.entries.filter((e) => e.kind !== 'dir').map((e) => e.path);
  if (flags.dryRun) {
    reporter.info(files.map((f) => `  would write ${f}`).join('\n'));
    reporter.done(`Dry run: ${files.length} files would be written to ${created.targetDir}; nothing was written`);
  } else {
    reporter.done(`Created ${created.values.name} in ${created.targetDir} (${files.length} files)`);
    reporter.info(
      `\nNext steps:\n  cd ${created.targetDir}\n  make test        # run the service's tests\n  make run         # serve the model on http://localhost:8080\n  ${invokedAs()} publish ${created.targetDir}   # create the GitHub repository`,
    );
  }
  reporter.result({
    ok: true,
    template: { name: template.name, version: template.version, source: provenance },
    targetDir: created.targetDir,
    dryRun: Boolean(flags.dryRun),
    files,
    values: { ...created.values, platform: undefined },
  });
}

/** How the user runs idp, for the next steps they copy: through npx in the platform repository, else installed. */
function invokedAs(): string {
  return process.env.npm_command === 'exec' ? 'npx idp' : 'idp';
}
