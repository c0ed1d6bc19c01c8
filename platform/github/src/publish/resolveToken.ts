/** Where the token comes from, first match wins: never a flag (it would land in shell history). */
export const TOKEN_ENV_VARS = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

export class MissingTokenError extends Error {
  constructor() {
    super(
      `No GitHub token: set ${TOKEN_ENV_VARS.join(' or ')} to a token with the repo scope (and admin:org to grant team access), e.g. export GITHUB_TOKEN=$(gh auth token); or act as a GitHub App installation with GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE) and GITHUB_APP_INSTALLATION_ID`,
    );
    this.name = 'MissingTokenError';
  }
}

export function resolveToken(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of TOKEN_ENV_VARS) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  throw new MissingTokenError();
}
