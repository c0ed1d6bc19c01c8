import { GITHUB_OWNER_PATTERN } from './cloudNames.js';

// The RepoUrlPicker's value, `github.com?owner=acme&repo=fraud-detector`.
export interface RepoLocation {
  host: string;
  owner: string;
  repo: string;
}

// GitHub's rules: organisation logins as GITHUB_OWNER_PATTERN; repository names are
// [A-Za-z0-9._-], at most 100, and not "." or "..".
const GITHUB_OWNER = new RegExp(GITHUB_OWNER_PATTERN);
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;

// The query is printable ASCII: the RepoUrlPicker %-escapes what it puts there.
export const REPO_URL_PATTERN = '^[A-Za-z0-9.-]+(?::[0-9]+)?\\?[!-~]+$';

/** Parses the picker's value, or returns the reason it is not one. */
export function parseRepoLocation(value: string): RepoLocation | string {
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    return 'is not of the form HOST?owner=ORG&repo=NAME';
  }
  const owner = url.searchParams.get('owner') ?? '';
  const repo = url.searchParams.get('repo') ?? '';
  if (url.pathname !== '/' || !owner || !repo) return 'is not of the form HOST?owner=ORG&repo=NAME';
  if (!GITHUB_OWNER.test(owner)) return `has owner "${owner}", which is not a valid GitHub organisation name`;
  if (!GITHUB_REPO.test(repo) || repo === '.' || repo === '..') {
    return `has repo "${repo}", which is not a valid GitHub repository name`;
  }
  return { host: url.host, owner, repo };
}

export function formatRepoUrl({ host, owner, repo }: RepoLocation): string {
  return `${host}?owner=${encodeURIComponent(owner)}&repo=${encodeURIComponent(repo)}`;
}

/** Backstage configures an integration for github.com even when none is listed. */
export const DEFAULT_GITHUB_HOST = 'github.com';

/**
 * The hosts a service's repository may be created on: github.com, the platform contract's
 * `github.host`, and the GitHub Enterprise hosts a door was configured with (`idp new --github-url`,
 * the portal's integrations.github). Templates render repoUrl with these as GitHub integrations.
 */
export function githubHosts(contractHost: string, enterpriseHosts: readonly string[] = []): string[] {
  return [...new Set([DEFAULT_GITHUB_HOST, contractHost, ...enterpriseHosts].map((host) => host.toLowerCase()))];
}

/**
 * Why repoUrl's host cannot hold the repository (no GitHub integration serves it, so the template
 * would fail only when it renders), or undefined when it can or repoUrl is no location at all.
 */
export function repoHostProblem(repoUrl: string, hosts: readonly string[], serviceName: string): string | undefined {
  const location = parseRepoLocation(repoUrl);
  if (typeof location === 'string' || hosts.includes(location.host)) return undefined;
  const example = formatRepoUrl({ host: hosts[0] ?? DEFAULT_GITHUB_HOST, owner: location.owner, repo: serviceName });
  return `must be on a GitHub host the platform can create repositories on (${hosts.join(', ')}), but names ${location.host}; a GitHub Enterprise host is added by the platform contract's github.host, \`idp new --github-url\` (or IDP_GITHUB_URL) or the portal's integrations.github (e.g. ${example})`;
}
