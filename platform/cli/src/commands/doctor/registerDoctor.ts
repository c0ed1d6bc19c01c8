import type { Command } from 'commander';
import { runCommand } from '../../shared/runCommand.js';
import type { DoctorFlags } from './doctorCheck.js';

export function registerDoctor(program: Command) {
  program
    .command('doctor')
    .description(
      'Check what idp needs: Node.js, git, the platform contract, the templates, the GitHub token and its scopes, Backstage (exit 1: something to fix)',
    )
    .option('--contract <file>', 'platform contract to check (default: as `idp config` shows)')
    .option('--templates <source>', 'templates source to check (default: as `idp config` shows)')
    .option('--github-url <url>', "GitHub REST API base URL (default: as `idp config` shows, else from the contract's github.host)")
    .option('--backstage-url <url>', 'Backstage to check (default: as `idp config` shows)')
    .option('--json', 'print a machine-readable result on stdout')
    .addHelpText(
      'after',
      '\nThe GitHub token is read from GITHUB_TOKEN or GH_TOKEN and is never printed; BACKSTAGE_TOKEN is sent to Backstage when set.',
    )
    .action((flags: DoctorFlags) => runCommand(flags, async (reporter) => (await import('./runDoctor.js')).runDoctor(flags, reporter)));
}
