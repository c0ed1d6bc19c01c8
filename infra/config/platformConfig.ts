import { ENVIRONMENTS, MESH_KINDS, QUANTITY_PATTERN, ROLLOUT_CONTROLLERS, SCALE_TO_ZERO_MESHES, TeamName } from '@idp/service-spec';
import { z } from 'zod';
import { required } from './required.js';
import { volumeSize } from './volumeSize.js';

// The platform layer's stack settings (project `idp-platform`).

// Kubernetes' own quantity grammar, as the service spec checks cpu and memory.
const quantity = new RegExp(QUANTITY_PATTERN);

export const TeamConfig = z
  .object({
    /** The team's namespace, and the name its services' owner maps onto (docs/adr/0004). */
    name: TeamName,
    /** GPUs the team's namespace may request in total, across all GPU types. */
    gpus: z.number().int().min(0).max(512).default(4),
    cpu: z.string().regex(quantity, 'must be a CPU quantity (e.g. 64)').default('64'),
    memory: z.string().regex(quantity, 'must be a memory quantity (e.g. 256Gi)').default('256Gi'),
  })
  .strict();
export type TeamConfig = z.output<typeof TeamConfig>;

const STACK_NAME = /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/;

export const PlatformConfig = z
  .object({
    /** The cluster layer's stack: `org/idp-cluster/aws-staging`. */
    clusterStack: z
      .string(required('a stack name, e.g. acme/idp-cluster/aws-staging'))
      .regex(STACK_NAME, 'must be a stack name (e.g. acme/idp-cluster/aws-staging)'),
    /** Which environments of the contract this cluster serves. */
    environments: z
      .array(z.enum(ENVIRONMENTS, { error: () => `must be ${ENVIRONMENTS.join(' or ')}` }))
      .min(1)
      .default([...ENVIRONMENTS]),
    /** The platform stack of the other environment, when this one serves only one of them. */
    peerPlatformStack: z.string().regex(STACK_NAME, 'must be a stack name (e.g. acme/idp-platform/aws-production)').optional(),
    mesh: z.enum(MESH_KINDS, { error: () => `must be one of ${MESH_KINDS.join(', ')}` }).default('istio-ambient'),
    teams: z
      .array(TeamConfig, required('a list of teams, e.g. [{name: ml-team, gpus: 4}]'))
      .min(1, 'must list at least one team (e.g. [{name: ml-team}])'),
    /** KEDA for load-based autoscaling (on by default); scaleToZero lets services ask for minReplicas 0. */
    autoscaling: z
      .object({
        keda: z.boolean({ error: () => 'must be true or false (e.g. true)' }).default(true),
        scaleToZero: z.boolean({ error: () => 'must be true or false (e.g. false)' }).default(false),
      })
      .strict()
      .default({ keda: true, scaleToZero: false }),
    /** The canary controller services release through (docs/adr/0007); `none` keeps rolling updates. */
    rollouts: z
      .object({
        controller: z
          .enum(ROLLOUT_CONTROLLERS, { error: () => `must be one of ${ROLLOUT_CONTROLLERS.join(', ')}` })
          .default('argo-rollouts'),
      })
      .strict()
      .default({ controller: 'argo-rollouts' }),
    observability: z
      .object({
        retention: z
          .string()
          .regex(/^\d+[dhw]$/, 'must be a Prometheus retention (e.g. 15d)')
          .default('15d'),
        storage: volumeSize('100Gi'),
      })
      .strict()
      .default({ retention: '15d', storage: '100Gi' }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.teams.forEach((team, i) => {
      if (names.has(team.name)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'name'], message: `${team.name} is listed twice` });
      names.add(team.name);
    });
    if (config.autoscaling.scaleToZero && !config.autoscaling.keda) {
      ctx.addIssue({
        code: 'custom',
        path: ['autoscaling', 'scaleToZero'],
        message: 'needs autoscaling.keda: true, which wakes services at zero replicas',
      });
    }
    if (config.autoscaling.scaleToZero && !(SCALE_TO_ZERO_MESHES as readonly string[]).includes(config.mesh)) {
      ctx.addIssue({
        code: 'custom',
        path: ['autoscaling', 'scaleToZero'],
        message: `needs mesh ${SCALE_TO_ZERO_MESHES.join(' or ')}, whose callers' proxies see the requests that wake a service (mesh is ${config.mesh})`,
      });
    }
    const missing = ENVIRONMENTS.filter((env) => !config.environments.includes(env));
    if (missing.length > 0 && !config.peerPlatformStack) {
      ctx.addIssue({
        code: 'custom',
        path: ['peerPlatformStack'],
        message: `is required when this cluster does not serve ${missing.join(', ')}: the contract needs every environment`,
      });
    }
  });
export type PlatformConfig = z.output<typeof PlatformConfig>;
export type PlatformConfigInput = z.input<typeof PlatformConfig>;

export const PLATFORM_CONFIG_EXAMPLES: Record<string, string> = {
  clusterStack: 'pulumi config set clusterStack acme/idp-cluster/aws-staging',
  environments: "pulumi config set --path 'environments[0]' staging",
  peerPlatformStack: 'pulumi config set peerPlatformStack acme/idp-platform/aws-production',
  mesh: 'pulumi config set mesh istio-ambient',
  teams: "pulumi config set --path 'teams[0].name' ml-team && pulumi config set --path 'teams[0].gpus' 4",
  observability: 'pulumi config set --path observability.retention 15d',
  autoscaling: 'pulumi config set --path autoscaling.keda true',
  rollouts: 'pulumi config set --path rollouts.controller argo-rollouts',
};
