import type { Command } from 'commander';
import { runCommand } from '../../shared/runCommand.js';

export function registerConfig(program: Command) {
  program
    .command('config')
    .description('Show the settings idp uses (contract, templates, GitHub URL, Backstage URL) and where each comes from')
    .option('--json', 'print a machine-readable result on stdout')
    .addHelpText(
      'after',
      '\nSettings come from, first to last: a flag, an environment variable (IDP_PLATFORM_CONTRACT, IDP_TEMPLATES_DIR, IDP_GITHUB_URL, IDP_BACKSTAGE_URL), the config file $XDG_CONFIG_HOME/idp/config.yaml (default ~/.config/idp/config.yaml), the default. The file is YAML, e.g.\n  templates: https://github.com/acme/idp.git\n  contract: ~/platform/contract.yaml\n  githubUrl: https://ghe.example.com/api/v3\n  backstageUrl: https://backstage.example.com',
    )
    .action((flags: { json?: boolean }) => runCommand(flags, async (reporter) => (await import('./showConfig.js')).showConfig(reporter)));
}
