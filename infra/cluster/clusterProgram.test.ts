import { describe, expect, it } from 'vitest';
import { GPU_TAINT, GPU_TYPE_LABEL } from '../components/gpuScheduling.js';
import type { ClusterConfigInput } from '../config/clusterConfig.js';
import { AWS_CLUSTER, EXISTING_CLUSTER, GCP_CLUSTER, parseCluster } from '../test/clusterConfigs.js';
import { type MockRun, runUnderMocks } from '../test/mocks.js';
import { clusterProgram } from './clusterProgram.js';

const run = (config: ClusterConfigInput) => runUnderMocks(() => clusterProgram(parseCluster(config)));

/** Every resource but the explicit cloud provider hangs under one of our components. */
function expectParented(result: MockRun<unknown>, providerType: string): void {
  for (const r of result.resources) {
    if (r.type === providerType) expect(r.parentType, r.name).toBeUndefined();
    else if (r.type.startsWith('idp:cluster:')) expect(r.parentType, r.name).toBeUndefined();
    else expect(r.parentType, `${r.type} ${r.name}`).toMatch(/^idp:cluster:/);
  }
}

const typeCounts = (result: MockRun<unknown>) => {
  const counts: Record<string, number> = {};
  for (const r of result.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
};

describe('cluster layer on aws (EKS)', () => {
  it('creates exactly the expected resources, all parented to components', async () => {
    const result = await run(AWS_CLUSTER);
    expect(typeCounts(result)).toEqual({
      'pulumi:providers:aws': 1,
      'idp:cluster:KubernetesCluster': 1,
      'idp:cluster:GpuNodePool': 3,
      'idp:cluster:NodeAutoscaler': 1,
      'idp:cluster:ContainerRegistry': 1,
      'idp:cluster:CiIdentity': 2,
      'aws:iam/role:Role': 5, // cluster, nodes, Karpenter, CI staging, CI production
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment': 5,
      'aws:eks/cluster:Cluster': 1,
      'aws:eks/nodeGroup:NodeGroup': 4, // system + 3 GPU pools
      'aws:ecr/repository:Repository': 1,
      'aws:ecr/lifecyclePolicy:LifecyclePolicy': 1,
      'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate': 1,
      'aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration': 1,
      'aws:iam/openIdConnectProvider:OpenIdConnectProvider': 1,
      'aws:iam/rolePolicy:RolePolicy': 3, // CI staging, CI production, Karpenter
      'aws:eks/accessEntry:AccessEntry': 2,
      // Karpenter (docs/adr/0008): interruption queue fed by 4 EventBridge rules, Pod Identity.
      'aws:sqs/queue:Queue': 1,
      'aws:sqs/queuePolicy:QueuePolicy': 1,
      'aws:cloudwatch/eventRule:EventRule': 4,
      'aws:cloudwatch/eventTarget:EventTarget': 4,
      'aws:eks/addon:Addon': 1,
      'aws:eks/podIdentityAssociation:PodIdentityAssociation': 1,
    });
    expectParented(result, 'pulumi:providers:aws');
    expect(result.one('pulumi:providers:aws').inputs.region).toBe('eu-west-1');
  });

  it.each([
    ['none', { mode: 'none' }, {}],
    ['time-slicing', { mode: 'time-slicing', replicas: 4 }, { 'nvidia.com/device-plugin.config': 'nvidia-l4-time-sliced' }],
    ['MIG', { mode: 'mig', profile: '3g.40gb' }, { 'nvidia.com/mig.config': 'all-3g.40gb' }],
  ] as const)(
    'GPU node group with sharing %s: NVIDIA AMI, taint, contract and sharing labels, minSize as the floor Karpenter grows from',
    async (_name, sharing, sharingLabels) => {
      const gpuType = sharing.mode === 'mig' ? 'nvidia-a100' : 'nvidia-l4';
      const labels = Object.fromEntries(Object.entries(sharingLabels).map(([k, v]) => [k, v.replace('nvidia-l4', gpuType)]));
      const result = await run({
        ...AWS_CLUSTER,
        gpuPools: [{ gpuType, instanceType: 'g6.xlarge', minSize: 1, maxSize: 3, sharing, labels: { team: 'ml' } }],
      });
      const group = result.one('aws:eks/nodeGroup:NodeGroup', `ml-staging-${gpuType}`);
      expect(group.parentType).toBe('idp:cluster:GpuNodePool');
      expect(group.inputs).toMatchObject({
        clusterName: 'ml-staging',
        amiType: 'AL2023_x86_64_NVIDIA',
        instanceTypes: ['g6.xlarge'],
        capacityType: 'ON_DEMAND',
        scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 },
        taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }],
        subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      });
      expect(group.inputs.labels).toEqual({ team: 'ml', [GPU_TYPE_LABEL]: gpuType, ...labels });
      // No Cluster Autoscaler tags: Karpenter adds the nodes beyond the floor.
      expect(group.inputs.tags).toBeUndefined();
      expect(result.outputs.cluster.gpuPools).toEqual([
        { gpuType, sharing, instanceType: 'g6.xlarge', minSize: 1, maxSize: 3, gpusPerNode: 1, spot: false },
      ]);
      expect(result.outputs.cluster.nodeAutoscaler).toEqual({
        kind: 'karpenter',
        interruptionQueue: 'ml-staging-karpenter',
        nodeRoleName: 'ml-staging-nodes',
        subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      });
    },
  );

  it('Karpenter: a Pod Identity role limited to this cluster, an interruption queue fed by EventBridge', async () => {
    const result = await run(AWS_CLUSTER);
    expect(result.one('aws:iam/role:Role', 'ml-staging-karpenter').inputs.assumeRolePolicy).toContain('pods.eks.amazonaws.com');
    expect(result.one('aws:eks/podIdentityAssociation:PodIdentityAssociation').inputs).toMatchObject({
      clusterName: 'ml-staging',
      namespace: 'kube-system',
      serviceAccount: 'karpenter',
    });
    const policy = JSON.parse(result.one('aws:iam/rolePolicy:RolePolicy', 'ml-staging-karpenter').inputs.policy);
    const terminate = policy.Statement.find((s: { Sid: string }) => s.Sid === 'Terminate');
    expect(terminate.Condition.StringLike).toMatchObject({ 'aws:ResourceTag/kubernetes.io/cluster/ml-staging': 'owned' });
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === 'PassNodeRole').Resource).toMatch(/:role\/ml-staging-nodes$/);
    const patterns = result.ofType('aws:cloudwatch/eventRule:EventRule').map((r) => JSON.parse(r.inputs.eventPattern)['detail-type'][0]);
    expect(patterns).toContain('EC2 Spot Instance Interruption Warning');
  });

  it('system pool is a CPU pool without the GPU taint', async () => {
    const system = (await run(AWS_CLUSTER)).one('aws:eks/nodeGroup:NodeGroup', 'ml-staging-system');
    expect(system.inputs.amiType).toBe('AL2023_x86_64_STANDARD');
    expect(system.inputs.taints).toBeUndefined();
    expect(system.parentType).toBe('idp:cluster:KubernetesCluster');
  });

  it('ECR: immutable tags, scan on push, KMS encryption, lifecycle policy, create-on-push template', async () => {
    const result = await run(AWS_CLUSTER);
    expect(result.one('aws:ecr/repository:Repository').inputs).toMatchObject({
      name: 'ml/fraud-detector',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: 'KMS' }],
    });
    const lifecycle = JSON.parse(result.one('aws:ecr/lifecyclePolicy:LifecyclePolicy').inputs.policy);
    expect(lifecycle.rules.map((r: { selection: unknown }) => r.selection)).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
      { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 },
    ]);
    expect(result.one('aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate').inputs).toMatchObject({
      prefix: 'ml',
      appliedFors: ['CREATE_ON_PUSH'],
      imageTagMutability: 'IMMUTABLE',
    });
    expect(result.one('aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration').inputs.rules).toEqual([
      { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'ml/*', filterType: 'WILDCARD' }] },
    ]);
    expect(result.outputs.cluster.registry).toEqual({ host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repositoryPrefix: 'ml' });
  });

  it('nodes pull from ECR through the node role', async () => {
    const result = await run(AWS_CLUSTER);
    const policies = result.ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment').map((r) => r.inputs.policyArn);
    expect(policies).toContain('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly');
  });

  it('CI roles trust GitHub OIDC for the org and exactly one environment, and may push and describe the cluster', async () => {
    const result = await run({ ...AWS_CLUSTER, github: { org: 'acme', repositories: ['fraud-*', 'ranker'] } });
    expect(result.one('aws:iam/openIdConnectProvider:OpenIdConnectProvider').inputs).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      clientIdLists: ['sts.amazonaws.com'],
    });
    const role = result.one('aws:iam/role:Role', 'ml-staging-ci-production');
    const trust = JSON.parse(role.inputs.assumeRolePolicy);
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: {
            'token.actions.githubusercontent.com:sub': [
              'repo:acme/fraud-*:environment:production',
              'repo:acme/ranker:environment:production',
            ],
          },
        },
      },
    ]);
    const policy = JSON.parse(result.one('aws:iam/rolePolicy:RolePolicy', 'ml-staging-ci-production').inputs.policy);
    const push = policy.Statement.find((s: { Action: unknown }) => Array.isArray(s.Action) && s.Action.includes('ecr:PutImage'));
    expect(push.Resource).toEqual([
      'arn:aws:ecr:eu-west-1:123456789012:repository/ml/*',
      'arn:aws:ecr:eu-west-1:123456789012:repository/ml/fraud-detector',
    ]);
    expect(result.one('aws:eks/accessEntry:AccessEntry', 'ml-staging-ci-production').inputs).toMatchObject({
      kubernetesGroups: ['idp-ci-production'],
      type: 'STANDARD',
    });
    expect(result.outputs.cluster.ci.production).toEqual({
      identity: { kind: 'aws', roleArn: 'arn:aws:iam::123456789012:role/github-actions-ml-staging-production', region: 'eu-west-1' },
      subject: { kind: 'Group', name: 'idp-ci-production' },
    });
  });

  it('reuses an existing GitHub OIDC provider instead of creating a second one', async () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const aws = { ...(AWS_CLUSTER as { aws: object }).aws, githubOidcProviderArn: arn };
    const result = await run({ ...AWS_CLUSTER, aws } as ClusterConfigInput);
    expect(result.ofType('aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toHaveLength(0);
    expect(
      JSON.parse(result.one('aws:iam/role:Role', 'ml-staging-ci-staging').inputs.assumeRolePolicy).Statement[0].Principal.Federated,
    ).toBe(arn);
  });

  it('exports an exec kubeconfig as a secret, without a stored credential', async () => {
    const result = await run(AWS_CLUSTER);
    const kubeconfig = JSON.parse(result.outputs.kubeconfig);
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'ml-staging', '--region', 'eu-west-1', '--output', 'json'],
    });
    expect(result.outputs.kubeconfig).not.toMatch(/token:|password|client-key/);
  });
});

