import {
  ACCELERATED_GPU_TYPES,
  AWS_REGION_PATTERN,
  DNS_1035_PATTERN,
  ENVIRONMENTS,
  GCP_PROJECT_PATTERN,
  GCP_REGION_PATTERN,
  GITHUB_OWNER_PATTERN,
  GITHUB_SECRET_NAME_PATTERN,
  GPU_MEMORY_VARIANTS_GIB,
  GpuSharing,
  HOST_PORT_PATTERN,
  IAM_ROLE_ARN_PATTERN,
  MIG_CAPABLE_GPU_TYPES,
  recordOf,
} from '@idp/service-spec';
import { z } from 'zod';
import { required } from './required.js';
import { volumeSize } from './volumeSize.js';

// The cluster layer's stack settings (project `idp-cluster`). Every rule's message carries an example
// so the StackConfigError it becomes is a fix, not a riddle.

const dnsLabel = z
  .string(required('a DNS-1035 label, e.g. ml-staging'))
  .regex(
    new RegExp(DNS_1035_PATTERN),
    'must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter (e.g. ml-staging)',
  )
  .max(40, 'must be at most 40 characters, so node pool and role names derived from it fit (e.g. ml-staging)');
const size = (what: string) =>
  z
    .number(required(`a whole number of nodes, e.g. ${what}`))
    .int('must be a whole number of nodes')
    .min(0, 'must be 0 or more nodes');

export const GpuPoolConfig = z
  .object({
    gpuType: z.enum(ACCELERATED_GPU_TYPES, { error: () => `must be one of ${ACCELERATED_GPU_TYPES.join(', ')}` }),
    /** EC2 instance type (aws) or GCE machine type (gcp); ignored for existing clusters. */
    instanceType: z
      .string()
      .regex(/^[a-z0-9]+[.-][a-z0-9-]+$/, 'must be an instance or machine type (e.g. g6.xlarge or g2-standard-8)')
      .optional(),
    /** Accelerators per node on GKE; on EKS the instance type decides (g6.12xlarge has 4). */
    gpusPerNode: z.number().int().min(1).max(8, 'must be 1 to 8 GPUs per node').default(1),
    /**
     * GiB of one GPU, for types sold in more than one size (nvidia-a100: 40 or 80); when absent,
     * the instance type tells (p4de and a2-ultragpu carry 80) or the smallest size is assumed.
     */
    memoryGiB: z.number().positive('must be the GPU memory in GiB (e.g. 80)').optional(),
    minSize: size('0').default(0),
    maxSize: size('4'),
    sharing: GpuSharing.default({ mode: 'none' }),
    /** Extra node labels; the gpu-type label and sharing labels are always added. */
    labels: recordOf(z.string(), z.string(), 'team=ml').default({}),
    spot: z.boolean().default(false),
    /** Provider existing only: the nodes of this pool, labelled and tainted by the program. */
    nodes: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((pool, ctx) => {
    if (pool.maxSize < pool.minSize)
      ctx.addIssue({ code: 'custom', path: ['maxSize'], message: `must be at least minSize (${pool.minSize})` });
    const sizes = GPU_MEMORY_VARIANTS_GIB[pool.gpuType];
    if (pool.memoryGiB !== undefined && !sizes.includes(pool.memoryGiB))
      ctx.addIssue({
        code: 'custom',
        path: ['memoryGiB'],
        message: `must be a size ${pool.gpuType} is made with: ${sizes.join(' or ')} (e.g. ${sizes.at(-1)})`,
      });
    if (pool.sharing.mode === 'mig' && !MIG_CAPABLE_GPU_TYPES.includes(pool.gpuType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sharing', 'mode'],
        message: `MIG needs ${MIG_CAPABLE_GPU_TYPES.join(' or ')}, not ${pool.gpuType}; use {mode: time-slicing, replicas: 4}`,
      });
    }
  });
export type GpuPoolConfig = z.output<typeof GpuPoolConfig>;

const common = {
  clusterName: dnsLabel,
  /** The GitHub environments this cluster deploys; one CI identity each, trust scoped to it. */
  environments: z
    .array(z.enum(ENVIRONMENTS, { error: () => `must be ${ENVIRONMENTS.join(' or ')}` }))
    .min(1, 'must name at least one environment (e.g. [staging])')
    .default([...ENVIRONMENTS]),
  github: z
    .object(
      {
        org: z
          .string(required('a GitHub organisation, e.g. acme'))
          .regex(new RegExp(GITHUB_OWNER_PATTERN), 'must be a GitHub organisation (e.g. acme)'),
        host: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a host name (e.g. github.com)')
          .default('github.com'),
        /** Repository name patterns CI may deploy from; `*` is every repository of the org. */
        repositories: z
          .array(z.string().regex(/^[A-Za-z0-9_.*-]+$/, 'must be a repository name or glob (e.g. fraud-* or *)'))
          .min(1)
          .default(['*']),
      },
      required('an object, e.g. {org: acme}'),
    )
    .strict(),
  kubernetesVersion: z
    .string()
    .regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version (e.g. 1.33)')
    .default('1.33'),
  systemPool: z
    .object({ instanceType: z.string().optional(), minSize: size('2').default(2), maxSize: size('4').default(4) })
    .strict()
    .default({ minSize: 2, maxSize: 4 }),
  gpuPools: z
    .array(GpuPoolConfig, required('a list of GPU pools, e.g. [{gpuType: nvidia-l4, instanceType: g6.xlarge, maxSize: 4}]'))
    .superRefine((pools, ctx) => {
      const seen = new Set<string>();
      pools.forEach((pool, i) => {
        // The contract maps a GPU type to exactly one pool's selector.
        if (seen.has(pool.gpuType))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'gpuType'],
            message: `${pool.gpuType} is already used by another pool; one pool per GPU type`,
          });
        seen.add(pool.gpuType);
      });
    }),
  registry: z
    .object({
      repositoryPrefix: z
        .string()
        .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, 'must be a lower-case path segment (e.g. ml)')
        .default('ml'),
      /** Repositories created up front (one per service); others appear on first push (aws). */
      repositories: z.array(dnsLabel).default([]),
      untaggedExpiryDays: z.number().int().min(1).max(365).default(14),
      keepLastImages: z.number().int().min(5, 'must keep at least 5 images, so a rollback target survives').max(1000).default(50),
    })
    .strict()
    .default({ repositoryPrefix: 'ml', repositories: [], untaggedExpiryDays: 14, keepLastImages: 50 }),
};

