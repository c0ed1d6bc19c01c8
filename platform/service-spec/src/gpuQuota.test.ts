import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCELERATED_GPU_TYPES,
  InvalidInputError,
  MAX_GPUS_PER_POD,
  MAX_REPLICAS,
  parsePlatformContract,
  peakGpus,
  resolveService,
  ROLLOUT_SURGE_PODS,
  type PlatformContractInput,
} from './index.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

const pool = {
  nodeSelector: { 'idp.dev/gpu-type': 'x' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }],
};
const pools = Object.fromEntries(ACCELERATED_GPU_TYPES.map((t) => [t, pool]));
const environment = (cluster: string, teamQuotas: Record<string, { gpus: number }>, scaleToZero = false) => ({
  cluster: { name: cluster, provider: 'aws' as const },
  registry: { host: 'registry.example.com', repositoryPrefix: 'ml' },
  ciIdentity: { kind: 'aws' as const, roleArn: 'arn:aws:iam::123456789012:role/deployer', region: 'eu-west-1' },
  mesh: scaleToZero ? ('istio-sidecar' as const) : ('none' as const),
  gpuPools: pools,
  observability: {},
  autoscaling: { keda: true, scaleToZero },
  teamQuotas,
});
const contract = (staging: number | undefined, production: number | undefined, sameCluster = false, scaleToZero = false) =>
  parsePlatformContract({
    version: 1,
    github: { host: 'github.com', org: 'acme' },
    environments: {
      staging: environment('ml-staging', staging === undefined ? {} : { 'ml-team': { gpus: staging } }, scaleToZero),
      production: environment(
        sameCluster ? 'ml-staging' : 'ml-production',
        production === undefined ? {} : { 'ml-team': { gpus: production } },
        scaleToZero,
      ),
    },
  } satisfies PlatformContractInput);

const problemsOf = (input: unknown, platform: ReturnType<typeof contract>) => {
  try {
    resolveService(input, platform);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return error.problems;
  }
};

describe('the owner team GPU quota', () => {
  it('refuses a service whose replicas and rollout pod exceed the quota, naming the field and what fits', () => {
    const problems = problemsOf({ name: 'x', gpuType: 'nvidia-l4', gpuCount: 2, maxReplicas: 5 }, contract(8, 16));
    expect(problems).toEqual([
      {
        field: 'maxReplicas',
        message:
          "must fit the owner team's GPU quota: (maxReplicas 5 + 1 rollout pod) × gpuCount 2 = 12 GPUs, but ml-team has 8 in ml-staging (staging) (e.g. maxReplicas=3)",
      },
    ]);
  });

  it('adds up environments that share a cluster, and suggests fewer GPUs when no replica count fits', () => {
    expect(problemsOf({ name: 'x', gpuType: 'nvidia-l4', maxReplicas: 3 }, contract(8, 8, true))).toEqual([]);
    const [problem] = problemsOf({ name: 'x', gpuType: 'nvidia-l4', gpuCount: 4, minReplicas: 3, maxReplicas: 3 }, contract(16, 16, true));
    expect(problem!.message).toContain(
      '× 2 environments = 32 GPUs, but ml-team has 16 in ml-staging (staging and production) (e.g. gpuCount=2',
    );
  });

  it('says to ask for a larger quota when even one GPU per replica does not fit', () => {
    const [problem] = problemsOf({ name: 'x', gpuType: 'nvidia-h100', minReplicas: 2, maxReplicas: 4 }, contract(2, undefined));
    expect(problem!.message).toMatch(/e\.g\. ask the platform team to raise the quota to 3 GPUs/);
  });

  it('checks nothing for CPU services or teams without a stated quota', () => {
    expect(problemsOf({ name: 'x', maxReplicas: 100 }, contract(0, 0))).toEqual([]);
    expect(problemsOf({ name: 'x', owner: 'group:default/search', gpuType: 'nvidia-l4', maxReplicas: 100 }, contract(1, 1))).toEqual([]);
  });

  it('property: accepted exactly when every cluster holds (maxReplicas + surge) × gpuCount, and the suggestion fits', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 64 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 64 }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 1, max: MAX_GPUS_PER_POD }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        (staging, production, sameCluster, gpuCount, minReplicas, extra) => {
          const platform = contract(staging, production, sameCluster);
          const spec = {
            name: 'x',
            gpuType: 'nvidia-a100',
            gpuCount,
            minReplicas,
            maxReplicas: Math.min(minReplicas + extra, MAX_REPLICAS),
          };
          const peak = peakGpus(spec);
          const quotas = sameCluster
            ? [staging === undefined && production === undefined ? undefined : Math.min(staging ?? Infinity, production ?? Infinity) / 2]
            : [staging, production];
          const fitsEverywhere = quotas.every((q) => q === undefined || peak <= q);
          const problems = problemsOf(spec, platform);
          expect(problems.length === 0).toBe(fitsEverywhere);
          for (const problem of problems) {
            expect(problem.field).toBe('maxReplicas');
            expect(problem.message).toContain(
              `(maxReplicas ${spec.maxReplicas} + ${ROLLOUT_SURGE_PODS} rollout pod) × gpuCount ${gpuCount}`,
            );
            // A suggested maxReplicas or gpuCount really fits.
            const suggestion = /e\.g\. (maxReplicas|gpuCount)=(\d+)/.exec(problem.message);
            if (suggestion) {
              const fixed = { ...spec, [suggestion[1]!]: Number(suggestion[2]) };
              const cluster = /in (\S+) \(/.exec(problem.message)![1]!;
              expect(
                problemsOf(fixed, platform).filter((p) => p.message.includes(`in ${cluster} (`)),
                problem.message,
              ).toEqual([]);
            } else {
              expect(problem.message).toMatch(/e\.g\. ask the platform team to raise the quota to \d+ GPUs/);
            }
          }
        },
      ),
      propertyRuns(2000),
    );
  });
});

describe('scale to zero', () => {
  it('allows minReplicas 0 only where every environment scales to zero', () => {
    expect(resolveService({ name: 'x', minReplicas: 0 }, contract(8, 8, false, true)).minReplicas).toBe(0);
    expect(problemsOf({ name: 'x', minReplicas: 0 }, contract(8, 8))).toEqual([
      {
        field: 'minReplicas',
        message:
          'may be 0 only where the platform scales to zero (autoscaling.scaleToZero), which staging and production does not (e.g. 1)',
      },
    ]);
  });

  it('the contract refuses scale to zero without KEDA', () => {
    const input = {
      version: 1,
      github: { host: 'github.com', org: 'acme' },
      environments: {
        staging: { ...environment('a', {}), autoscaling: { keda: false, scaleToZero: true } },
        production: environment('b', {}),
      },
    };
    expect(() => parsePlatformContract(input)).toThrow(/environments\.staging\.autoscaling\.scaleToZero: needs keda: true/);
  });

  it('the contract refuses scale to zero where no proxy sees the requests that would wake a service', () => {
    const input = {
      version: 1,
      github: { host: 'github.com', org: 'acme' },
      environments: { staging: { ...environment('a', {}, true), mesh: 'istio-ambient' }, production: environment('b', {}) },
    };
    expect(() => parsePlatformContract(input)).toThrow(
      /environments\.staging\.autoscaling\.scaleToZero: needs a mesh whose callers' proxies report requests .*istio-sidecar or linkerd \(e\.g\. mesh: istio-sidecar\)/,
    );
  });
});