describe('cluster layer on gcp (GKE)', () => {
  it('creates exactly the expected resources, all parented to components', async () => {
    const result = await run(GCP_CLUSTER);
    expect(typeCounts(result)).toEqual({
      'pulumi:providers:gcp': 1,
      'idp:cluster:KubernetesCluster': 1,
      'idp:cluster:GpuNodePool': 2,
      'idp:cluster:NodeAutoscaler': 1,
      'idp:cluster:ContainerRegistry': 1,
      'idp:cluster:CiIdentity': 2,
      'gcp:serviceaccount/account:Account': 3, // nodes, CI staging, CI production
      'gcp:projects/iAMMember:IAMMember': 6, // 4 node roles, 2 CI cluster viewers
      'gcp:container/cluster:Cluster': 1,
      'gcp:container/nodePool:NodePool': 3,
      'gcp:projects/service:Service': 1,
      'gcp:artifactregistry/repository:Repository': 1,
      'gcp:artifactregistry/repositoryIamMember:RepositoryIamMember': 3, // nodes pull, 2 CI push
      'gcp:iam/workloadIdentityPool:WorkloadIdentityPool': 1,
      'gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider': 2,
      'gcp:serviceaccount/iAMMember:IAMMember': 2,
    });
    expectParented(result, 'pulumi:providers:gcp');
  });

  it.each([
    ['none', { mode: 'none' }, {}],
    [
      'time-slicing',
      { mode: 'time-slicing', replicas: 3 },
      { gpuSharingConfig: { gpuSharingStrategy: 'TIME_SHARING', maxSharedClientsPerGpu: 3 } },
    ],
    ['MIG', { mode: 'mig', profile: '1g.10gb' }, { gpuPartitionSize: '1g.10gb' }],
  ] as const)(
    'GPU node pool with sharing %s: accelerator, GKE-managed driver, taint and label',
    async (_name, sharing, acceleratorSettings) => {
      const gpuType = sharing.mode === 'mig' ? 'nvidia-a100' : 'nvidia-l4';
      const result = await run({
        ...GCP_CLUSTER,
        gpuPools: [{ gpuType, instanceType: 'g2-standard-8', gpusPerNode: 2, maxSize: 2, sharing }],
      });
      const pool = result.one('gcp:container/nodePool:NodePool', `ml-staging-${gpuType}`);
      expect(pool.parentType).toBe('idp:cluster:GpuNodePool');
      expect(pool.inputs.nodeConfig).toMatchObject({
        machineType: 'g2-standard-8',
        labels: { [GPU_TYPE_LABEL]: gpuType },
        taints: [{ key: GPU_TAINT.key, value: 'present', effect: 'NO_SCHEDULE' }],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
      });
      expect(pool.inputs.nodeConfig.guestAccelerators).toEqual([
        {
          type: gpuType === 'nvidia-a100' ? 'nvidia-tesla-a100' : 'nvidia-l4',
          count: 2,
          gpuDriverInstallationConfig: { gpuDriverVersion: 'LATEST' },
          ...acceleratorSettings,
        },
      ]);
      expect(pool.inputs.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 2 });
      expect(result.outputs.cluster).toMatchObject({ nodeImageShipsDriver: true, providerManagesDevicePlugin: true });
    },
  );

  it('cluster: Workload Identity, Dataplane V2 (NetworkPolicy enforcement), private nodes, default pool removed', async () => {
    const cluster = (await run(GCP_CLUSTER)).one('gcp:container/cluster:Cluster').inputs;
    expect(cluster).toMatchObject({
      location: 'europe-west4',
      removeDefaultNodePool: true,
      datapathProvider: 'ADVANCED_DATAPATH',
      workloadIdentityConfig: { workloadPool: 'ml-platform-prod.svc.id.goog' },
      privateClusterConfig: { enablePrivateNodes: true },
    });
  });

  it('Artifact Registry: immutable tags, inherited scanning with the API on, cleanup policies; nodes pull', async () => {
    const result = await run(GCP_CLUSTER);
    expect(result.one('gcp:artifactregistry/repository:Repository').inputs).toMatchObject({
      repositoryId: 'ml',
      format: 'DOCKER',
      dockerConfig: { immutableTags: true },
      vulnerabilityScanningConfig: { enablementConfig: 'INHERITED' },
      cleanupPolicies: [
        { id: 'delete-untagged', action: 'DELETE', condition: { tagState: 'UNTAGGED', olderThan: '1209600s' } },
        { id: 'keep-newest', action: 'KEEP', mostRecentVersions: { keepCount: 50 } },
      ],
    });
    expect(result.one('gcp:projects/service:Service').inputs.service).toBe('containerscanning.googleapis.com');
    expect(result.one('gcp:artifactregistry/repositoryIamMember:RepositoryIamMember', 'ml-staging-images-nodes-pull').inputs).toMatchObject(
      {
        role: 'roles/artifactregistry.reader',
        member: 'serviceAccount:ml-staging-nodes@ml-platform-prod.iam.gserviceaccount.com',
      },
    );
    expect(result.outputs.cluster.registry).toEqual({ host: 'europe-west4-docker.pkg.dev', repositoryPrefix: 'ml-platform-prod/ml' });
  });

  it('workload identity federation: GitHub issuer, condition on org, environment and repositories', async () => {
    const result = await run(GCP_CLUSTER);
    const provider = result.one('gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider', 'ml-staging-github-staging').inputs;
    expect(provider.oidc).toEqual({ issuerUri: 'https://token.actions.githubusercontent.com' });
    expect(provider.attributeCondition).toBe(
      "assertion.repository_owner == 'acme' && assertion.environment == 'staging' && (assertion.repository.matches('^acme/fraud-[^/]*$') || assertion.repository.matches('^acme/ranker$'))",
    );
    expect(result.one('gcp:serviceaccount/iAMMember:IAMMember', 'ml-staging-ci-staging-wif').inputs).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      member:
        'principalSet://iam.googleapis.com/projects/987654321098/locations/global/workloadIdentityPools/ml-staging-github/attribute.environment/staging',
    });
    expect(result.outputs.cluster.ci.staging).toEqual({
      identity: {
        kind: 'gcp',
        workloadIdentityProvider: 'projects/987654321098/locations/global/workloadIdentityPools/ml-staging-github/providers/github-staging',
        serviceAccount: 'ci-ml-staging-staging@ml-platform-prod.iam.gserviceaccount.com',
        projectId: 'ml-platform-prod',
        region: 'europe-west4',
      },
      subject: { kind: 'User', name: 'ci-ml-staging-staging@ml-platform-prod.iam.gserviceaccount.com' },
    });
  });
});

