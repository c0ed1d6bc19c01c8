import { PlatformContract, teamNamespace } from '@idp/service-spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDefaultContract } from '../../test/defaultContract.js';
import { PLATFORM } from '../test/platformConfigs.js';
import { stackConfigProblems } from '../test/stackConfigProblems.js';
import { PLATFORM_CONFIG_EXAMPLES, PlatformConfig } from './platformConfig.js';
import { propertyRuns } from '../../test/propertyRuns.js';

const problems = (values: Record<string, unknown>) => stackConfigProblems('idp-platform', PlatformConfig, values, PLATFORM_CONFIG_EXAMPLES);

describe('platform stack config', () => {
  it('accepts the example with defaults', () => {
    expect(PlatformConfig.parse(PLATFORM)).toMatchObject({
      environments: ['staging', 'production'],
      mesh: 'istio-ambient',
      autoscaling: { keda: true, scaleToZero: false },
      rollouts: { controller: 'argo-rollouts' },
      teams: [
        { name: 'ml-team', gpus: 8 },
        { name: 'search', gpus: 4, cpu: '64', memory: '256Gi' },
      ],
    });
  });

  it.each([
    [
      'missing cluster stack',
      { ...PLATFORM, clusterStack: undefined },
      'clusterStack',
      /^is required \(a stack name/,
      'pulumi config set clusterStack acme/idp-cluster/aws-staging',
    ],
    [
      'unknown mesh',
      { ...PLATFORM, mesh: 'consul' },
      'mesh',
      /must be one of istio-ambient, istio-sidecar, linkerd, none/,
      'pulumi config set mesh istio-ambient',
    ],
    ['no teams', { ...PLATFORM, teams: [] }, 'teams', /at least one team/, 'teams[0].name'],
    ['duplicate team', { ...PLATFORM, teams: [{ name: 'a' }, { name: 'a' }] }, 'teams[1].name', /listed twice/, 'teams[0].name'],
    [
      'bad quantity',
      { ...PLATFORM, teams: [{ name: 'a', memory: 'lots' }] },
      'teams[0].memory',
      /memory quantity \(e\.g\. 256Gi\)/,
      'teams',
    ],
    [
      'one environment and no peer',
      { ...PLATFORM, environments: ['staging'] },
      'peerPlatformStack',
      /is required when this cluster does not serve production/,
      'pulumi config set peerPlatformStack',
    ],
    [
      'scale to zero without KEDA',
      { ...PLATFORM, mesh: 'linkerd', autoscaling: { keda: false, scaleToZero: true } },
      'autoscaling.scaleToZero',
      /needs autoscaling\.keda: true/,
      'pulumi config set --path autoscaling.keda true',
    ],
    [
      'scale to zero on ambient Istio',
      { ...PLATFORM, autoscaling: { scaleToZero: true } },
      'autoscaling.scaleToZero',
      /needs mesh istio-sidecar or linkerd.*\(mesh is istio-ambient\)/,
      'autoscaling.keda',
    ],
    [
      'an unknown rollout controller',
      { ...PLATFORM, rollouts: { controller: 'flagger' } },
      'rollouts.controller',
      /must be one of argo-rollouts, none/,
      'pulumi config set --path rollouts.controller argo-rollouts',
    ],
  ])('rejects %s with key, rule and example', (_name, values, key, rule, example) => {
    const problem = problems(values as Record<string, unknown>).find((p) => p.key === key);
    expect(problem).toBeDefined();
    expect(problem!.rule).toMatch(rule);
    expect(problem!.example).toContain(example);
  });
});

describe('team names', () => {
  // One rule (docs/adr/0004): a team infra creates is a namespace a service's owner can map onto, and
  // a key the contract's teamQuotas accept; a name refused by one is refused by all.
  const contract = readDefaultContract();
  const acceptedByInfra = (name: string) => PlatformConfig.safeParse({ ...PLATFORM, teams: [{ name }] }).success;
  const acceptedAsOwner = (name: string) => teamNamespace(name) === name;
  const acceptedAsQuotaKey = (name: string) => {
    const production = { ...contract.environments.production, teamQuotas: { [name]: { gpus: 1 } } };
    return PlatformContract.safeParse({ ...contract, environments: { ...contract.environments, production } }).success;
  };
  const names = fc.oneof(
    fc.stringMatching(/^[a-z0-9][-a-z0-9]{0,70}$/),
    fc.string({ unit: fc.constantFrom(...'az09-_.A'), maxLength: 70 }),
    fc.constantFrom('ml-team', '1team', 'team-', '-team', 'a'.repeat(63), 'a'.repeat(64), 'ML', 'jane.doe', ''),
    fc.string(),
  );

  it('are accepted by infra exactly when the spec accepts them as an owner namespace and a quota key', () => {
    fc.assert(
      fc.property(names, (name) => {
        const infra = acceptedByInfra(name);
        expect(acceptedAsOwner(name)).toBe(infra);
        expect(acceptedAsQuotaKey(name)).toBe(infra);
      }),
      propertyRuns(500),
    );
    expect(['ml-team', '1team', 'a'.repeat(63)].map(acceptedByInfra)).toEqual([true, true, true]);
    expect(['team-', 'a'.repeat(64), 'jane.doe'].map(acceptedByInfra)).toEqual([false, false, false]);
  });
});
