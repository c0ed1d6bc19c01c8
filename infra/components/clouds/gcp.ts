import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterConfig, GpuPoolConfig } from '../../config/clusterConfig.js';
import { GPU_TAINT } from '../gpuScheduling.js';
import type { NodeAutoscalerFacts } from '../clusterFacts.js';
import type { Cloud, ClusterHandle, RegistryHandle } from './cloud.js';
import { GITHUB_OIDC_ISSUER, githubCelCondition } from './githubTrust.js';
import { execKubeconfig } from './kubeconfig.js';

type GcpClusterConfig = Extract<ClusterConfig, { provider: 'gcp' }>;

/** GKE's accelerator names; nvidia-a10g does not exist on GKE (the config schema rejects it). */
export const GKE_ACCELERATOR: Record<string, string> = {
  'nvidia-t4': 'nvidia-tesla-t4',
  'nvidia-l4': 'nvidia-l4',
  'nvidia-a100': 'nvidia-tesla-a100',
  'nvidia-h100': 'nvidia-h100-80gb',
};

/** Service-account ids are 6 to 30 characters. */
const accountId = (name: string): string => name.slice(0, 30).replace(/-+$/, '');

/** GKE Standard with GPU node pools, Artifact Registry and Workload Identity Federation for GitHub Actions. */
export class GcpCloud implements Cloud {
  readonly provider = 'gcp' as const;
  // GKE installs the driver (gpuDriverInstallationConfig) and runs its own device plugin, which also
  // implements time-sharing and MIG from the node-pool settings.
  readonly nodeImageShipsDriver = true;
  readonly providerManagesDevicePlugin = true;
  private readonly opts: pulumi.CustomResourceOptions;
  private pool: gcp.iam.WorkloadIdentityPool | undefined;

  private readonly config: GcpClusterConfig;

  constructor(config: GcpClusterConfig, provider: gcp.Provider) {
    this.config = config;
    this.opts = { provider };
  }

