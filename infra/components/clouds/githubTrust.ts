// The GitHub Actions OIDC issuer and the subject patterns a CI identity trusts: repositories of one
// org, deploying to one GitHub environment. Shared by every cloud so the scope reads the same.

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

export interface GithubTrust {
  org: string;
  repositories: string[];
  environment: 'staging' | 'production';
}

/** `sub` claim patterns: `repo:acme/fraud-*:environment:staging`. */
export function githubSubjects(trust: GithubTrust): string[] {
  return trust.repositories.map((repo) => `repo:${trust.org}/${repo}:environment:${trust.environment}`);
}

/** A CEL condition for GCP workload identity: owner, environment and repository globs. */
export function githubCelCondition(trust: GithubTrust): string {
  const parts = [`assertion.repository_owner == '${trust.org}'`, `assertion.environment == '${trust.environment}'`];
  if (!trust.repositories.includes('*')) {
    // A CEL string literal takes escapes itself, so the regex's backslashes are doubled.
    const repos = trust.repositories.map((r) => `assertion.repository.matches('^${trust.org}/${globToRegex(r).replace(/\\/g, '\\\\')}$')`);
    parts.push(`(${repos.join(' || ')})`);
  }
  return parts.join(' && ');
}

function globToRegex(glob: string): string {
  return glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
}
