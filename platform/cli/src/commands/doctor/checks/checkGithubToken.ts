import { withoutUrlCredentials } from '@idp/scaffold';
import type { CheckResult, DoctorCheck, DoctorContext } from '../doctorCheck.js';

// Publishing needs repo; team access admin:org; pushing .github/workflows the workflow scope.
const REQUIRED = ['repo'];
const RECOMMENDED = ['admin:org', 'workflow'];
const TOKEN_FIX =
  'create a classic token with the repo, admin:org and workflow scopes and export it: `export GITHUB_TOKEN=$(gh auth token)`';

/**
 * The GitHub token (GITHUB_TOKEN or GH_TOKEN) is accepted by the GitHub API in effect and has the
 * scopes `idp publish` needs. The token is sent to that API only and never printed.
 */
export const checkGithubToken: DoctorCheck = {
  id: 'github',
  title: 'GitHub token',
  async run(context) {
    const { resolveToken, redact, defaultGithubUrl } = await import('@idp/github');
    // fetch refuses a URL with userinfo; the token is what authenticates.
    const apiUrl = withoutUrlCredentials(githubApiUrl(context, defaultGithubUrl));
    let token: string;
    try {
      token = resolveToken(context.env);
    } catch {
      if (context.env.GITHUB_APP_ID) {
        return { status: 'ok', detail: `no token: idp publish acts as GitHub App ${context.env.GITHUB_APP_ID} on ${apiUrl}` };
      }
      return { status: 'fail', detail: 'no GitHub token: GITHUB_TOKEN and GH_TOKEN are unset', fix: TOKEN_FIX };
    }
    try {
      return await scopesOf(token, apiUrl);
    } catch (error) {
      return {
        status: 'fail',
        detail: `cannot reach the GitHub API ${apiUrl}: ${redact((error as Error).message, [token])}`,
        fix: 'check the network, or set `githubUrl:` in the idp config file (or IDP_GITHUB_URL, or --github-url) to your GitHub API, e.g. https://ghe.example.com/api/v3',
      };
    }
  },
};

/** --github-url, else $IDP_GITHUB_URL (or the config file, through the flag), else the contract's GitHub host. */
function githubApiUrl({ flags, env, contract }: DoctorContext, fromHost: (host: string) => string): string {
  return (flags.githubUrl ?? env.IDP_GITHUB_URL ?? fromHost(contract?.github.host ?? 'github.com')).replace(/\/+$/, '');
}

async function scopesOf(token: string, apiUrl: string): Promise<CheckResult> {
  const response = await fetch(`${apiUrl}/user`, {
    headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', 'user-agent': 'idp-doctor' },
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 401) {
    return { status: 'fail', detail: `${apiUrl} rejected the token (401 Bad credentials)`, fix: TOKEN_FIX };
  }
  if (!response.ok) {
    return {
      status: 'fail',
      detail: `${apiUrl}/user answered ${response.status}`,
      fix: 'check githubUrl: it must be the REST API base URL',
    };
  }
  const login = ((await response.json()) as { login?: string }).login ?? 'unknown';
  const header = response.headers.get('x-oauth-scopes');
  if (header === null) {
    return {
      status: 'ok',
      detail: `token of ${login} on ${apiUrl} (fine-grained: GitHub lists no scopes; a missing permission shows when publishing)`,
    };
  }
  const scopes = header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const missing = REQUIRED.filter((s) => !scopes.includes(s));
  const absent = RECOMMENDED.filter((s) => !scopes.includes(s));
  const has = `token of ${login} on ${apiUrl} with scopes ${scopes.join(', ') || 'none'}`;
  if (missing.length) return { status: 'fail', detail: `${has}: lacks ${missing.join(', ')}, which publishing needs`, fix: TOKEN_FIX };
  if (absent.length) {
    return { status: 'warn', detail: `${has}: lacks ${absent.join(', ')} (team access, workflow files)`, fix: TOKEN_FIX };
  }
  return { status: 'ok', detail: has };
}
