import { githubAuthApiRef } from '@backstage/core-plugin-api';
import type { SignInProviderConfig } from '@backstage/core-components';

export const GITHUB_PROVIDER: SignInProviderConfig = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * Who may sign in, by `auth.environment`: guests on a local portal, GitHub accounts in
 * production (app-config.production.yaml), matching the backend's auth providers.
 */
export function signInProviders(environment: string | undefined): Array<'guest' | SignInProviderConfig> {
  return environment === 'production' ? [GITHUB_PROVIDER] : ['guest'];
}
