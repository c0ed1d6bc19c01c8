import { ACCELERATED_GPU_TYPES } from '@idp/service-spec';
import { describe, expect, it } from 'vitest';
import { loadDefaultContract } from '../../test/defaultContract.js';
import { gpuPoolLabels, gpuPoolPlacement } from './gpuScheduling.js';

const defaultContract = loadDefaultContract();

describe('GPU scheduling conventions', () => {
  it.each(ACCELERATED_GPU_TYPES)('placement for %s is what the default contract advertises', (gpuType) => {
    // The pool's memory facts beside its placement are each cluster's own (buildContract exports them).
    const { nodeSelector, tolerations } = defaultContract.environments.staging.gpuPools[gpuType]!;
    expect(gpuPoolPlacement(gpuType)).toEqual({ nodeSelector, tolerations });
  });

  it('a pool carries the label its placement selects, plus the sharing hint the GPU Operator reads', () => {
    expect(gpuPoolLabels('nvidia-l4', { mode: 'none' })).toEqual({ 'idp.dev/gpu-type': 'nvidia-l4' });
    expect(gpuPoolLabels('nvidia-l4', { mode: 'time-slicing', replicas: 4 })).toEqual({
      'idp.dev/gpu-type': 'nvidia-l4',
      'nvidia.com/device-plugin.config': 'nvidia-l4-time-sliced',
    });
    expect(gpuPoolLabels('nvidia-h100', { mode: 'mig', profile: '1g.10gb' })).toEqual({
      'idp.dev/gpu-type': 'nvidia-h100',
      'nvidia.com/mig.config': 'all-1g.10gb',
    });
    for (const [key, value] of Object.entries(gpuPoolPlacement('nvidia-l4').nodeSelector))
      expect(gpuPoolLabels('nvidia-l4', { mode: 'none' })[key]).toBe(value);
  });
});
