import { describe, expect, it } from 'vitest';
import { gpuNodePool } from '../../components/karpenterNodePools.js';
import { violations } from '../../test/policyArgs.js';
import { gpuNodePoolsSafe } from './gpuNodePoolsSafe.js';

const TYPE = 'kubernetes:karpenter.sh/v1:NodePool';
const pool = () =>
  gpuNodePool({
    gpuType: 'nvidia-l4',
    sharing: { mode: 'none' },
    instanceType: 'g6.xlarge',
    minSize: 0,
    maxSize: 4,
    gpusPerNode: 1,
    spot: false,
  }) as Record<string, any>;

describe('gpu-node-pools-safe', () => {
  it('passes the NodePools the platform layer creates, and CPU NodePools', async () => {
    expect(await violations(gpuNodePoolsSafe, TYPE, pool())).toEqual([]);
    expect(
      await violations(gpuNodePoolsSafe, TYPE, {
        metadata: { name: 'system' },
        spec: { template: { spec: { requirements: [] } }, disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized' } },
      }),
    ).toEqual([]);
  });

  it('fails an untainted GPU NodePool', async () => {
    const p = pool();
    p.spec.template.spec.taints = [];
    expect(await violations(gpuNodePoolsSafe, TYPE, p)).toEqual([
      'GPU NodePool gpu-nvidia-l4 needs spec.template.spec.taints {key: nvidia.com/gpu, effect: NoSchedule}',
    ]);
  });

  it('fails a GPU NodePool without a GPU limit', async () => {
    const p = pool();
    delete p.spec.limits;
    expect(await violations(gpuNodePoolsSafe, TYPE, p)).toEqual([
      'GPU NodePool gpu-nvidia-l4 needs a whole-number spec.limits["nvidia.com/gpu"] (e.g. "8")',
    ]);
  });

  it('fails a GPU NodePool that consolidates busy nodes (it would evict pods loading their model)', async () => {
    const p = pool();
    p.spec.disruption.consolidationPolicy = 'WhenEmptyOrUnderutilized';
    expect(await violations(gpuNodePoolsSafe, TYPE, p)).toEqual([
      'GPU NodePool gpu-nvidia-l4 must consolidate only empty nodes (spec.disruption.consolidationPolicy: WhenEmpty), not WhenEmptyOrUnderutilized',
    ]);
  });
});
