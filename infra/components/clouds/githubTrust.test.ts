import { describe, expect, it } from 'vitest';
import { githubCelCondition, githubSubjects } from './githubTrust.js';

describe('GitHub OIDC trust scope', () => {
  it('subject patterns name org, repository and environment', () => {
    expect(githubSubjects({ org: 'acme', repositories: ['*'], environment: 'production' })).toEqual(['repo:acme/*:environment:production']);
    expect(githubSubjects({ org: 'acme', repositories: ['fraud-*', 'ranker'], environment: 'staging' })).toEqual([
      'repo:acme/fraud-*:environment:staging',
      'repo:acme/ranker:environment:staging',
    ]);
  });

  it('the CEL condition checks owner and environment, and repositories unless all are allowed', () => {
    expect(githubCelCondition({ org: 'acme', repositories: ['*'], environment: 'staging' })).toBe(
      "assertion.repository_owner == 'acme' && assertion.environment == 'staging'",
    );
    // Regex metacharacters in names are escaped; a glob star matches within one path segment.
    expect(githubCelCondition({ org: 'acme', repositories: ['ml.api-*'], environment: 'production' })).toBe(
      "assertion.repository_owner == 'acme' && assertion.environment == 'production' && (assertion.repository.matches('^acme/ml\\\\.api-[^/]*$'))",
    );
  });
});
