import { describe, expect, it } from 'vitest';
import { readDefaultContract } from '../../../test/defaultContract.js';
import { gpuDevice, migSlice, parsePlatformContract, visibleGpuBytes } from './index.js';

const GIB = 1024 ** 3;

describe('migSlice', () => {
  it('gives the slice memory nvidia-smi lists and how many an all-<profile> layout cuts', () => {
    expect(migSlice('3g.40gb', 80)).toEqual({ bytes: 39.25 * GIB, perGpu: 2 });
    expect(migSlice('1g.10gb', 80)).toEqual({ bytes: 9.5 * GIB, perGpu: 7 });
    expect(migSlice('1g.20gb', 80).perGpu).toBe(4);
    expect(migSlice('7g.80gb', 80).perGpu).toBe(1);
    expect(migSlice('1g.5gb', 40)).toEqual({ bytes: 4.75 * GIB, perGpu: 7 });
    expect(migSlice('1g.10gb', 40).perGpu).toBe(4);
    expect(migSlice('3g.20gb', 40).perGpu).toBe(2);
  });

  it('a profile larger than the GPU fits none, and an unknown one is taken below its name', () => {
    expect(migSlice('7g.80gb', 40).perGpu).toBe(0);
    expect(migSlice('2g.24gb', 96).bytes).toBeLessThan(24 * GIB);
  });
});

describe('gpuDevice', () => {
  it('a whole GPU: the memory CUDA reports, below the size on the box', () => {
    expect(gpuDevice('nvidia-l4', { memoryGiB: 24, gpusPerNode: 4 })).toEqual({ bytes: visibleGpuBytes('nvidia-l4', 24), perNode: 4 });
    expect(visibleGpuBytes('nvidia-l4', 24)).toBeLessThan(24 * GIB);
    expect(visibleGpuBytes('nvidia-a100', 80)).toBeGreaterThan(visibleGpuBytes('nvidia-a100', 40));
  });

  it('assumes the least when the contract does not say: the smallest size, one GPU per node', () => {
    expect(gpuDevice('nvidia-a100', {})).toEqual({ bytes: visibleGpuBytes('nvidia-a100', 40), perNode: 1 });
  });

  it('MIG: one slice per device, slices per node, no tensor parallelism across them', () => {
    const device = gpuDevice('nvidia-h100', { memoryGiB: 80, gpusPerNode: 8, sharing: { mode: 'mig', profile: '3g.40gb' } });
    expect(device).toMatchObject({ bytes: 39.25 * GIB, perNode: 16 });
    expect(device.singleDeviceOnly).toMatch(/MIG 3g\.40gb/);
  });

  it('time-slicing: unusable for an engine that reserves memory up front', () => {
    expect(gpuDevice('nvidia-l4', { sharing: { mode: 'time-slicing', replicas: 2 } }).unusable).toMatch(/time-sliced 2 ways/);
  });
});

describe('GPU pool facts in the platform contract', () => {
  const withPool = (gpuType: string, facts: Record<string, unknown>) => {
    const contract = readDefaultContract();
    Object.assign(contract.environments.staging.gpuPools[gpuType], facts);
    return contract;
  };
  const problems = (contract: unknown) => {
    try {
      parsePlatformContract(contract);
      return [];
    } catch (error) {
      return (error as { problems: { field: string; message: string }[] }).problems;
    }
  };

  it('the default contract carries memory, GPUs per node and sharing for every pool', () => {
    const pools = parsePlatformContract(readDefaultContract()).environments.production.gpuPools;
    for (const pool of Object.values(pools)) expect(pool).toMatchObject({ memoryGiB: expect.any(Number), gpusPerNode: expect.any(Number) });
    expect(pools['nvidia-a100']?.memoryGiB).toBe(80);
  });

  it('an older contract without the facts parses to exactly what it parsed to before: no defaults added', () => {
    const contract = readDefaultContract();
    for (const env of ['staging', 'production']) {
      for (const pool of Object.values(contract.environments[env].gpuPools) as Record<string, unknown>[]) {
        delete pool.memoryGiB;
        delete pool.gpusPerNode;
        delete pool.sharing;
      }
    }
    const parsed = parsePlatformContract(contract);
    expect(Object.keys(parsed.environments.staging.gpuPools['nvidia-l4']!)).toEqual(['nodeSelector', 'tolerations']);
  });

  it('refuses a size the type is not made in, naming the sizes', () => {
    expect(problems(withPool('nvidia-l4', { memoryGiB: 48 }))).toEqual([
      { field: 'environments.staging.gpuPools.nvidia-l4.memoryGiB', message: 'must be a memory size nvidia-l4 is made with: 24 (e.g. 24)' },
    ]);
  });

  it('refuses MIG on a GPU without it, and a profile larger than the GPU', () => {
    expect(problems(withPool('nvidia-l4', { sharing: { mode: 'mig', profile: '1g.10gb' } }))[0]).toMatchObject({
      field: 'environments.staging.gpuPools.nvidia-l4.sharing.mode',
      message: expect.stringMatching(/MIG needs nvidia-a100 or nvidia-h100 \(e\.g\. \{mode: none\}\)/),
    });
    expect(problems(withPool('nvidia-a100', { memoryGiB: 40, sharing: { mode: 'mig', profile: '7g.80gb' } }))[0]).toMatchObject({
      field: 'environments.staging.gpuPools.nvidia-a100.sharing.profile',
      message: 'must be a MIG profile that fits a 40 GiB GPU (e.g. 3g.20gb)',
    });
  });

  it('refuses more GPUs per node than a pod may hold', () => {
    expect(problems(withPool('nvidia-h100', { gpusPerNode: 16 }))[0]?.field).toBe('environments.staging.gpuPools.nvidia-h100.gpusPerNode');
  });
});
