import { InvalidInputError } from '@idp/service-spec';
import { loadPlatformContract } from '@idp/scaffold';
import {
  appInstallationFromEnv,
  defaultGithubUrl,
  installationToken,
  MissingTokenError,
  resolveToken,
  type FleetStatusOptions,
} from '@idp/github';
import type { FleetFlags } from './fleetFlags.js';
import { GITHUB_URL_ENV_VAR, WRITE_PACING_ENV_VAR } from '../../shared/githubEnv.js';
import type { Reporter } from '../../shared/reporter.js';

/**
 * Flags and environment → what the fleet functions take: the token (or a GitHub App installation's),
 * the API base and the organisation (defaults from the platform contract), the Backstage catalog.
 */
export async function fleetOptions(flags: FleetFlags, reporter: Reporter): Promise<FleetStatusOptions> {
  const contract = await loadPlatformContract(flags.contract);
  const githubUrl = flags.githubUrl ?? process.env[GITHUB_URL_ENV_VAR] ?? defaultGithubUrl(contract.github.host);
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new InvalidInputError('The options', [
      { field: '--concurrency', message: `must be a whole number from 1 to 64, but is "${flags.concurrency}" (e.g. --concurrency 4)` },
    ]);
  }
  let token: string;
  try {
    token = resolveToken(process.env);
  } catch (error) {
    if (!(error instanceof MissingTokenError)) throw error;
    const app = await appInstallationFromEnv(process.env);
    if (!app) throw new InvalidInputError('The GitHub token', [{ field: 'GITHUB_TOKEN', message: error.message }]);
    token = await installationToken(app, githubUrl);
  }
  const backstageToken = process.env.BACKSTAGE_TOKEN;
  return {
    token,
    githubUrl,
    // With only a catalog named, the org is not assumed: the catalog says which repositories.
    ...(flags.org || !flags.backstageUrl ? { org: flags.org ?? contract.github.org } : {}),
    ...(flags.backstageUrl ? { backstage: { url: flags.backstageUrl, ...(backstageToken ? { token: backstageToken } : {}) } } : {}),
    ...(flags.templates ? { templates: flags.templates } : {}),
    ...(flags.to ? { to: flags.to } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(process.env[WRITE_PACING_ENV_VAR] === 'off' ? { timing: { paceWrites: false } } : {}),
    onProgress: (message) => reporter.info(`  … ${message}`),
  };
}
