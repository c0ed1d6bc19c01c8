import type { Command } from 'commander';
import { InvalidInputError } from '@idp/spec';
import { appInstallationFromEnv, MissingTokenError, publishService, resolveToken, VISIBILITIES, type AppInstallation, type ProgressEvent, type Visibility } from '@idp/github';
import type { Reporter } from '../helpers/reporter.js';
import { runCommand } from '../helpers/runCommand.js';

/** Where --github-url comes from when not given: this variable, else the repoUrl's host. */
export const GITHUB_URL_ENV_VAR = 'IDP_GITHUB_URL';
/**
 * `off` stops spacing writes a second apart (GitHub's advice against secondary rate limits): for
 * the local emulator, or a GitHub Enterprise server without those limits.
 */
export const WRITE_PACING_ENV_VAR = 'IDP_GITHUB_WRITE_PACING';

interface PublishFlags {
  githubUrl?: string;
  contract?: string;
  visibility: string;
  backstageUrl?: string;
  dryRun?: boolean;
  json?: boolean;
}

const MARKS: Record<string, string> = { created: '+', updated: '~', unchanged: '=', planned: '?', skipped: '-' };

export function registerPublish(program: Command) {
  program
    .command('publish')
    .description('Put a service made by `idp new` on GitHub (repository, protected main, environments, variables, team access) and register it in the catalog; safe to run again')
    .argument('[dir]', 'the service directory (holds .idp/answers.yaml)', '.')
    .option('--github-url <url>', `GitHub REST API base URL, e.g. https://ghe.example.com/api/v3 (default: $${GITHUB_URL_ENV_VAR}, else from the repoUrl host)`)
    .option('--contract <file>', 'platform contract (default: $IDP_PLATFORM_CONTRACT or the repository default)')
    .option('--visibility <visibility>', `repository visibility: ${VISIBILITIES.join(', ')}`, 'private')
    .option('--backstage-url <url>', 'register catalog-info.yaml with this Backstage (token from $BACKSTAGE_TOKEN)')
    .option('--dry-run', 'print the plan; change nothing')
    .option('--json', 'print a machine-readable result on stdout')
    .addHelpText('after', '\nThe GitHub token is read from GITHUB_TOKEN or GH_TOKEN (never a flag); it needs the repo scope, and admin:org to grant team access.\nWithout one, publish acts as a GitHub App installation: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, GITHUB_APP_INSTALLATION_ID.')
    .action((dir: string, flags: PublishFlags) => runCommand(flags, (reporter) => publish(dir, flags, reporter)));
}

async function publish(dir: string, flags: PublishFlags, reporter: Reporter) {
  if (!(VISIBILITIES as readonly string[]).includes(flags.visibility)) {
    throw new InvalidInputError('The options', [{ field: '--visibility', message: `must be one of ${VISIBILITIES.join(', ')} (e.g. --visibility private)` }]);
  }
  // A token when one is set, else a GitHub App installation (GITHUB_APP_*).
  let token: string | undefined;
  let app: AppInstallation | undefined;
  try {
    token = resolveToken(process.env);
  } catch (error) {
    if (!(error instanceof MissingTokenError)) throw error;
    app = await appInstallationFromEnv(process.env);
    if (!app) throw new InvalidInputError('The GitHub token', [{ field: 'GITHUB_TOKEN', message: error.message }]);
  }
  const githubUrl = flags.githubUrl ?? process.env[GITHUB_URL_ENV_VAR];
  const backstageToken = process.env.BACKSTAGE_TOKEN;
  const result = await publishService({
    dir,
    ...(token ? { token } : {}),
    ...(app ? { app } : {}),
    visibility: flags.visibility as Visibility,
    dryRun: Boolean(flags.dryRun),
    ...(githubUrl ? { githubUrl } : {}),
    ...(flags.contract ? { contractFile: flags.contract } : {}),
    ...(flags.backstageUrl ? { backstageUrl: flags.backstageUrl } : {}),
    ...(backstageToken ? { backstageToken } : {}),
    ...(process.env[WRITE_PACING_ENV_VAR] === 'off' ? { timing: { paceWrites: false } } : {}),
    onProgress: (event: ProgressEvent) => {
      if (event.type === 'wait') reporter.info(`  … ${event.message}`);
      else reporter.step(`${MARKS[event.result.status] ?? ' '} ${event.title}: ${event.result.detail}`);
    },
  });
  const changed = result.steps.filter((s) => s.status === 'created' || s.status === 'updated').length;
  if (result.dryRun) reporter.done(`Dry run: the plan for ${result.repository} is above; nothing was changed`);
  else reporter.done(`Published ${result.repository}: ${result.url} (${changed ? `${changed} steps changed something` : 'already up to date'})`);
  reporter.result({ ok: true, ...result });
}
