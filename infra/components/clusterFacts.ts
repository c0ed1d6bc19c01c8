import { ACCELERATED_GPU_TYPES, CLUSTER_PROVIDERS, ENVIRONMENTS, GpuSharing, PlatformContract, partialRecordOf } from '@idp/service-spec';
import { z } from 'zod';

// What the cluster layer exports as `cluster` and the platform layer reads through a StackReference.
// Parsed on arrival: a cluster stack from an older program fails with the field that changed.

type Environment = z.output<typeof PlatformContract>['environments']['staging'];
const CiIdentitySchema = PlatformContract.shape.environments.shape.staging.shape.ciIdentity;

/**
 * Who adds GPU nodes when pods wait for them (docs/adr/0008): Karpenter on aws (the platform layer
 * installs it with these facts), the provider's own autoscaler on gcp, nobody on existing clusters.
 */
export const NodeAutoscalerFacts = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('karpenter'),
      interruptionQueue: z.string().min(1),
      nodeRoleName: z.string().min(1),
      subnetIds: z.array(z.string().min(1)).min(1),
    })
    .strict(),
  z.object({ kind: z.literal('provider') }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);
export type NodeAutoscalerFacts = z.output<typeof NodeAutoscalerFacts>;

const Subject = z.object({ kind: z.enum(['Group', 'User']), name: z.string().min(1) }).strict();

export const ClusterFacts = z
  .object({
    name: z.string().min(1),
    provider: z.enum(CLUSTER_PROVIDERS),
    region: z.string().min(1).optional(),
    github: PlatformContract.shape.github,
    registry: z.object({ host: z.string().min(1), repositoryPrefix: z.string().min(1) }).strict(),
    /** Per environment: how CI logs in (the contract's ciIdentity) and who that is inside the cluster. */
    ci: partialRecordOf(z.enum(ENVIRONMENTS), z.object({ identity: CiIdentitySchema, subject: Subject }).strict()),
    gpuPools: z.array(
      z
        .object({
          gpuType: z.enum(ACCELERATED_GPU_TYPES),
          sharing: GpuSharing,
          // Sizing, for node autoscalers the platform layer installs (Karpenter's NodePools).
          instanceType: z.string().min(1).optional(),
          minSize: z.number().int().min(0).default(0),
          maxSize: z.number().int().min(0).optional(),
          gpusPerNode: z.number().int().min(1).default(1),
          /** GiB of one GPU when the stack configured it; absent, infra's gpuPoolMemoryGiB infers it. */
          memoryGiB: z.number().positive().optional(),
          spot: z.boolean().default(false),
        })
        .strict(),
    ),
    /** True where the node image ships the NVIDIA driver and container toolkit (EKS NVIDIA AMI, GKE). */
    nodeImageShipsDriver: z.boolean(),
    /** True where the provider runs its own device plugin (GKE), so the operator must not. */
    providerManagesDevicePlugin: z.boolean(),
    /** Absent in stacks from before node autoscaling: nobody adds nodes. */
    nodeAutoscaler: NodeAutoscalerFacts.default({ kind: 'none' }),
  })
  .strict();
export type ClusterFacts = z.output<typeof ClusterFacts>;
export type CiSubject = z.output<typeof Subject>;
export type { Environment as ContractEnvironment };
