import type { Command } from 'commander';
import { collect } from '../../shared/collect.js';
import type { NewFlags } from './newFlags.js';
import { runCommand } from '../../shared/runCommand.js';
import { TEMPLATES_OPTION_HELP } from '../../shared/templatesOption.js';
import { GITHUB_URL_ENV_VAR } from '../../shared/githubEnv.js';

export function registerNew(program: Command) {
  program
    .command('new')
    .description('Create a service from a template: ours, or any Backstage software template (run by its own definition)')
    .argument('[template]', 'template name (see `idp templates`) or path to a template folder (required)')
    .argument('[name]', 'the service name, e.g. fraud-detector')
    .option('-y, --yes', 'ask nothing: use defaults for every field not given')
    .option('--set <key=value>', 'set a field (repeatable), e.g. --set gpuType=nvidia-l4', collect, [])
    .option('--values <file>', 'YAML or JSON file of answers (what a Backstage form submits)')
    .option('-o, --out <dir>', 'where to write the service (default: ./<name>)')
    .option('--dry-run', 'list what would be written; write nothing')
    .option('--force', 'replace a non-empty target directory')
    .option('--json', 'print a machine-readable result on stdout')
    .option('--contract <file>', 'platform contract (default: $IDP_PLATFORM_CONTRACT or the repository default)')
    .option(
      '--github-url <url>',
      `GitHub Enterprise API URL whose host repoUrl may name, as for idp publish (default: $${GITHUB_URL_ENV_VAR})`,
    )
    .option('--templates <dir>', TEMPLATES_OPTION_HELP)
    .option(
      '--backstage-url <url>',
      "check entity pickers' answers (OwnerPicker, EntityPicker) against this Backstage catalog (token from $BACKSTAGE_TOKEN)",
    )
    // Our own --help, so `idp new TEMPLATE --help` can read the template and print its parameters.
    .helpOption(false)
    .option('-h, --help', "display help; with a template, also the template's parameters")
    .action((templateName: string | undefined, name: string | undefined, flags: NewFlags, command: Command) =>
      runCommand(flags, async (reporter) => {
        if (flags.help || templateName === undefined) return (await import('./newHelp.js')).newHelp(command, templateName, flags);
        return (await import('./newService.js')).newService(templateName, name, flags, reporter);
      }),
    );
}
