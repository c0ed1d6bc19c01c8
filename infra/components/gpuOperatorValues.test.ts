import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { gpuOperatorValues, timeSlicingConfigs } from './gpuOperatorValues.js';

const monitor = { release: 'kube-prometheus-stack' };

describe('GPU Operator values', () => {
  it('installs driver and toolkit only where the node image lacks them', () => {
    expect(gpuOperatorValues({ gpuPools: [], nodeImageShipsDriver: true }, monitor)).toMatchObject({
      driver: { enabled: false },
      toolkit: { enabled: false },
    });
    expect(gpuOperatorValues({ gpuPools: [], nodeImageShipsDriver: false }, monitor)).toMatchObject({
      driver: { enabled: true },
      toolkit: { enabled: true },
    });
  });

  it('uses the MIG strategy single and the MIG manager only when a pool is partitioned', () => {
    const mig = gpuOperatorValues(
      { gpuPools: [{ gpuType: 'nvidia-a100', sharing: { mode: 'mig', profile: '1g.10gb' } }], nodeImageShipsDriver: true },
      monitor,
    );
    expect(mig).toMatchObject({ mig: { strategy: 'single' }, migManager: { enabled: true }, devicePlugin: { enabled: true } });
    expect(mig.devicePlugin).not.toHaveProperty('config');
    const none = gpuOperatorValues(
      { gpuPools: [{ gpuType: 'nvidia-l4', sharing: { mode: 'none' } }], nodeImageShipsDriver: true },
      monitor,
    );
    expect(none).toMatchObject({ mig: { strategy: 'none' }, migManager: { enabled: false } });
  });

  it('one time-slicing config per time-sliced pool, selected by the pool label, none by default', () => {
    const pools = [
      { gpuType: 'nvidia-t4', sharing: { mode: 'time-slicing', replicas: 8 } },
      { gpuType: 'nvidia-l4', sharing: { mode: 'none' } },
    ] as const;
    const configs = timeSlicingConfigs([...pools]);
    expect(Object.keys(configs)).toEqual(['nvidia-t4-time-sliced']);
    expect(parse(configs['nvidia-t4-time-sliced']!).sharing.timeSlicing.resources).toEqual([{ name: 'nvidia.com/gpu', replicas: 8 }]);
    expect(gpuOperatorValues({ gpuPools: [...pools], nodeImageShipsDriver: true }, monitor).devicePlugin).toEqual({
      enabled: true,
      config: { name: 'device-plugin-config', default: '' },
    });
  });
});
