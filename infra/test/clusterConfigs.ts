import { ClusterConfig, type ClusterConfigInput } from '../config/clusterConfig.js';

// Valid cluster-layer configs per provider, the starting point every test varies.

export const AWS_CLUSTER: ClusterConfigInput = {
  provider: 'aws',
  clusterName: 'ml-staging',
  github: { org: 'acme' },
  aws: { region: 'eu-west-1', subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'] },
  registry: { repositoryPrefix: 'ml', repositories: ['fraud-detector'] },
  gpuPools: [
    { gpuType: 'nvidia-l4', instanceType: 'g6.xlarge', maxSize: 4 },
    { gpuType: 'nvidia-a10g', instanceType: 'g5.2xlarge', maxSize: 2, sharing: { mode: 'time-slicing', replicas: 4 } },
    { gpuType: 'nvidia-a100', instanceType: 'p4d.24xlarge', gpusPerNode: 8, maxSize: 1, sharing: { mode: 'mig', profile: '1g.10gb' } },
  ],
};

export const GCP_CLUSTER: ClusterConfigInput = {
  provider: 'gcp',
  clusterName: 'ml-staging',
  github: { org: 'acme', repositories: ['fraud-*', 'ranker'] },
  gcp: { project: 'ml-platform-prod', region: 'europe-west4' },
  gpuPools: [
    { gpuType: 'nvidia-l4', instanceType: 'g2-standard-8', maxSize: 4, sharing: { mode: 'time-slicing', replicas: 2 } },
    { gpuType: 'nvidia-h100', instanceType: 'a3-highgpu-8g', gpusPerNode: 8, maxSize: 1, sharing: { mode: 'mig', profile: '3g.40gb' } },
  ],
};

export const EXISTING_CLUSTER: ClusterConfigInput = {
  provider: 'existing',
  clusterName: 'ml-lab',
  environments: ['staging'],
  github: { org: 'acme' },
  existing: { kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n', registryHost: 'registry.lab.example.com' },
  gpuPools: [{ gpuType: 'nvidia-t4', maxSize: 2, nodes: ['gpu-node-1', 'gpu-node-2'] }],
};

export const parseCluster = (input: ClusterConfigInput): ClusterConfig => ClusterConfig.parse(input);