const AwsSettings = z
  .object(
    {
      region: z
        .string(required('an AWS region, e.g. eu-west-1'))
        .regex(new RegExp(AWS_REGION_PATTERN), 'must be an AWS region (e.g. eu-west-1)'),
      subnetIds: z
        .array(
          z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id (e.g. subnet-0a1b2c3d4e5f60718)'),
          required('a list of private subnet ids'),
        )
        .min(2, 'must list at least two private subnets in different zones (EKS requires two)'),
      /** Principals (role ARNs) granted cluster-admin through EKS access entries. */
      adminRoleArns: z
        .array(
          z
            .string()
            .regex(new RegExp(IAM_ROLE_ARN_PATTERN), 'must be an IAM role ARN (e.g. arn:aws:iam::123456789012:role/platform-admin)'),
        )
        .default([]),
      /** An existing IAM OIDC provider for GitHub Actions; the account allows one per issuer, so a second stack reuses the first's. */
      githubOidcProviderArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
          'must be the ARN of the GitHub OIDC provider (e.g. arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com)',
        )
        .optional(),
      /** The AWS-managed key is used unless a customer key is given. */
      kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:/, 'must be a KMS key ARN')
        .optional(),
    },
    required('an object, e.g. {region: eu-west-1, subnetIds: [subnet-..., subnet-...]}'),
  )
  .strict();

const GcpSettings = z
  .object(
    {
      project: z
        .string(required('a GCP project id, e.g. ml-platform-prod'))
        .regex(new RegExp(GCP_PROJECT_PATTERN), 'must be a GCP project id (e.g. ml-platform-prod)'),
      region: z
        .string(required('a GCP region, e.g. europe-west4'))
        .regex(new RegExp(GCP_REGION_PATTERN), 'must be a GCP region (e.g. europe-west4)'),
      network: z.string().default('default'),
      subnetwork: z.string().optional(),
      kmsKeyName: z
        .string()
        .regex(/^projects\/.+\/cryptoKeys\/.+$/, 'must be a Cloud KMS key (e.g. projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k)')
        .optional(),
    },
    required('an object, e.g. {project: ml-platform-prod, region: europe-west4}'),
  )
  .strict();

