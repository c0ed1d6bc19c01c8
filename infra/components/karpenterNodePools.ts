import type { ClusterFacts, NodeAutoscalerFacts } from './clusterFacts.js';
import { GPU_TAINT, gpuPoolLabels } from './gpuScheduling.js';

// The Karpenter objects for a cluster's GPU pools (docs/adr/0008), as plain data so the policy pack
// and the CRD-schema tests can check exactly what the platform layer applies.

type KarpenterFacts = Extract<NodeAutoscalerFacts, { kind: 'karpenter' }>;
type GpuPoolFacts = ClusterFacts['gpuPools'][number];

export const GPU_NODE_CLASS = 'gpu';

/** How long Karpenter waits for a node's pods to leave before it forces them: a model load and its drain. */
export const GPU_NODE_DRAIN = '1h';

/** The EC2NodeClass GPU nodes launch with: the cluster's subnets and security group, encrypted disk, IMDSv2. */
export function gpuNodeClass(clusterName: string, facts: KarpenterFacts) {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: GPU_NODE_CLASS },
    spec: {
      // AL2023 picks its NVIDIA variant for GPU instance types (driver and toolkit included, as
      // the managed node groups' AL2023_x86_64_NVIDIA). New AMIs roll out as drift, one node at a time.
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      role: facts.nodeRoleName,
      subnetSelectorTerms: facts.subnetIds.map((id) => ({ id })),
      securityGroupSelectorTerms: [{ tags: { 'aws:eks:cluster-name': clusterName } }],
      // Room for CUDA images and model caches (the template's emptyDir for models is up to 50Gi).
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: '200Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
      ],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
    },
  };
}

/** GPUs Karpenter may add to a pool: maxSize less the managed node group's floor, counted as the node reports them. */
export function burstGpus(pool: GpuPoolFacts): number {
  const nodes = Math.max((pool.maxSize ?? pool.minSize) - pool.minSize, 0);
  return nodes * pool.gpusPerNode * advertisedPerGpu(pool.sharing);
}

/**
 * How many nvidia.com/gpu a node advertises per physical GPU: time-sliced GPUs `replicas` times;
 * MIG (strategy single) one per slice, 7 compute slices split by the profile's size (3g → 2).
 */
function advertisedPerGpu(sharing: GpuPoolFacts['sharing']): number {
  if (sharing.mode === 'time-slicing') return sharing.replicas;
  if (sharing.mode === 'mig') return Math.floor(7 / Number(/^(\d)g\./.exec(sharing.profile)?.[1] ?? 7));
  return 1;
}

/**
 * One NodePool per GPU pool: the pool's taint and labels (so the contract's placement matches),
 * its instance type and capacity type, a GPU limit of maxSize, and consolidation only of empty
 * nodes: Karpenter never evicts a pod to pack nodes tighter, so no model load is interrupted.
 */
export function gpuNodePool(pool: GpuPoolFacts) {
  const requirements: { key: string; operator: 'In'; values: string[] }[] = [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: [pool.spot ? 'spot' : 'on-demand'] },
  ];
  if (pool.instanceType) requirements.push({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [pool.instanceType] });
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: `gpu-${pool.gpuType}` },
    spec: {
      template: {
        metadata: { labels: gpuPoolLabels(pool.gpuType, pool.sharing) },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: GPU_NODE_CLASS },
          taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
          requirements,
          // GPU nodes are replaced by drift (new AMIs) under the budget below, never by age.
          expireAfter: 'Never',
          terminationGracePeriod: GPU_NODE_DRAIN,
        },
      },
      limits: { 'nvidia.com/gpu': String(burstGpus(pool)) },
      disruption: {
        consolidationPolicy: 'WhenEmpty',
        // A node that was just emptied often gets the next scale-up: keep it a while.
        consolidateAfter: '10m',
        budgets: [{ nodes: '1' }],
      },
    },
  };
}

/** The NodePools of a cluster: only pools that may grow beyond their floor. */
export function gpuNodePools(gpuPools: GpuPoolFacts[]) {
  return gpuPools.filter((pool) => burstGpus(pool) > 0).map(gpuNodePool);
}

/** Karpenter chart values: this cluster, its interruption queue, two controllers on the system pool. */
export function karpenterValues(clusterName: string, facts: KarpenterFacts): Record<string, unknown> {
  return {
    settings: { clusterName, interruptionQueue: facts.interruptionQueue },
    serviceAccount: { name: 'karpenter' },
    replicas: 2,
    // Karpenter must not run on nodes it manages.
    nodeSelector: { 'idp.dev/pool': 'system' },
  };
}
