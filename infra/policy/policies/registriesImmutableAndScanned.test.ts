import { describe, expect, it } from 'vitest';
import { violations } from '../../test/policyArgs.js';
import { registriesImmutableAndScanned as policy } from './registriesImmutableAndScanned.js';

describe('registries-immutable-and-scanned', () => {
  it('passes immutable, scanned ECR and Artifact Registry repositories', async () => {
    expect(
      await violations(policy, 'aws:ecr/repository:Repository', {
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    ).toEqual([]);
    expect(
      await violations(policy, 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate', { imageTagMutability: 'IMMUTABLE' }),
    ).toEqual([]);
    expect(
      await violations(policy, 'aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration', {
        rules: [{ scanFrequency: 'SCAN_ON_PUSH' }],
      }),
    ).toEqual([]);
    expect(
      await violations(policy, 'gcp:artifactregistry/repository:Repository', {
        format: 'DOCKER',
        dockerConfig: { immutableTags: true },
        vulnerabilityScanningConfig: { enablementConfig: 'INHERITED' },
      }),
    ).toEqual([]);
  });

  it('fails mutable tags and missing scan on push, one violation each', async () => {
    expect(await violations(policy, 'aws:ecr/repository:Repository', { imageTagMutability: 'MUTABLE' })).toEqual([
      'ECR repository needs imageTagMutability: IMMUTABLE',
      'ECR repository needs imageScanningConfiguration.scanOnPush: true',
    ]);
    expect(await violations(policy, 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate', {})).toHaveLength(1);
    expect(
      await violations(policy, 'aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration', {
        rules: [{ scanFrequency: 'MANUAL' }],
      }),
    ).toHaveLength(1);
    expect(
      await violations(policy, 'gcp:artifactregistry/repository:Repository', {
        format: 'DOCKER',
        vulnerabilityScanningConfig: { enablementConfig: 'DISABLED' },
      }),
    ).toEqual([
      'Artifact Registry repository needs dockerConfig.immutableTags: true',
      'Artifact Registry repository must not disable vulnerability scanning',
    ]);
  });

  it('ignores non-Docker repositories', async () => {
    expect(await violations(policy, 'gcp:artifactregistry/repository:Repository', { format: 'PYTHON' })).toEqual([]);
  });
});
