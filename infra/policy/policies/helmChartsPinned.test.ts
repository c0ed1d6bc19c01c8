import { describe, expect, it } from 'vitest';
import { violations } from '../../test/policyArgs.js';
import { helmChartsPinned as policy } from './helmChartsPinned.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';

describe('helm-charts-pinned', () => {
  it.each(['1.26.3', 'v25.3.2', '2025.8.1', '1.0.0-rc.1'])('passes exact version %s', async (version) => {
    expect(await violations(policy, RELEASE, { chart: 'c', version })).toEqual([]);
    expect(await violations(policy, 'kubernetes:helm.sh/v4:Chart', { chart: 'c', version })).toEqual([]);
  });

  it.each([undefined, '', '^1.26.0', '~1.26', '1.26', '>=75', '1.x', 'latest'])('fails %s', async (version) => {
    const found = await violations(policy, RELEASE, { chart: 'istiod', version });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^Helm chart istiod must be pinned to an exact version/);
  });

  it('ignores other resources', async () => {
    expect(await violations(policy, 'kubernetes:core/v1:ConfigMap', {})).toEqual([]);
  });
});
