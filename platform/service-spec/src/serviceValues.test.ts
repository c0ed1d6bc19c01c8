import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  parsePlatformContract,
  parseQuantity,
  resolveService,
  serviceValues,
  sharedMemorySize,
  type PlatformContractInput,
} from './index.js';

const pool = {
  nodeSelector: { 'idp.dev/gpu-type': 'x' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }],
};
const environment = (gpuPools: Record<string, typeof pool>) => ({
  cluster: { name: 'ml', provider: 'aws' as const },
  registry: { host: 'registry.example.com', repositoryPrefix: 'ml' },
  ciIdentity: { kind: 'aws' as const, roleArn: 'arn:aws:iam::123456789012:role/deployer', region: 'eu-west-1' },
  mesh: 'none' as const,
  gpuPools,
  observability: {},
});
const contractInput: PlatformContractInput = {
  version: 1,
  github: { host: 'github.example.com', org: 'acme-ml' },
  environments: { staging: environment({ 'nvidia-l4': pool, 'nvidia-t4': pool }), production: environment({ 'nvidia-l4': pool }) },
};
const platform = parsePlatformContract(contractInput);

describe('resolveService', () => {
  it('derives the repository from the platform organisation and the Python package from the name', () => {
    const spec = resolveService({ name: 'fraud-detector' }, platform);
    expect(spec.repoUrl).toBe('github.example.com?owner=acme-ml&repo=fraud-detector');
    expect(spec.pythonPackage).toBe('fraud_detector');
  });

  it('keeps a repository that was given', () => {
    expect(resolveService({ name: 'x', repoUrl: 'github.com?owner=o&repo=r' }, platform).repoUrl).toBe('github.com?owner=o&repo=r');
  });

  it.each([
    ['ml-team', 'group:default/ml-team'],
    ['user:jane', 'user:default/jane'],
    ['group:research/vision', 'group:research/vision'],
  ])('stores the owner %s in full as %s', (owner, full) => {
    expect(resolveService({ name: 'x', owner }, platform).owner).toBe(full);
  });

  it('refuses a GPU type the platform has no pool for in every environment, offering one it has', () => {
    const error = (() => {
      try {
        resolveService({ name: 'x', gpuType: 'nvidia-t4' }, platform);
      } catch (e) {
        return e;
      }
    })() as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.problems).toEqual([{ field: 'gpuType', message: expect.stringContaining('has none in production (e.g. nvidia-l4)') }]);
  });

  it('gives templates the platform contract beside the spec', () => {
    expect(serviceValues({ name: 'x' }, platform).platform).toBe(platform);
  });
});

describe('parsePlatformContract', () => {
  it('names the field and the rule of every problem', () => {
    const bad = structuredClone(contractInput) as any;
    bad.environments.production.mesh = 'consul';
    bad.environments.staging.ciIdentity = { kind: 'aws', roleArn: 'not-an-arn', region: 'eu-west-1' };
    delete bad.github.org;
    try {
      parsePlatformContract(bad);
      expect.unreachable();
    } catch (e) {
      const fields = (e as InvalidInputError).problems.map((p) => p.field).sort();
      expect(fields).toEqual(['environments.production.mesh', 'environments.staging.ciIdentity.roleArn', 'github.org']);
      expect((e as Error).message).toContain('IAM role ARN (e.g. arn:aws:iam::');
    }
  });
});

describe('resolveService and the repository host', () => {
  const problemsOf = (input: Record<string, unknown>, enterpriseHosts?: string[]) => {
    try {
      resolveService({ name: 'ranker', ...input }, platform, { enterpriseHosts });
      return [];
    } catch (error) {
      return (error as InvalidInputError).problems;
    }
  };

  it.each(['gitlab.com', 'bitbucket.org', 'dev.azure.com', 'example.org', 'github.com:8443'])(
    'refuses a repoUrl on %s, naming the hosts it may use',
    (host) => {
      expect(problemsOf({ repoUrl: `${host}?owner=acme&repo=ranker` })).toEqual([
        {
          field: 'repoUrl',
          message: expect.stringMatching(
            /GitHub host .*\(github\.com, github\.example\.com\), but names .*e\.g\. github\.com\?owner=acme&repo=ranker/,
          ),
        },
      ]);
    },
  );

  it('accepts github.com, the contract host and the GitHub Enterprise hosts the door configures', () => {
    expect(problemsOf({ repoUrl: 'github.com?owner=acme&repo=ranker' })).toEqual([]);
    expect(problemsOf({ repoUrl: 'GitHub.Example.com?owner=acme&repo=ranker' })).toEqual([]);
    expect(problemsOf({ repoUrl: 'ghe.corp.example?owner=acme&repo=ranker' }, ['ghe.corp.example'])).toEqual([]);
    expect(problemsOf({ repoUrl: 'ghe.corp.example?owner=acme&repo=ranker' }, [])).toHaveLength(1);
  });
});

describe('sharedMemorySize', () => {
  it.each([
    ['256Mi', 'none', '64Mi'],
    ['2Gi', 'none', '512Mi'],
    ['64Gi', 'none', '1024Mi'],
    ['16Gi', 'nvidia-l4', '4096Mi'],
    ['512Gi', 'nvidia-h100', '16384Mi'],
    ['1e9', 'none', '238Mi'],
  ])('gives %s of memory (%s) a /dev/shm of %s, below the limit', (memory, gpuType, size) => {
    expect(sharedMemorySize(memory, gpuType)).toBe(size);
    expect(parseQuantity(size)!).toBeLessThan(parseQuantity(memory)!);
  });

  it('is part of the resolved service', () => {
    expect(resolveService({ name: 'x', memory: '8Gi', gpuType: 'nvidia-l4' }, platform).sharedMemory).toBe('2048Mi');
  });
});
