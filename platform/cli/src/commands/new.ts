import type { Command } from 'commander';
import { InvalidInputError } from '@idp/spec';
import { loadPlatformContract } from '@idp/scaffold';
import { createReporter } from '../helpers/reporter.js';
import { findTemplate, templatesRoot } from '../helpers/findTemplate.js';
import { readValuesFile } from '../helpers/readValuesFile.js';
import { parseSetFlags } from '../helpers/parseSetFlags.js';
import { createService, type CreatedService } from '../helpers/createService.js';
import { promptAndCreate } from '../helpers/promptForAnswers.js';
import { runCommand } from '../helpers/runCommand.js';

interface NewFlags {
  yes?: boolean;
  set: string[];
  values?: string;
  out?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
  contract?: string;
  templates?: string;
}

export function registerNew(program: Command) {
  program
    .command('new')
    .description('Create a service from a template')
    .argument('<template>', 'template name (see `idp templates`) or path to a template folder')
    .argument('[name]', 'the service name, e.g. fraud-detector')
    .option('-y, --yes', 'ask nothing: use defaults for every field not given')
    .option('--set <key=value>', 'set a field (repeatable), e.g. --set gpuType=nvidia-l4', collect, [])
    .option('--values <file>', 'YAML or JSON file of answers (what a Backstage form submits)')
    .option('-o, --out <dir>', 'where to write the service (default: ./<name>)')
    .option('--dry-run', 'list what would be written; write nothing')
    .option('--force', 'replace a non-empty target directory')
    .option('--json', 'print a machine-readable result on stdout')
    .option('--contract <file>', 'platform contract (default: $IDP_PLATFORM_CONTRACT or the repository default)')
    .option('--templates <dir>', 'templates folder (default: $IDP_TEMPLATES_DIR or the repository templates/)')
    .action((templateName: string, name: string | undefined, flags: NewFlags) =>
      runCommand(flags, (reporter) => newService(templateName, name, flags, reporter)),
    );
}

async function newService(templateName: string, name: string | undefined, flags: NewFlags, reporter: ReturnType<typeof createReporter>) {
  const template = await findTemplate(templateName, templatesRoot(flags.templates));
  const platform = await loadPlatformContract(flags.contract);
  const given: Record<string, unknown> = {
    ...(flags.values ? await readValuesFile(flags.values) : {}),
    ...(name === undefined ? {} : { name }),
    ...parseSetFlags(flags.set),
  };
  const create = (answers: Record<string, unknown>) =>
    createService({ template, answers, platform, out: flags.out, force: flags.force, dryRun: flags.dryRun, onStep: reporter.step });

  let created: CreatedService;
  if (!flags.yes && !process.stdin.isTTY) {
    // Inquirer reads a piped stdin in one gulp, so questions past the first would see end-of-input.
    throw new InvalidInputError('The prompts', [{ field: '--yes', message: 'is needed when standard input is not a terminal: idp asks its questions only on a terminal (e.g. idp new model-service fraud-detector --yes --set gpuType=nvidia-l4)' }]);
  }
  if (flags.yes) {
    created = await create(given);
  } else {
    let result: CreatedService | undefined;
    await promptAndCreate({
      templateName: template.name,
      description: template.description,
      given,
      platform,
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
    reporter.info(`\nNext steps:\n  cd ${created.targetDir}\n  make test        # run the service's tests\n  make run         # serve the model on http://localhost:8080\n  npx idp publish ${created.targetDir}   # create the GitHub repository`);
  }
  reporter.result({
    ok: true,
    template: { name: template.name, version: template.version },
    targetDir: created.targetDir,
    dryRun: Boolean(flags.dryRun),
    files,
    values: { ...created.values, platform: undefined },
  });
}

function collect(value: string, previous: string[]) {
  return [...previous, value];
}
