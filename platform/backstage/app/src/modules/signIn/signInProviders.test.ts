import { describe, expect, it } from 'vitest';
import { GITHUB_PROVIDER, signInProviders } from './signInProviders';

describe('signInProviders', () => {
  it('offers guest sign-in locally (the default environment is development)', () => {
    expect(signInProviders(undefined)).toEqual(['guest']);
    expect(signInProviders('development')).toEqual(['guest']);
  });

  it('offers only GitHub in production, the provider app-config.production.yaml configures', () => {
    expect(signInProviders('production')).toEqual([GITHUB_PROVIDER]);
    expect(GITHUB_PROVIDER.id).toBe('github-auth-provider');
  });
});
