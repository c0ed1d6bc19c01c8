import { describe, expect, it } from 'vitest';
import { AWS_CLUSTER, EXISTING_CLUSTER, GCP_CLUSTER } from '../test/clusterConfigs.js';
import { stackConfigProblems } from '../test/stackConfigProblems.js';
import { CLUSTER_CONFIG_EXAMPLES, ClusterConfig } from './clusterConfig.js';
import { parseStackConfig } from './readStackConfig.js';

const problems = (values: Record<string, unknown>) => stackConfigProblems('idp-cluster', ClusterConfig, values, CLUSTER_CONFIG_EXAMPLES);

describe('cluster stack config', () => {
  it.each([
    ['aws', AWS_CLUSTER],
    ['gcp', GCP_CLUSTER],
    ['existing', EXISTING_CLUSTER],
  ])('accepts the %s example and fills defaults', (_name, input) => {
    const config = ClusterConfig.parse(input);
    expect(config.systemPool).toEqual({ minSize: 2, maxSize: 4 });
    expect(config.gpuPools.every((p) => p.sharing.mode !== undefined)).toBe(true);
  });

  it.each([
    [
      'missing provider',
      { ...AWS_CLUSTER, provider: undefined },
      'provider',
      /must be aws, gcp or existing/,
      'pulumi config set provider aws',
    ],
    ['azure', { ...AWS_CLUSTER, provider: 'azure' }, 'provider', /adr\/0010-azure-not-yet\.md/, 'pulumi config set provider aws'],
    [
      'missing aws settings',
      { ...AWS_CLUSTER, aws: undefined },
      'aws',
      /^is required \(an object/,
      'pulumi config set --path aws.region eu-west-1',
    ],
    [
      'one subnet',
      { ...AWS_CLUSTER, aws: { region: 'eu-west-1', subnetIds: ['subnet-0a1b2c3d4e5f60718'] } },
      'aws.subnetIds',
      /at least two private subnets/,
      'pulumi config set --path aws.region',
    ],
    [
      'bad subnet id',
      { ...AWS_CLUSTER, aws: { region: 'eu-west-1', subnetIds: ['subnet-0a1b2c3d4e5f60718', 'vpc-1'] } },
      'aws.subnetIds[1]',
      /must be a subnet id \(e\.g\. subnet-/,
      'aws.subnetIds[0]',
    ],
    [
      'bad region',
      { ...AWS_CLUSTER, aws: { region: 'Ireland', subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'] } },
      'aws.region',
      /must be an AWS region \(e\.g\. eu-west-1\)/,
      'aws.region eu-west-1',
    ],
    [
      'bad cluster name',
      { ...AWS_CLUSTER, clusterName: 'ML_Staging' },
      'clusterName',
      /DNS-1035 label/,
      'pulumi config set clusterName ml-staging',
    ],
    ['missing GPU pools', { ...AWS_CLUSTER, gpuPools: undefined }, 'gpuPools', /^is required \(a list of GPU pools/, 'gpuPools[0].gpuType'],
    [
      'unknown GPU type',
      { ...AWS_CLUSTER, gpuPools: [{ gpuType: 'nvidia-v100', instanceType: 'p3.2xlarge', maxSize: 1 }] },
      'gpuPools[0].gpuType',
      /must be one of nvidia-t4, nvidia-l4/,
      'gpuPools[0].gpuType',
    ],
    [
      'MIG on an L4',
      {
        ...AWS_CLUSTER,
        gpuPools: [{ gpuType: 'nvidia-l4', instanceType: 'g6.xlarge', maxSize: 1, sharing: { mode: 'mig', profile: '1g.10gb' } }],
      },
      'gpuPools[0].sharing.mode',
      /MIG needs nvidia-a100 or nvidia-h100, not nvidia-l4/,
      'gpuPools',
    ],
    [
      'a GPU size the type is not made in',
      { ...AWS_CLUSTER, gpuPools: [{ gpuType: 'nvidia-l4', instanceType: 'g6.xlarge', maxSize: 1, memoryGiB: 80 }] },
      'gpuPools[0].memoryGiB',
      /must be a size nvidia-l4 is made with: 24 \(e\.g\. 24\)/,
      'gpuPools',
    ],
    [
      'time-slicing 1',
      {
        ...AWS_CLUSTER,
        gpuPools: [{ gpuType: 'nvidia-l4', instanceType: 'g6.xlarge', maxSize: 1, sharing: { mode: 'time-slicing', replicas: 1 } }],
      },
      'gpuPools[0].sharing.replicas',
      /at least 2 pods per GPU/,
      'gpuPools',
    ],
    [
      'max below min',
      { ...AWS_CLUSTER, gpuPools: [{ gpuType: 'nvidia-l4', instanceType: 'g6.xlarge', minSize: 3, maxSize: 1 }] },
      'gpuPools[0].maxSize',
      /must be at least minSize \(3\)/,
      'gpuPools',
    ],
    [
      'duplicate GPU type',
      {
        ...AWS_CLUSTER,
        gpuPools: [
          { gpuType: 'nvidia-l4', instanceType: 'g6.xlarge', maxSize: 1 },
          { gpuType: 'nvidia-l4', instanceType: 'g6.2xlarge', maxSize: 1 },
        ],
      },
      'gpuPools[1].gpuType',
      /one pool per GPU type/,
      'gpuPools',
    ],
    [
      'no instance type on aws',
      { ...AWS_CLUSTER, gpuPools: [{ gpuType: 'nvidia-l4', maxSize: 1 }] },
      'gpuPools[0].instanceType',
      /is required on aws \(e\.g\. g6\.xlarge\)/,
      'gpuPools',
    ],
    [
      'A10G on GKE',
      { ...GCP_CLUSTER, gpuPools: [{ gpuType: 'nvidia-a10g', instanceType: 'g2-standard-8', maxSize: 1 }] },
      'gpuPools[0].gpuType',
      /not offered on GKE/,
      'gpuPools',
    ],
    [
      'kubeconfig that is not one',
      { ...EXISTING_CLUSTER, existing: { kubeconfig: 'hello', registryHost: 'registry.lab.example.com' } },
      'existing.kubeconfig',
      /must be a kubeconfig document/,
      'pulumi config set --secret --path existing.kubeconfig',
    ],
    [
      'unknown nested key',
      { ...AWS_CLUSTER, aws: { region: 'eu-west-1', subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'], vpcId: 'vpc-1' } },
      'aws.vpcId',
      /^is not a known setting of aws$/,
      'pulumi config set --path aws.region',
    ],
    [
      'settings of another provider',
      { ...AWS_CLUSTER, gcp: { project: 'x' } },
      'gcp',
      /is not a known setting; known:/,
      'pulumi config set --path gcp.project',
    ],
    [
      'unknown key',
      { ...AWS_CLUSTER, nodeCount: 3 },
      'nodeCount',
      /is not a known setting; known: provider, clusterName/,
      'see the example Pulumi.<stack>.yaml',
    ],
  ])('rejects %s with key, rule and example', (_name, values, key, rule, example) => {
    const found = problems(values as Record<string, unknown>);
    const problem = found.find((p) => p.key === key);
    expect(problem, JSON.stringify(found)).toBeDefined();
    expect(problem!.rule).toMatch(rule);
    expect(problem!.example).toContain(example);
  });

  it('lists every problem at once in the message', () => {
    const values = { ...AWS_CLUSTER, clusterName: 'X', aws: { region: 'nowhere', subnetIds: [] } };
    expect(() => parseStackConfig('idp-cluster', ClusterConfig, values, CLUSTER_CONFIG_EXAMPLES)).toThrow(
      /^Stack configuration for idp-cluster is invalid; nothing was created:\n {2}idp-cluster:clusterName: .*\n {4}e\.g\. pulumi config set clusterName ml-staging\n {2}idp-cluster:aws\.region: .*\n.*\n {2}idp-cluster:aws\.subnetIds: /,
    );
  });
});
