import { describe, expect, it } from 'vitest';
import { gpuPoolMemoryGiB } from './gpuPoolMemory.js';

describe('gpuPoolMemoryGiB', () => {
  it('takes the configured size first', () => {
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-a100', instanceType: 'p4d.24xlarge', memoryGiB: 80 })).toBe(80);
  });

  it('reads the A100 variant from the instance family, else assumes the smaller one', () => {
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-a100', instanceType: 'p4de.24xlarge' })).toBe(80);
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-a100', instanceType: 'a2-ultragpu-1g' })).toBe(80);
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-a100', instanceType: 'p4d.24xlarge' })).toBe(40);
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-a100' })).toBe(40);
  });

  it('knows the one size of every other type', () => {
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-t4' })).toBe(16);
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-l4', instanceType: 'g6.12xlarge' })).toBe(24);
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-a10g' })).toBe(24);
    expect(gpuPoolMemoryGiB({ gpuType: 'nvidia-h100', instanceType: 'p5.48xlarge' })).toBe(80);
  });
});