describe('cluster layer on an existing cluster', () => {
  it('creates no cloud resources: labels and taints the listed nodes, runs a registry, a CI service account', async () => {
    const result = await run(EXISTING_CLUSTER);
    expect(typeCounts(result)).toEqual({
      'pulumi:providers:kubernetes': 1,
      'idp:cluster:KubernetesCluster': 1,
      'idp:cluster:GpuNodePool': 1,
      'idp:cluster:NodeAutoscaler': 1,
      'idp:cluster:ContainerRegistry': 1,
      'idp:cluster:CiIdentity': 1,
      'kubernetes:core/v1:NodePatch': 2,
      'kubernetes:core/v1:Namespace': 1,
      'kubernetes:core/v1:PersistentVolumeClaim': 1,
      'kubernetes:apps/v1:Deployment': 1,
      'kubernetes:core/v1:Service': 1,
      'kubernetes:core/v1:ServiceAccount': 1,
      'kubernetes:core/v1:Secret': 1,
    });
    expectParented(result, 'pulumi:providers:kubernetes');
    const node = result.one('kubernetes:core/v1:NodePatch', 'nvidia-t4-gpu-node-1').inputs;
    expect(node.metadata).toMatchObject({ name: 'gpu-node-1', labels: { [GPU_TYPE_LABEL]: 'nvidia-t4' } });
    expect(node.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect(result.one('kubernetes:apps/v1:Deployment').inputs.spec.template.spec.containers[0].image).toBe('registry:3.0.0');
    expect(result.outputs.cluster).toMatchObject({
      provider: 'existing',
      registry: { host: 'registry.lab.example.com', repositoryPrefix: 'ml' },
      ci: {
        staging: {
          identity: { kind: 'kubeconfig', secretName: 'KUBECONFIG' },
          subject: { kind: 'User', name: 'system:serviceaccount:idp-system:github-actions-staging' },
        },
      },
      nodeImageShipsDriver: false,
    });
  });

  it('trusts a preinstalled driver when told so', async () => {
    const existing = { ...(EXISTING_CLUSTER as { existing: object }).existing, driverPreinstalled: true };
    expect((await run({ ...EXISTING_CLUSTER, existing } as ClusterConfigInput)).outputs.cluster.nodeImageShipsDriver).toBe(true);
  });
});
