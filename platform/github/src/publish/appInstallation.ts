import { readFile } from 'node:fs/promises';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { withoutUrlCredentials } from '@idp/scaffold';

/** A GitHub App installation publishing acts as, instead of a person's token. */
export interface AppInstallation {
  appId: string;
  /** The App's private key (PEM). */
  privateKey: string;
  installationId: number;
}

export const APP_ENV_VARS = {
  appId: 'GITHUB_APP_ID',
  privateKey: 'GITHUB_APP_PRIVATE_KEY',
  privateKeyFile: 'GITHUB_APP_PRIVATE_KEY_FILE',
  installationId: 'GITHUB_APP_INSTALLATION_ID',
} as const;

/** The App installation named by GITHUB_APP_* variables, or undefined when none is set. */
export async function appInstallationFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<AppInstallation | undefined> {
  const appId = env[APP_ENV_VARS.appId]?.trim();
  if (!appId) return undefined;
  const keyFile = env[APP_ENV_VARS.privateKeyFile]?.trim();
  const privateKey = env[APP_ENV_VARS.privateKey]?.trim() || (keyFile ? await readFile(keyFile, 'utf8').catch(() => '') : '');
  const installationId = Number(env[APP_ENV_VARS.installationId]);
  if (!privateKey) {
    throw new Error(
      `${APP_ENV_VARS.appId} is set, so a GitHub App private key is needed: set ${APP_ENV_VARS.privateKey} to the PEM or ${APP_ENV_VARS.privateKeyFile} to a readable file`,
    );
  }
  if (!Number.isInteger(installationId) || installationId <= 0) {
    throw new Error(
      `${APP_ENV_VARS.installationId} must be the App's installation id in the organisation (a positive whole number, e.g. 12345678)`,
    );
  }
  return { appId, privateKey, installationId };
}

/** Exchanges the App's signed JWT for a short-lived installation token (used for the API and git). */
export async function installationToken(app: AppInstallation, baseUrl: string): Promise<string> {
  const github = new Octokit({
    // As createGithubClient: fetch refuses userinfo, and the App's JWT is what authenticates.
    baseUrl: withoutUrlCredentials(baseUrl),
    authStrategy: createAppAuth,
    auth: { appId: app.appId, privateKey: app.privateKey, installationId: app.installationId },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const auth = (await github.auth({ type: 'installation' })) as { token: string };
  return auth.token;
}
