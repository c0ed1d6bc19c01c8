import { describe, expect, it } from 'vitest';
import { asPulumiConfig, exampleStacks } from '../test/stackFiles.js';
import { CLUSTER_CONFIG_EXAMPLES, ClusterConfig } from './clusterConfig.js';
import { PLATFORM_CONFIG_EXAMPLES, PlatformConfig } from './platformConfig.js';
import { parseStackConfig, projectConfigValues } from './readStackConfig.js';

// The documented stack files are what a platform engineer copies: each must pass the same
// validation the program runs on startup.

const clusterStacks = exampleStacks(new URL('../cluster/', import.meta.url));
const platformStacks = exampleStacks(new URL('../in-cluster/', import.meta.url));

describe('example stack files', () => {
  it('cover every provider in the cluster layer and every layer has some', () => {
    expect(
      Object.values(clusterStacks)
        .map((c) => c['idp-cluster:provider'])
        .sort(),
    ).toEqual(['aws', 'aws', 'existing', 'gcp']);
    expect(Object.keys(platformStacks).length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.entries(clusterStacks))('cluster stack %s is valid', (_stack, config) => {
    const values = projectConfigValues('idp-cluster', asPulumiConfig(config));
    // The kubeconfig is a secret set on the command line, never in the file.
    if (values.provider === 'existing') {
      expect(JSON.stringify(values)).not.toContain('kubeconfig');
      (values.existing as Record<string, unknown>).kubeconfig = 'apiVersion: v1\nkind: Config\n';
    }
    expect(() => parseStackConfig('idp-cluster', ClusterConfig, values, CLUSTER_CONFIG_EXAMPLES)).not.toThrow();
  });

  it.each(Object.entries(platformStacks))('platform stack %s is valid and references an example cluster stack', (_stack, config) => {
    const parsed = parseStackConfig(
      'idp-platform',
      PlatformConfig,
      projectConfigValues('idp-platform', asPulumiConfig(config)),
      PLATFORM_CONFIG_EXAMPLES,
    );
    expect(Object.keys(clusterStacks)).toContain(parsed.clusterStack.split('/').at(-1));
  });
});
