import * as pulumi from '@pulumi/pulumi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { asPulumiConfig, exampleStacks } from '../test/stackFiles.js';

// The real entrypoint, as `pulumi up` runs it: config from the stack, validation, then resources.

const stacks = exampleStacks(new URL('./', import.meta.url));

async function loadEntrypoint(config: Record<string, unknown>) {
  const registered: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args.type);
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            arn: `arn:aws:iam::123456789012:role/${args.name}`,
            endpoint: 'e',
            certificateAuthority: { data: 'Q0E=' },
          },
        };
      },
      call: () => ({ accountId: '123456789012' }),
    },
    'idp-cluster',
    'test',
  );
  pulumi.runtime.setAllConfig(asPulumiConfig(config));
  vi.resetModules();
  const load = import('./index.js');
  return { load, registered };
}

afterEach(() => pulumi.runtime.setAllConfig({}));

describe('cluster entrypoint', () => {
  it('stops on a bad stack file before registering anything', async () => {
    const { load, registered } = await loadEntrypoint({
      ...stacks['aws-staging'],
      'idp-cluster:gpuPools': [{ gpuType: 'nvidia-l4', maxSize: 2, sharing: { mode: 'mig', profile: '1g.10gb' } }],
    });
    await expect(load).rejects.toThrow(/idp-cluster:gpuPools\[0\]\.sharing\.mode: MIG needs nvidia-a100/);
    await expect(load).rejects.toThrow(/idp-cluster:gpuPools\[0\]\.instanceType: is required on aws/);
    expect(registered).toEqual([]);
  });

  it('runs the aws-staging example stack end to end', async () => {
    const { load, registered } = await loadEntrypoint(stacks['aws-staging']!);
    const module = await load;
    expect(module.cluster).toBeDefined();
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    expect(registered.filter((t) => t === 'aws:eks/nodeGroup:NodeGroup')).toHaveLength(4);
  });
});
