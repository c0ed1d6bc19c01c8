import type { Command } from 'commander';
import { collect } from '../../shared/collect.js';
import { runCommand } from '../../shared/runCommand.js';
import { TEMPLATES_OPTION_HELP } from '../../shared/templatesOption.js';
import type { UpgradeFlags } from './upgradeFlags.js';

export function registerUpgrade(program: Command) {
  program
    .command('upgrade')
    .description('Bring a service to the newest template and platform contract by a three-way merge (exit 3: conflicts to resolve)')
    .argument('[dir]', 'the service: its repository, or its folder in a larger one', '.')
    .option('--to <commit|version>', 'the template commit or version to upgrade to (default: the newest)')
    .option('--from <commit|version>', 'the template commit or version the service was made from, when it does not record one')
    .option('--set <key=value>', 'change an answer (repeatable), e.g. --set gpuType=nvidia-h100', collect, [])
    .option('--values <file>', 'YAML or JSON file of changed answers')
    .option('--contract <file>', 'platform contract to render with (default: $IDP_PLATFORM_CONTRACT or the repository default)')
    .option(
      '--templates <source>',
      TEMPLATES_OPTION_HELP.replace('default: $IDP_TEMPLATES_DIR or the platform repository', 'default: the source the service records'),
    )
    .option('--dry-run', 'print the plan (added, changed, removed, conflicting files); write nothing')
    .option('--allow-dirty', 'merge into uncommitted changes too')
    .option('--abort', 'put back the files of an upgrade that was interrupted (killed) half-way, and stop')
    .option('--quit', 'forget an interrupted upgrade, keeping every file as it is now (as git merge --quit)')
    .option('--json', 'print a machine-readable result on stdout')
    .action((dir: string, flags: UpgradeFlags) =>
      runCommand(flags, async (reporter) => (await import('./upgradeCommand.js')).upgradeCommand(dir, flags, reporter)),
    );
}
