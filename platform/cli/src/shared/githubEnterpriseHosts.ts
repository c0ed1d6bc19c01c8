import { InvalidInputError } from '@idp/service-spec';
import { GITHUB_URL_ENV_VAR } from './githubEnv.js';

/**
 * The GitHub Enterprise host `idp new` may put repoUrl on: the host of --github-url, else of
 * $IDP_GITHUB_URL, the API base URL `idp publish` talks to (https://ghe.example.com/api/v3).
 */
export function githubEnterpriseHosts(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const url = flag ?? env[GITHUB_URL_ENV_VAR];
  if (!url) return [];
  try {
    const { protocol, host } = new URL(url);
    if ((protocol === 'https:' || protocol === 'http:') && host) return [host];
  } catch {
    // reported below
  }
  const field = flag === undefined ? GITHUB_URL_ENV_VAR : '--github-url';
  throw new InvalidInputError(field, [
    { field, message: `must be the http(s) URL of a GitHub API, but is ${JSON.stringify(url)} (e.g. https://ghe.example.com/api/v3)` },
  ]);
}
