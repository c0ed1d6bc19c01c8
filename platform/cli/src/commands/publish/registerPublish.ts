import type { Command } from 'commander';
import { runCommand } from '../../shared/runCommand.js';
import { GITHUB_URL_ENV_VAR } from '../../shared/githubEnv.js';
import type { PublishFlags } from './publishFlags.js';

export function registerPublish(program: Command) {
  program
    .command('publish')
    .description(
      'Put a service made by `idp new` on GitHub (repository, protected main, environments, variables, team access) and register it in the catalog; safe to run again',
    )
    .argument('[dir]', 'the service directory (holds .idp/answers.yaml)', '.')
    .option(
      '--github-url <url>',
      `GitHub REST API base URL, e.g. https://ghe.example.com/api/v3 (default: $${GITHUB_URL_ENV_VAR}, else from the repoUrl host)`,
    )
    .option('--contract <file>', 'platform contract (default: $IDP_PLATFORM_CONTRACT or the repository default)')
    .option('--visibility <visibility>', 'repository visibility: private, internal or public', 'private')
    .option('--backstage-url <url>', 'register catalog-info.yaml with this Backstage (token from $BACKSTAGE_TOKEN)')
    .option('--dry-run', 'print the plan; change nothing')
    .option('--json', 'print a machine-readable result on stdout')
    .addHelpText(
      'after',
      '\nThe GitHub token is read from GITHUB_TOKEN or GH_TOKEN (never a flag); it needs the repo scope, and admin:org to grant team access.\nWithout one, publish acts as a GitHub App installation: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, GITHUB_APP_INSTALLATION_ID.',
    )
    .action((dir: string, flags: PublishFlags) =>
      runCommand(flags, async (reporter) => (await import('./publishCommand.js')).publishCommand(dir, flags, reporter)),
    );
}
