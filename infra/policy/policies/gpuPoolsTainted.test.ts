import { describe, expect, it } from 'vitest';
import { violations } from '../../test/policyArgs.js';
import { gpuPoolsTainted } from './gpuPoolsTainted.js';

const taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' };

describe('gpu-pools-tainted', () => {
  it('passes tainted GPU pools on EKS, GKE and existing nodes', async () => {
    expect(
      await violations(gpuPoolsTainted, 'aws:eks/nodeGroup:NodeGroup', {
        amiType: 'AL2023_x86_64_NVIDIA',
        labels: { 'idp.dev/gpu-type': 'nvidia-l4' },
        taints: [taint],
      }),
    ).toEqual([]);
    expect(
      await violations(gpuPoolsTainted, 'gcp:container/nodePool:NodePool', {
        nodeConfig: { guestAccelerators: [{ type: 'nvidia-l4', count: 1 }], taints: [taint] },
      }),
    ).toEqual([]);
    expect(
      await violations(gpuPoolsTainted, 'kubernetes:core/v1:NodePatch', {
        metadata: { labels: { 'idp.dev/gpu-type': 'nvidia-t4' } },
        spec: { taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] },
      }),
    ).toEqual([]);
  });

  it('passes CPU pools without the taint', async () => {
    expect(
      await violations(gpuPoolsTainted, 'aws:eks/nodeGroup:NodeGroup', {
        amiType: 'AL2023_x86_64_STANDARD',
        labels: { 'idp.dev/pool': 'system' },
      }),
    ).toEqual([]);
    expect(await violations(gpuPoolsTainted, 'gcp:container/nodePool:NodePool', { nodeConfig: { machineType: 'e2-standard-4' } })).toEqual(
      [],
    );
  });

  it('fails GPU pools without the taint, or with the wrong effect', async () => {
    expect(await violations(gpuPoolsTainted, 'aws:eks/nodeGroup:NodeGroup', { amiType: 'AL2023_x86_64_NVIDIA', taints: [] })).toEqual([
      'EKS GPU node group needs taint {key: nvidia.com/gpu, effect: NO_SCHEDULE}',
    ]);
    expect(
      await violations(gpuPoolsTainted, 'aws:eks/nodeGroup:NodeGroup', {
        labels: { 'idp.dev/gpu-type': 'nvidia-l4' },
        taints: [{ ...taint, effect: 'PREFER_NO_SCHEDULE' }],
      }),
    ).toHaveLength(1);
    expect(
      await violations(gpuPoolsTainted, 'gcp:container/nodePool:NodePool', {
        nodeConfig: { guestAccelerators: [{ type: 'nvidia-l4', count: 1 }] },
      }),
    ).toEqual(['GKE GPU node pool needs nodeConfig.taints {key: nvidia.com/gpu, effect: NO_SCHEDULE}']);
    expect(
      await violations(gpuPoolsTainted, 'kubernetes:core/v1:NodePatch', {
        metadata: { labels: { 'idp.dev/gpu-type': 'nvidia-t4' } },
        spec: {},
      }),
    ).toHaveLength(1);
  });
});
