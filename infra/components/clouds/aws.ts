import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterConfig, GpuPoolConfig } from '../../config/clusterConfig.js';
import { GPU_TAINT } from '../gpuScheduling.js';
import type { NodeAutoscalerFacts } from '../clusterFacts.js';
import { karpenterCloud } from './awsKarpenter.js';
import type { Cloud, ClusterHandle, RegistryHandle } from './cloud.js';
import { GITHUB_OIDC_ISSUER, githubSubjects } from './githubTrust.js';
import { execKubeconfig } from './kubeconfig.js';

type AwsClusterConfig = Extract<ClusterConfig, { provider: 'aws' }>;

const assumeRole = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });

const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;

// The EKS-optimised accelerated AL2023 AMI ships the NVIDIA driver and container toolkit, so the
// GPU Operator runs with both disabled (nodeImageShipsDriver).
const GPU_AMI = 'AL2023_x86_64_NVIDIA';
const SYSTEM_AMI = 'AL2023_x86_64_STANDARD';

/** EKS with managed node groups, ECR and IAM roles for GitHub Actions' OIDC. */
export class AwsCloud implements Cloud {
  readonly provider = 'aws' as const;
  readonly nodeImageShipsDriver = true;
  readonly providerManagesDevicePlugin = false;
  private readonly opts: pulumi.CustomResourceOptions;
  private readonly accountId: pulumi.Output<string>;
  private oidcProviderArn: pulumi.Output<string> | undefined;

  private readonly config: AwsClusterConfig;

  constructor(config: AwsClusterConfig, provider: aws.Provider) {
    this.config = config;
    this.opts = { provider };
    this.accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;
  }

