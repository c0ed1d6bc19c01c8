import type { Command } from 'commander';
import { GITHUB_URL_ENV_VAR } from '../../shared/githubEnv.js';
import { runCommand } from '../../shared/runCommand.js';
import { TEMPLATES_OPTION_HELP } from '../../shared/templatesOption.js';
import type { FleetFlags } from './fleetFlags.js';

const TOKEN_HELP =
  '\nThe GitHub token is read from GITHUB_TOKEN or GH_TOKEN (never a flag), or a GitHub App installation from GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY(_FILE), GITHUB_APP_INSTALLATION_ID. BACKSTAGE_TOKEN is sent to the catalog when set.';

/** The options both fleet commands take: where the services are, and which template to compare with. */
function fleetOptions(command: Command): Command {
  return (
    command
      .option('--org <org>', "the GitHub organisation whose repositories are listed (default: the platform contract's github.org)")
      .option(
        '--github-url <url>',
        `GitHub REST API base URL, e.g. https://ghe.example.com/api/v3 (default: $${GITHUB_URL_ENV_VAR}, else from the contract's github.host)`,
      )
      .option('--backstage-url <url>', 'also list the components the Backstage catalog knows as made from an idp template')
      .option(
        '--templates <source>',
        TEMPLATES_OPTION_HELP.replace('default: $IDP_TEMPLATES_DIR or the platform repository', 'default: the source each service records'),
      )
      .option('--to <commit|version>', 'the template commit or version to compare with / move to (default: the newest)')
      .option('--contract <file>', 'platform contract (default: $IDP_PLATFORM_CONTRACT or the repository default)')
      // The default is @idp/github's DEFAULT_FLEET_CONCURRENCY, written out: the CLI loads @idp/github
      // only when a fleet command runs (registerFleet.test.ts holds the two equal).
      .option('--concurrency <n>', 'repositories worked on at once — read, compared and upgraded (default 4)')
      .option('--json', 'print a machine-readable result on stdout')
      .addHelpText('after', TOKEN_HELP)
  );
}

export function registerFleet(program: Command) {
  const fleet = program
    .command('fleet')
    .description(
      'Every service made by idp, across an organisation: where each stands against its template, and upgrades as pull requests',
    );
  fleetOptions(fleet.command('status'))
    .description('List the services (GitHub org and/or Backstage catalog) with their template, version and how far behind')
    .action((flags: FleetFlags) =>
      runCommand(flags, async (reporter) => (await import('./fleetStatusCommand.js')).fleetStatusCommand(flags, reporter)),
    );
  fleetOptions(fleet.command('upgrade'))
    .description(
      'Upgrade every service behind its template: clone, merge, push a branch, open or update one pull request per repository; safe to run again (exit 1: some repository failed)',
    )
    .option('--dry-run', 'clone and merge to tell what each upgrade would change; push nothing, open nothing')
    .action((flags: FleetFlags) =>
      runCommand(flags, async (reporter) => (await import('./fleetUpgradeCommand.js')).fleetUpgradeCommand(flags, reporter)),
    );
}
