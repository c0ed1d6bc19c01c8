import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  InvalidInputError,
  PlatformContract,
  parsePlatformContract,
  parseRecordedAnswers,
  RESERVED_KEYS,
  resolveService,
} from '@idp/service-spec';
import { parseYaml } from '@idp/scaffold';
import { afterAll, describe, expect, it } from 'vitest';
import { CLUSTER_CONFIG_EXAMPLES, ClusterConfig } from '../infra/config/clusterConfig.js';
import { projectConfigValues } from '../infra/config/readStackConfig.js';
import { AWS_CLUSTER } from '../infra/test/clusterConfigs.js';
import { stackConfigProblems } from '../infra/test/stackConfigProblems.js';
import { parseParameterFlags } from '../platform/scaffold/src/backstageTemplate/parseParameterFlags.js';
import { readValuesFile } from '../platform/cli/src/shared/readValuesFile.js';
import { loadDefaultContract, readDefaultContract } from './defaultContract.js';

// zod's z.record skips an own `__proto__` key and reports success without it: a quota, a label or an
// answer would vanish instead of being refused. Every door that turns user-controlled keys into an
// object must refuse all three reserved keys by field path, whether the input came as JSON or YAML.

/** The same input as JSON.parse and as our YAML parser read it: both make `key` an own property. */
function bothWays(json: string): [string, unknown][] {
  return [
    ['JSON', JSON.parse(json)],
    ['YAML', parseYaml(json.replace(/"/g, "'"))],
  ];
}

function problemsOf(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems;
    throw error;
  }
  throw new Error('the input was accepted');
}

const REFUSAL = expect.stringContaining('is a reserved key');

describe.each(RESERVED_KEYS)('the reserved key %s', (key) => {
  it('is an own key after JSON.parse and after parseYaml (so nothing is lost before the check)', () => {
    for (const [, value] of bothWays(`{"${key}": {"gpus": 1}}`)) expect(Object.keys(value as object)).toEqual([key]);
  });

  it("is refused in a contract's teamQuotas, node selectors and pod labels", () => {
    const places: [string, (contract: any, inner: unknown) => void][] = [
      ['environments.production.teamQuotas', (c, inner) => (c.environments.production.teamQuotas = inner)],
      [
        'environments.staging.gpuPools.nvidia-l4.nodeSelector',
        (c, inner) => (c.environments.staging.gpuPools['nvidia-l4'].nodeSelector = inner),
      ],
      ['environments.staging.gpuPools', (c, inner) => (c.environments.staging.gpuPools = inner)],
    ];
    for (const [where, put] of places) {
      for (const [, inner] of bothWays(`{"${key}": {"gpus": 1}}`)) {
        const contract = readDefaultContract();
        put(contract, inner);
        const parsed = PlatformContract.safeParse(contract);
        expect(parsed.success, where).toBe(false);
        expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual([`${where}.${key}`, REFUSAL]);
        expect(problemsOf(() => parsePlatformContract(contract))).toEqual([{ field: `${where}.${key}`, message: REFUSAL }]);
      }
    }
  });

  it('is refused in what a door submits for a service, at any depth', () => {
    const platform = loadDefaultContract();
    for (const [, input] of bothWays(`{"name": "svc", "${key}": {"description": "x"}}`)) {
      expect(problemsOf(() => resolveService(input, platform))).toEqual([{ field: key, message: REFUSAL }]);
    }
  });

  it("is refused in a service's recorded answers", () => {
    for (const [, answers] of bothWays(`{"name": "svc", "app": {"${key}": 1}}`)) {
      const record = { template: 'model-service', templateVersion: '0.2.3', answers };
      expect(problemsOf(() => parseRecordedAnswers(record))).toEqual([{ field: `answers.app.${key}`, message: REFUSAL }]);
    }
  });

  it("is refused in infra's stack config, as a key and inside a structured value", () => {
    const asKey = projectConfigValues('idp-cluster', { [`idp-cluster:${key}`]: '{"a": 1}' });
    expect(stackConfigProblems('idp-cluster', ClusterConfig, asKey, CLUSTER_CONFIG_EXAMPLES)).toContainEqual({
      key,
      rule: REFUSAL,
      example: expect.any(String),
    });
    for (const [, labels] of bothWays(`{"${key}": "x"}`)) {
      const pools = [{ ...AWS_CLUSTER.gpuPools[0], labels }];
      const problems = stackConfigProblems('idp-cluster', ClusterConfig, { ...AWS_CLUSTER, gpuPools: pools }, CLUSTER_CONFIG_EXAMPLES);
      expect(problems).toContainEqual({ key: `gpuPools.0.labels.${key}`, rule: REFUSAL, example: expect.any(String) });
    }
  });

  it('is refused in --set, flat and dotted, and inside a YAML-typed value', () => {
    const pages = [{ title: 'App', schema: { type: 'object', properties: { app: { type: 'object' } } } }] as any;
    expect(problemsOf(() => parseParameterFlags([`${key}=x`], pages))).toEqual([{ field: key, message: REFUSAL }]);
    expect(problemsOf(() => parseParameterFlags([`app.${key}=x`], pages))).toEqual([{ field: `app.${key}`, message: REFUSAL }]);
    expect(problemsOf(() => parseParameterFlags([`app={${key}: {polluted: true}}`], pages))).toEqual([
      { field: `app.${key}`, message: REFUSAL },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('--values files', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it.each(
    RESERVED_KEYS.flatMap((key) => [
      [key, 'json', `{"name": "svc", "nested": [{"${key}": {"x": 1}}]}`],
      [key, 'yaml', `name: svc\nnested:\n  - ${key}:\n      x: 1\n`],
    ]),
  )('refuse %s in a %s file, naming its path', async (key, _kind, text) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'idp-values-'));
    dirs.push(dir);
    const file = path.join(dir, 'values');
    await writeFile(file, text);
    await expect(readValuesFile(file)).rejects.toMatchObject({ problems: [{ field: `nested.0.${key}`, message: REFUSAL }] });
  });
});

describe('team names', () => {
  it('refuse constructor and prototype, which could never be a quota key', () => {
    const contract = readDefaultContract();
    for (const name of ['constructor', 'prototype']) {
      contract.environments.production.teamQuotas = { ml: { gpus: 1 } };
      Object.defineProperty(contract.environments.production.teamQuotas, name, { value: { gpus: 1 }, enumerable: true });
      expect(PlatformContract.safeParse(contract).success).toBe(false);
    }
  });
});
