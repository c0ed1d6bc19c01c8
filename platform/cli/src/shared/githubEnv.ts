/** Where --github-url comes from when not given: this variable, else the repoUrl's host. */
export const GITHUB_URL_ENV_VAR = 'IDP_GITHUB_URL';
/**
 * `off` stops spacing writes a second apart (GitHub's advice against secondary rate limits): for
 * the local emulator, or a GitHub Enterprise server without those limits.
 */
export const WRITE_PACING_ENV_VAR = 'IDP_GITHUB_WRITE_PACING';
