import * as pulumi from '@pulumi/pulumi';
import { PlatformContract } from '@idp/service-spec';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GCP_CLUSTER } from '../test/clusterConfigs.js';
import { runUnderMocks } from '../test/mocks.js';
import { clusterStackOutputs } from '../test/platformConfigs.js';
import { asPulumiConfig, exampleStacks } from '../test/stackFiles.js';

// The real entrypoint (top-level await on the cluster stack), as `pulumi up` runs it, from the
// documented gcp-staging stack file: it serves both environments, so the contract is complete.

const stacks = exampleStacks(new URL('./', import.meta.url));
let cluster: Record<string, unknown>;
beforeAll(async () => {
  cluster = await clusterStackOutputs(GCP_CLUSTER);
});
afterEach(() => pulumi.runtime.setAllConfig({}));

function loadEntrypoint(config: Record<string, unknown>) {
  return runUnderMocks(
    async () => {
      pulumi.runtime.setAllConfig(asPulumiConfig(config));
      vi.resetModules();
      const { platformContract, platformEnvironments } = await import('./index.js');
      return { platformContract, platformEnvironments };
    },
    { 'acme/idp-cluster/gcp-staging': cluster },
  );
}

describe('platform entrypoint', () => {
  it('exports a valid platformContract from the example stack file', async () => {
    const run = await loadEntrypoint(stacks['gcp-staging']!);
    expect(PlatformContract.parse(run.outputs.platformContract).environments.production.mesh).toBe('linkerd');
    expect(run.ofType('kubernetes:helm.sh/v3:Release').length).toBeGreaterThan(0);
  });

  it('stops on a bad stack file before reading the cluster stack or registering anything', async () => {
    let registered = -1;
    await expect(
      runUnderMocks(async () => {
        pulumi.runtime.setAllConfig(asPulumiConfig({ ...stacks['gcp-staging'], 'idp-platform:mesh': 'consul', 'idp-platform:teams': [] }));
        vi.resetModules();
        try {
          return await import('./index.js');
        } finally {
          registered = (pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> }).resources.size;
        }
      }),
    ).rejects.toThrow(/idp-platform:mesh: must be one of istio-ambient[\s\S]*idp-platform:teams: must list at least one team/);
    expect(registered).toBe(0);
  });
});
