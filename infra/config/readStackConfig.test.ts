import { describe, expect, it } from 'vitest';
import { projectConfigValues } from './readStackConfig.js';

describe('projectConfigValues', () => {
  it('keeps only the project’s keys and decodes structured values, keeping scalars as strings', () => {
    const values = projectConfigValues('idp-cluster', {
      'idp-cluster:provider': 'aws',
      'idp-cluster:gpuPools': '[{"gpuType":"nvidia-l4","maxSize":4}]',
      'idp-cluster:systemPool': '{"maxSize":6}',
      'idp-cluster:kubernetesVersion': '1.33',
      'aws:region': 'eu-west-1',
    });
    expect(values).toEqual({
      provider: 'aws',
      gpuPools: [{ gpuType: 'nvidia-l4', maxSize: 4 }],
      systemPool: { maxSize: 6 },
      kubernetesVersion: '1.33',
    });
  });

  it('leaves malformed JSON as a string for the schema to reject by key', () => {
    expect(projectConfigValues('p', { 'p:teams': '[{oops' })).toEqual({ teams: '[{oops' });
  });
});