  cluster(parent: pulumi.Resource): ClusterHandle {
    const { clusterName, gcp: settings, kubernetesVersion, systemPool } = this.config;
    const opts = { ...this.opts, parent };
    const nodeAccount = new gcp.serviceaccount.Account(
      `${clusterName}-nodes`,
      { accountId: accountId(`${clusterName}-nodes`), displayName: `${clusterName} GKE nodes` },
      opts,
    );
    const nodeMember = pulumi.interpolate`serviceAccount:${nodeAccount.email}`;
    for (const role of [
      'roles/logging.logWriter',
      'roles/monitoring.metricWriter',
      'roles/monitoring.viewer',
      'roles/stackdriver.resourceMetadata.writer',
    ]) {
      new gcp.projects.IAMMember(
        `${clusterName}-nodes-${role.split('/')[1]}`,
        { project: settings.project, role, member: nodeMember },
        opts,
      );
    }
    const cluster = new gcp.container.Cluster(
      clusterName,
      {
        name: clusterName,
        project: settings.project,
        location: settings.region,
        network: settings.network,
        subnetwork: settings.subnetwork,
        minMasterVersion: kubernetesVersion,
        releaseChannel: { channel: 'REGULAR' },
        // Node pools are managed below; GKE needs a default pool at creation and removes it.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        networkingMode: 'VPC_NATIVE',
        ipAllocationPolicy: {},
        // Dataplane V2 enforces the teams' default-deny NetworkPolicies.
        datapathProvider: 'ADVANCED_DATAPATH',
        workloadIdentityConfig: { workloadPool: `${settings.project}.svc.id.goog` },
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
        databaseEncryption: settings.kmsKeyName ? { state: 'ENCRYPTED', keyName: settings.kmsKeyName } : undefined,
        deletionProtection: true,
      },
      opts,
    );
    new gcp.container.NodePool(
      `${clusterName}-system`,
      {
        cluster: cluster.id,
        location: settings.region,
        project: settings.project,
        autoscaling: { totalMinNodeCount: systemPool.minSize, totalMaxNodeCount: systemPool.maxSize },
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: {
          machineType: systemPool.instanceType ?? 'e2-standard-4',
          serviceAccount: nodeAccount.email,
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
          workloadMetadataConfig: { mode: 'GKE_METADATA' },
          labels: { 'idp.dev/pool': 'system' },
        },
      },
      opts,
    );
    const kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.endpoint, cluster.masterAuth]).apply(([name, endpoint, auth]) =>
        execKubeconfig({
          name,
          server: `https://${endpoint}`,
          caData: auth.clusterCaCertificate ?? '',
          exec: { command: 'gke-gcloud-auth-plugin', args: [] },
        }),
      ),
    );
    return { name: cluster.name, kubeconfig, extra: { clusterId: cluster.id, nodeAccountEmail: nodeAccount.email } };
  }

  /** GKE's cluster autoscaler sizes each GPU node pool between minSize and maxSize (autoscaling above). */
  nodeAutoscaler(): pulumi.Output<NodeAutoscalerFacts> {
    return pulumi.output({ kind: 'provider' as const });
  }

  gpuNodePool(pool: GpuPoolConfig, labels: Record<string, string>, cluster: ClusterHandle, parent: pulumi.Resource): void {
    const { clusterName, gcp: settings } = this.config;
    const sharing = pool.sharing;
    new gcp.container.NodePool(
      `${clusterName}-${pool.gpuType}`,
      {
        cluster: cluster.extra.clusterId as pulumi.Output<string>,
        location: settings.region,
        project: settings.project,
        autoscaling: { totalMinNodeCount: pool.minSize, totalMaxNodeCount: pool.maxSize },
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: {
          machineType: pool.instanceType,
          spot: pool.spot,
          serviceAccount: cluster.extra.nodeAccountEmail as pulumi.Output<string>,
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
          workloadMetadataConfig: { mode: 'GKE_METADATA' },
          labels,
          taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }],
          guestAccelerators: [
            {
              type: GKE_ACCELERATOR[pool.gpuType] ?? pool.gpuType,
              count: pool.gpusPerNode,
              gpuDriverInstallationConfig: { gpuDriverVersion: 'LATEST' },
              gpuSharingConfig:
                sharing.mode === 'time-slicing'
                  ? { gpuSharingStrategy: 'TIME_SHARING', maxSharedClientsPerGpu: sharing.replicas }
                  : undefined,
              gpuPartitionSize: sharing.mode === 'mig' ? sharing.profile : undefined,
            },
          ],
        },
      },
      { ...this.opts, parent },
    );
  }

  registry(cluster: ClusterHandle, parent: pulumi.Resource): RegistryHandle {
    const { clusterName, registry, gcp: settings } = this.config;
    const opts = { ...this.opts, parent };
    // Scan on push: Artifact Analysis scans every pushed image once the API is on; the repository inherits it.
    const scanning = new gcp.projects.Service(
      `${clusterName}-containerscanning`,
      { project: settings.project, service: 'containerscanning.googleapis.com', disableOnDestroy: false },
      opts,
    );
    const repo = new gcp.artifactregistry.Repository(
      `${clusterName}-images`,
      {
        project: settings.project,
        location: settings.region,
        repositoryId: registry.repositoryPrefix,
        format: 'DOCKER',
        description: `Images of ${clusterName} services`,
        dockerConfig: { immutableTags: true },
        vulnerabilityScanningConfig: { enablementConfig: 'INHERITED' },
        kmsKeyName: settings.kmsKeyName,
        cleanupPolicyDryRun: false,
        cleanupPolicies: [
          {
            id: 'delete-untagged',
            action: 'DELETE',
            condition: { tagState: 'UNTAGGED', olderThan: `${registry.untaggedExpiryDays * 86400}s` },
          },
          { id: 'keep-newest', action: 'KEEP', mostRecentVersions: { keepCount: registry.keepLastImages } },
        ],
      },
      { ...opts, dependsOn: [scanning] },
    );
    new gcp.artifactregistry.RepositoryIamMember(
      `${clusterName}-images-nodes-pull`,
      {
        project: settings.project,
        location: settings.region,
        repository: repo.repositoryId,
        role: 'roles/artifactregistry.reader',
        member: pulumi.interpolate`serviceAccount:${cluster.extra.nodeAccountEmail as pulumi.Output<string>}`,
      },
      opts,
    );
    return {
      host: pulumi.output(`${settings.region}-docker.pkg.dev`),
      repositoryPrefix: pulumi.interpolate`${settings.project}/${repo.repositoryId}`,
      pushTargets: repo.repositoryId.apply((id) => [id]),
    };
  }

  ciIdentity(environment: 'staging' | 'production', registry: RegistryHandle, _cluster: ClusterHandle, parent: pulumi.Resource) {
    const { clusterName, github, gcp: settings } = this.config;
    const opts = { ...this.opts, parent };
    const pool = this.workloadIdentityPool(parent);
    const provider = new gcp.iam.WorkloadIdentityPoolProvider(
      `${clusterName}-github-${environment}`,
      {
        project: settings.project,
        workloadIdentityPoolId: pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: `github-${environment}`,
        attributeMapping: {
          'google.subject': 'assertion.sub',
          'attribute.repository': 'assertion.repository',
          'attribute.repository_owner': 'assertion.repository_owner',
          'attribute.environment': 'assertion.environment',
        },
        // Tokens from other orgs, repositories or environments are rejected before any IAM check.
        attributeCondition: githubCelCondition({ org: github.org, repositories: github.repositories, environment }),
        oidc: { issuerUri: GITHUB_OIDC_ISSUER },
      },
      opts,
    );
    const account = new gcp.serviceaccount.Account(
      `${clusterName}-ci-${environment}`,
      {
        project: settings.project,
        accountId: accountId(`ci-${clusterName}-${environment}`),
        displayName: `GitHub Actions deployer (${environment})`,
      },
      opts,
    );
    new gcp.serviceaccount.IAMMember(
      `${clusterName}-ci-${environment}-wif`,
      {
        serviceAccountId: account.name,
        role: 'roles/iam.workloadIdentityUser',
        member: pulumi.interpolate`principalSet://iam.googleapis.com/${pool.name}/attribute.environment/${environment}`,
      },
      opts,
    );
    new gcp.artifactregistry.RepositoryIamMember(
      `${clusterName}-ci-${environment}-push`,
      {
        project: settings.project,
        location: settings.region,
        repository: registry.pushTargets.apply((t) => t[0] ?? ''),
        role: 'roles/artifactregistry.writer',
        member: pulumi.interpolate`serviceAccount:${account.email}`,
      },
      opts,
    );
    // Enough to fetch cluster credentials; what CI may do inside is Kubernetes RBAC (TeamNamespace).
    new gcp.projects.IAMMember(
      `${clusterName}-ci-${environment}-cluster`,
      { project: settings.project, role: 'roles/container.clusterViewer', member: pulumi.interpolate`serviceAccount:${account.email}` },
      opts,
    );
    return pulumi.all([provider.name, account.email]).apply(([workloadIdentityProvider, serviceAccount]) => ({
      identity: { kind: 'gcp' as const, workloadIdentityProvider, serviceAccount, projectId: settings.project, region: settings.region },
      // GKE maps a Google identity to a Kubernetes user named by its e-mail.
      subject: { kind: 'User' as const, name: serviceAccount },
    }));
  }

  private workloadIdentityPool(parent: pulumi.Resource): gcp.iam.WorkloadIdentityPool {
    this.pool ??= new gcp.iam.WorkloadIdentityPool(
      `${this.config.clusterName}-github`,
      {
        project: this.config.gcp.project,
        workloadIdentityPoolId: `${this.config.clusterName}-github`.slice(0, 32),
        displayName: 'GitHub Actions',
      },
      { ...this.opts, parent },
    );
    return this.pool;
  }
}
