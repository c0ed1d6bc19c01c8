import { InvalidInputError } from '@idp/service-spec';
import {
  appInstallationFromEnv,
  MissingTokenError,
  publishService,
  resolveToken,
  VISIBILITIES,
  type AppInstallation,
  type ProgressEvent,
  type Visibility,
} from '@idp/github';
import type { PublishFlags } from './publishFlags.js';
import type { Reporter } from '../../shared/reporter.js';
import { GITHUB_URL_ENV_VAR, WRITE_PACING_ENV_VAR } from '../../shared/githubEnv.js';

const MARKS: Record<string, string> = { created: '+', updated: '~', unchanged: '=', planned: '?', skipped: '-' };

export async function publishCommand(dir: string, flags: PublishFlags, reporter: Reporter) {
  if (!(VISIBILITIES as readonly string[]).includes(flags.visibility)) {
    throw new InvalidInputError('The options', [
      { field: '--visibility', message: `must be one of ${VISIBILITIES.join(', ')} (e.g. --visibility private)` },
    ]);
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
  else
    reporter.done(
      `Published ${result.repository}: ${result.url} (${changed ? `${changed} steps changed something` : 'already up to date'})`,
    );
  reporter.result({ ok: true, ...result });
}
