import { beforeAll, describe, expect, it } from 'vitest';
import { clusterProgram } from '../cluster/clusterProgram.js';
import type { ClusterConfigInput } from '../config/clusterConfig.js';
import { platformProgram } from '../in-cluster/platformProgram.js';
import { AWS_CLUSTER, GCP_CLUSTER, parseCluster } from '../test/clusterConfigs.js';
import { type Registered, runUnderMocks } from '../test/mocks.js';
import { resourceArgs, stackArgs } from '../test/policyArgs.js';
import { CLUSTER_STACK, clusterStackOutputs, PLATFORM, parsePlatform } from '../test/platformConfigs.js';
import { PLATFORM_POLICIES } from './policies/index.js';

// The pack is only credible if our own programs pass it: every registered resource of both layers,
// on both clouds and every mesh, goes through every policy.

async function check(resources: Registered[]): Promise<string[]> {
  const found: string[] = [];
  for (const policy of PLATFORM_POLICIES) {
    if ('validateResource' in policy) {
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : policy.validateResource
          ? [policy.validateResource]
          : [];
      for (const r of resources)
        for (const validate of validations)
          await validate(resourceArgs(r.type, r.inputs), (m) => found.push(`${policy.name}: ${r.type} ${r.name}: ${m}`));
    } else if ('validateStack' in policy) {
      await policy.validateStack(stackArgs(resources.map((r) => ({ type: r.type, props: r.inputs }))), (m: string) =>
        found.push(`${policy.name}: ${m}`),
      );
    }
  }
  return found;
}

describe.each([
  ['aws', AWS_CLUSTER],
  ['gcp', GCP_CLUSTER],
] as [string, ClusterConfigInput][])('both layers on %s comply with the policy pack', (_provider, cluster) => {
  let stack: Record<string, unknown>;
  beforeAll(async () => {
    stack = await clusterStackOutputs(cluster);
  });

  it('cluster layer', async () => {
    expect(await check((await runUnderMocks(() => clusterProgram(parseCluster(cluster)))).resources)).toEqual([]);
  });

  it.each(['istio-ambient', 'istio-sidecar', 'linkerd'] as const)('platform layer with %s', async (mesh) => {
    const run = await runUnderMocks(() => platformProgram(parsePlatform({ ...PLATFORM, mesh })), { [CLUSTER_STACK]: stack });
    expect(await check(run.resources)).toEqual([]);
  });
});