const ExistingSettings = z
  .object(
    {
      /** The secret config value holding the kubeconfig (`pulumi config set --secret existing.kubeconfig`). */
      kubeconfig: z
        .string(required('a kubeconfig, set with --secret'))
        .min(1)
        .refine((k) => /apiVersion:|"apiVersion"/.test(k), 'must be a kubeconfig document (apiVersion: v1, kind: Config)'),
      /** The host nodes pull from, pointing at the in-cluster registry (ingress, NodePort or LB). */
      registryHost: z
        .string(required('a registry host, e.g. registry.lab.example.com'))
        .regex(new RegExp(HOST_PORT_PATTERN), 'must be a registry host (e.g. registry.lab.example.com)'),
      registryStorage: volumeSize('200Gi'),
      /** The nodes already run the NVIDIA driver and container toolkit (e.g. DGX OS); the GPU Operator then skips them. */
      driverPreinstalled: z.boolean().default(false),
      /** The GitHub environment secret CI reads its kubeconfig from. */
      ciSecretName: z
        .string()
        .regex(new RegExp(GITHUB_SECRET_NAME_PATTERN), 'must be a GitHub secret name (e.g. KUBECONFIG)')
        .default('KUBECONFIG'),
    },
    required('an object, e.g. {registryHost: registry.lab.example.com} plus the secret kubeconfig'),
  )
  .strict();

// GKE has no A10G; the check lives here so a gcp stack with one stops before anything is created.
const GKE_ACCELERATORS = new Set<string>(['nvidia-t4', 'nvidia-l4', 'nvidia-a100', 'nvidia-h100']);

export const ClusterConfig = z
  .discriminatedUnion(
    'provider',
    [
      z.object({ provider: z.literal('aws'), ...common, aws: AwsSettings }).strict(),
      z.object({ provider: z.literal('gcp'), ...common, gcp: GcpSettings }).strict(),
      z.object({ provider: z.literal('existing'), ...common, existing: ExistingSettings }).strict(),
    ],
    { error: () => 'must be aws, gcp or existing (azure: see docs/adr/0010-azure-not-yet.md)' },
  )
  .superRefine((config, ctx) => {
    if (config.provider === 'gcp') {
      config.gpuPools.forEach((pool, i) => {
        if (!GKE_ACCELERATORS.has(pool.gpuType))
          ctx.addIssue({
            code: 'custom',
            path: ['gpuPools', i, 'gpuType'],
            message: `${pool.gpuType} is not offered on GKE; use nvidia-l4, nvidia-t4, nvidia-a100 or nvidia-h100`,
          });
      });
    }
    if (config.provider !== 'existing') {
      config.gpuPools.forEach((pool, i) => {
        if (!pool.instanceType)
          ctx.addIssue({
            code: 'custom',
            path: ['gpuPools', i, 'instanceType'],
            message: `is required on ${config.provider} (e.g. ${config.provider === 'aws' ? 'g6.xlarge' : 'g2-standard-8'})`,
          });
      });
    }
  });
export type ClusterConfig = z.output<typeof ClusterConfig>;
export type ClusterConfigInput = z.input<typeof ClusterConfig>;

/** A `pulumi config set` line per top-level key: the "e.g." of every error. */
export const CLUSTER_CONFIG_EXAMPLES: Record<string, string> = {
  provider: 'pulumi config set provider aws',
  clusterName: 'pulumi config set clusterName ml-staging',
  environments: "pulumi config set --path 'environments[0]' staging",
  github: 'pulumi config set --path github.org acme',
  kubernetesVersion: 'pulumi config set kubernetesVersion 1.33',
  systemPool: 'pulumi config set --path systemPool.maxSize 4',
  gpuPools:
    "pulumi config set --path 'gpuPools[0].gpuType' nvidia-l4 && pulumi config set --path 'gpuPools[0].instanceType' g6.xlarge && pulumi config set --path 'gpuPools[0].maxSize' 4",
  registry: 'pulumi config set --path registry.repositoryPrefix ml',
  aws: "pulumi config set --path aws.region eu-west-1 && pulumi config set --path 'aws.subnetIds[0]' subnet-0a1b2c3d4e5f60718",
  gcp: 'pulumi config set --path gcp.project ml-platform-prod && pulumi config set --path gcp.region europe-west4',
  existing:
    'pulumi config set --secret --path existing.kubeconfig "$(cat kubeconfig.yaml)" && pulumi config set --path existing.registryHost registry.lab.example.com',
};