  cluster(parent: pulumi.Resource): ClusterHandle {
    const { clusterName, aws: settings, kubernetesVersion, systemPool } = this.config;
    const opts = { ...this.opts, parent };
    const clusterRole = new aws.iam.Role(`${clusterName}-cluster`, { assumeRolePolicy: assumeRole('eks.amazonaws.com') }, opts);
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${clusterName}-cluster-policy`,
      { role: clusterRole.name, policyArn: managed('AmazonEKSClusterPolicy') },
      opts,
    );
    const cluster = new aws.eks.Cluster(
      clusterName,
      {
        name: clusterName,
        version: kubernetesVersion,
        roleArn: clusterRole.arn,
        // Access entries, not the aws-auth ConfigMap: CI roles are mapped declaratively below.
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
        vpcConfig: { subnetIds: settings.subnetIds, endpointPrivateAccess: true, endpointPublicAccess: true },
        encryptionConfig: settings.kmsKeyArn ? { resources: ['secrets'], provider: { keyArn: settings.kmsKeyArn } } : undefined,
        enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
        deletionProtection: true,
      },
      { ...opts, dependsOn: [clusterPolicy] },
    );
    const nodeRole = new aws.iam.Role(`${clusterName}-nodes`, { assumeRolePolicy: assumeRole('ec2.amazonaws.com') }, opts);
    // AmazonEC2ContainerRegistryReadOnly is the nodes' pull access to ECR.
    const nodePolicies = [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
      'AmazonSSMManagedInstanceCore',
    ].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(`${clusterName}-nodes-${policy}`, { role: nodeRole.name, policyArn: managed(policy) }, opts),
    );
    new aws.eks.NodeGroup(
      `${clusterName}-system`,
      {
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds: settings.subnetIds,
        amiType: SYSTEM_AMI,
        instanceTypes: [systemPool.instanceType ?? 'm7i.xlarge'],
        scalingConfig: { minSize: systemPool.minSize, desiredSize: systemPool.minSize, maxSize: systemPool.maxSize },
        labels: { 'idp.dev/pool': 'system' },
        updateConfig: { maxUnavailable: 1 },
      },
      { ...opts, dependsOn: nodePolicies, ignoreChanges: ['scalingConfig.desiredSize'] },
    );
    settings.adminRoleArns.forEach((principalArn, i) => {
      const entry = new aws.eks.AccessEntry(`${clusterName}-admin-${i}`, { clusterName: cluster.name, principalArn }, opts);
      new aws.eks.AccessPolicyAssociation(
        `${clusterName}-admin-${i}`,
        {
          clusterName: cluster.name,
          principalArn,
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          accessScope: { type: 'cluster' },
        },
        { ...opts, dependsOn: [entry] },
      );
    });
    const kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([name, server, ca]) =>
        execKubeconfig({
          name,
          server,
          caData: ca.data ?? '',
          exec: { command: 'aws', args: ['eks', 'get-token', '--cluster-name', name, '--region', settings.region, '--output', 'json'] },
        }),
      ),
    );
    return { name: cluster.name, kubeconfig, extra: { nodeRoleArn: nodeRole.arn, clusterArn: cluster.arn } };
  }

  /** Karpenter (docs/adr/0008): its IAM role, interruption queue and the nodes' role. */
  nodeAutoscaler(cluster: ClusterHandle, parent: pulumi.Resource): pulumi.Output<NodeAutoscalerFacts> {
    const { clusterName, aws: settings } = this.config;
    const { queueName, nodeRoleName } = karpenterCloud({
      clusterName,
      region: settings.region,
      accountId: this.accountId,
      cluster,
      opts: { ...this.opts, parent },
    });
    return pulumi.all([queueName, nodeRoleName]).apply(([interruptionQueue, role]) => ({
      kind: 'karpenter' as const,
      interruptionQueue,
      nodeRoleName: role,
      subnetIds: settings.subnetIds,
    }));
  }

  gpuNodePool(pool: GpuPoolConfig, labels: Record<string, string>, cluster: ClusterHandle, parent: pulumi.Resource): void {
    const { clusterName, aws: settings } = this.config;
    // The pool's warm floor: minSize nodes that are always there. Karpenter (platform layer) adds
    // nodes up to maxSize when GPU pods are pending, and removes them once empty (docs/adr/0008).
    new aws.eks.NodeGroup(
      `${clusterName}-${pool.gpuType}`,
      {
        clusterName: cluster.name,
        nodeRoleArn: cluster.extra.nodeRoleArn as pulumi.Output<string>,
        subnetIds: settings.subnetIds,
        amiType: GPU_AMI,
        instanceTypes: [pool.instanceType ?? ''],
        capacityType: pool.spot ? 'SPOT' : 'ON_DEMAND',
        diskSize: 200,
        scalingConfig: { minSize: pool.minSize, desiredSize: pool.minSize, maxSize: Math.max(pool.minSize, 1) },
        labels,
        taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }],
        updateConfig: { maxUnavailable: 1 },
      },
      { ...this.opts, parent, ignoreChanges: ['scalingConfig.desiredSize'] },
    );
  }

  registry(_cluster: ClusterHandle, parent: pulumi.Resource): RegistryHandle {
    const { clusterName, registry, aws: settings } = this.config;
    const opts = { ...this.opts, parent };
    const encryption = settings.kmsKeyArn ? { encryptionType: 'KMS', kmsKey: settings.kmsKeyArn } : { encryptionType: 'KMS' };
    const lifecyclePolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: 'expire untagged images',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: registry.untaggedExpiryDays },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: 'keep the newest images',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: registry.keepLastImages },
          action: { type: 'expire' },
        },
      ],
    });
    const repositories = registry.repositories.map((service) => {
      const repo = new aws.ecr.Repository(
        `${clusterName}-${service}`,
        {
          name: `${registry.repositoryPrefix}/${service}`,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [encryption],
        },
        opts,
      );
      new aws.ecr.LifecyclePolicy(`${clusterName}-${service}`, { repository: repo.name, policy: lifecyclePolicy }, opts);
      return repo;
    });
    // Services scaffolded later push to `<prefix>/<name>`: ECR creates those repositories on first
    // push with the same settings, so a new service needs no infra change.
    new aws.ecr.RepositoryCreationTemplate(
      `${clusterName}-on-push`,
      {
        prefix: registry.repositoryPrefix,
        appliedFors: ['CREATE_ON_PUSH'],
        imageTagMutability: 'IMMUTABLE',
        encryptionConfigurations: [encryption],
        lifecyclePolicy,
        description: `Repositories for ${clusterName} services`,
      },
      opts,
    );
    new aws.ecr.RegistryScanningConfiguration(
      `${clusterName}-scanning`,
      {
        scanType: 'BASIC',
        rules: [
          { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: `${registry.repositoryPrefix}/*`, filterType: 'WILDCARD' }] },
        ],
      },
      opts,
    );
    const host = pulumi.interpolate`${this.accountId}.dkr.ecr.${settings.region}.amazonaws.com`;
    const pushTargets =
      pulumi.interpolate`arn:aws:ecr:${settings.region}:${this.accountId}:repository/${registry.repositoryPrefix}/*`.apply((arn) => [arn]);
    return {
      host,
      repositoryPrefix: pulumi.output(registry.repositoryPrefix),
      pushTargets: pulumi.all([pushTargets, pulumi.all(repositories.map((r) => r.arn))]).apply(([wild, arns]) => [...wild, ...arns]),
    };
  }

  ciIdentity(environment: 'staging' | 'production', registry: RegistryHandle, cluster: ClusterHandle, parent: pulumi.Resource) {
    const { clusterName, github, aws: settings } = this.config;
    const opts = { ...this.opts, parent };
    const providerArn = this.githubOidcProvider(parent);
    const subjects = githubSubjects({ org: github.org, repositories: github.repositories, environment });
    const role = new aws.iam.Role(
      `${clusterName}-ci-${environment}`,
      {
        name: `github-actions-${clusterName}-${environment}`,
        maxSessionDuration: 3600,
        assumeRolePolicy: providerArn.apply((federated) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: federated },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
                  StringLike: { 'token.actions.githubusercontent.com:sub': subjects },
                },
              },
            ],
          }),
        ),
      },
      opts,
    );
    new aws.iam.RolePolicy(
      `${clusterName}-ci-${environment}`,
      {
        role: role.name,
        policy: pulumi.all([registry.pushTargets, cluster.extra.clusterArn as pulumi.Output<string>]).apply(([repos, clusterArn]) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
              {
                Effect: 'Allow',
                Action: [
                  'ecr:BatchCheckLayerAvailability',
                  'ecr:BatchGetImage',
                  'ecr:CompleteLayerUpload',
                  'ecr:CreateRepository',
                  'ecr:DescribeImages',
                  'ecr:InitiateLayerUpload',
                  'ecr:PutImage',
                  'ecr:UploadLayerPart',
                ],
                Resource: repos,
              },
              { Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: clusterArn },
            ],
          }),
        ),
      },
      opts,
    );
    // Inside the cluster the role is the group idp-ci-<env>; TeamNamespace binds that group.
    const group = `idp-ci-${environment}`;
    new aws.eks.AccessEntry(
      `${clusterName}-ci-${environment}`,
      { clusterName: cluster.name, principalArn: role.arn, kubernetesGroups: [group], type: 'STANDARD' },
      opts,
    );
    return role.arn.apply((roleArn) => ({
      identity: { kind: 'aws' as const, roleArn, region: settings.region },
      subject: { kind: 'Group' as const, name: group },
    }));
  }

  private githubOidcProvider(parent: pulumi.Resource): pulumi.Output<string> {
    if (this.config.aws.githubOidcProviderArn) return pulumi.output(this.config.aws.githubOidcProviderArn);
    this.oidcProviderArn ??= new aws.iam.OpenIdConnectProvider(
      `${this.config.clusterName}-github`,
      { url: GITHUB_OIDC_ISSUER, clientIdLists: ['sts.amazonaws.com'] },
      { ...this.opts, parent },
    ).arn;
    return this.oidcProviderArn;
  }
}
