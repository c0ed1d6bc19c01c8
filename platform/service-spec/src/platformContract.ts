import { z } from 'zod';
import { ACCELERATED_GPU_TYPES, MAX_GPUS_PER_POD } from './gpu.js';
import { GPU_MEMORY_VARIANTS_GIB, migSlice } from './gpuMemory.js';
import { GpuSharing, MIG_CAPABLE_GPU_TYPES } from './gpuSharing.js';
import { DNS_1035_PATTERN, DNS_1123_PATTERN } from './names.js';
import { TeamName } from './teamName.js';
import { freeText } from './freeText.js';
import { partialRecordOf, recordOf } from './reservedKeys.js';
import {
  AWS_REGION_PATTERN,
  GCP_PROJECT_PATTERN,
  GCP_REGION_PATTERN,
  GITHUB_OWNER_PATTERN,
  GITHUB_SECRET_NAME_PATTERN,
  HOST_PORT_PATTERN,
  IAM_ROLE_ARN_PATTERN,
} from './cloudNames.js';

export const MESH_KINDS = ['istio-ambient', 'istio-sidecar', 'linkerd', 'none'] as const;
export type MeshKind = (typeof MESH_KINDS)[number];
export const CLUSTER_PROVIDERS = ['aws', 'gcp', 'existing'] as const;
export const ENVIRONMENTS = ['staging', 'production'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

// Kubernetes label keys ([prefix/]name) and values.
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const Labels = recordOf(
  z.string().regex(LABEL_KEY, 'must be a Kubernetes label key (e.g. nvidia.com/gpu.product)'),
  z.string().regex(LABEL_VALUE, 'must be a Kubernetes label value (e.g. NVIDIA-L4)'),
  'nvidia.com/gpu.product',
);

const Toleration = z
  .object({
    key: z.string().regex(LABEL_KEY, 'must be a taint key (e.g. nvidia.com/gpu)'),
    operator: z.enum(['Exists', 'Equal']).default('Exists'),
    value: z.string().regex(LABEL_VALUE, 'must be a taint value (e.g. present)').optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  })
  .strict();

/**
 * What puts a pod on one GPU pool (the pool's labels to select and its taints to tolerate) and what
 * a pod finds there (memory, GPUs per node, sharing), which LLM sizing reads (docs/adr/0021).
 * The facts are optional, without defaults, so an older contract parses to what it parsed to
 * before; a reader that needs them assumes the least (gpuDevice in gpuMemory.ts).
 */
const GpuPool = z
  .object({
    nodeSelector: Labels.refine(
      (l) => Object.keys(l).length > 0,
      'must select at least one label (e.g. {"nvidia.com/gpu.product": "NVIDIA-L4"})',
    ),
    tolerations: z
      .array(Toleration)
      .min(1, 'must tolerate the pool taint (e.g. [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}])'),
    /** Memory of one whole GPU as the part is sold (an A100 pool says 40 or 80). */
    memoryGiB: z
      .number({ error: 'must be the GPU memory in GiB (e.g. 24)' })
      .positive('must be the GPU memory in GiB (e.g. 24)')
      .optional(),
    /** Whole GPUs on one node of the pool: the most one pod can get. */
    gpusPerNode: z
      .int('must be a whole number of GPUs per node (e.g. 8)')
      .min(1, 'must be at least 1 GPU per node (e.g. 8)')
      .max(MAX_GPUS_PER_POD, `must be at most ${MAX_GPUS_PER_POD} GPUs per node (e.g. 8)`)
      .optional(),
    /** How the pool's GPUs are shared between pods (MIG slices are what a pod then gets). */
    sharing: GpuSharing.optional(),
  })
  .strict();

/** A pool's memory and sharing facts must be possible for the GPU type it is listed under. */
const GpuPools = partialRecordOf(z.enum(ACCELERATED_GPU_TYPES), GpuPool).superRefine((pools, ctx) => {
  for (const gpuType of ACCELERATED_GPU_TYPES) {
    const pool = pools[gpuType];
    if (!pool) continue;
    const variants = GPU_MEMORY_VARIANTS_GIB[gpuType];
    if (pool.memoryGiB !== undefined && !variants.includes(pool.memoryGiB)) {
      ctx.addIssue({
        code: 'custom',
        path: [gpuType, 'memoryGiB'],
        message: `must be a memory size ${gpuType} is made with: ${variants.join(' or ')} (e.g. ${variants.at(-1)})`,
      });
    }
    if (pool.sharing?.mode !== 'mig') continue;
    if (!MIG_CAPABLE_GPU_TYPES.includes(gpuType)) {
      ctx.addIssue({
        code: 'custom',
        path: [gpuType, 'sharing', 'mode'],
        message: `must not be mig: MIG needs ${MIG_CAPABLE_GPU_TYPES.join(' or ')} (e.g. {mode: none})`,
      });
    } else if (pool.memoryGiB !== undefined && migSlice(pool.sharing.profile, pool.memoryGiB).perGpu < 1) {
      ctx.addIssue({
        code: 'custom',
        path: [gpuType, 'sharing', 'profile'],
        message: `must be a MIG profile that fits a ${pool.memoryGiB} GiB GPU (e.g. 3g.${pool.memoryGiB / 2}gb)`,
      });
    }
  }
});

/** How CI logs in: short-lived OIDC federation only, never stored keys. */
const CiIdentity = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('aws'),
      roleArn: z
        .string()
        .regex(new RegExp(IAM_ROLE_ARN_PATTERN), 'must be an IAM role ARN (e.g. arn:aws:iam::123456789012:role/github-deployer)'),
      region: z.string().regex(new RegExp(AWS_REGION_PATTERN), 'must be an AWS region (e.g. eu-west-1)'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('gcp'),
      workloadIdentityProvider: z
        .string()
        .regex(
          /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]+\/providers\/[a-z0-9-]+$/,
          'must be a workload identity provider (e.g. projects/123456789/locations/global/workloadIdentityPools/github/providers/github)',
        ),
      serviceAccount: z
        .string()
        .regex(
          /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/,
          'must be a service account e-mail (e.g. deployer@my-project.iam.gserviceaccount.com)',
        ),
      projectId: z.string().regex(new RegExp(GCP_PROJECT_PATTERN), 'must be a GCP project id (e.g. ml-platform-prod)'),
      region: z.string().regex(new RegExp(GCP_REGION_PATTERN), 'must be a GCP region (e.g. europe-west4)'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('kubeconfig'),
      // The name of a GitHub environment secret holding a kubeconfig for clusters that offer no
      // OIDC federation (provider `existing`); the contract never holds the credential itself.
      secretName: z.string().regex(new RegExp(GITHUB_SECRET_NAME_PATTERN), 'must be a GitHub secret name (e.g. KUBECONFIG)'),
    })
    .strict(),
]);

export const DEFAULT_PROMETHEUS_URL = 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090';
export const ROLLOUT_CONTROLLERS = ['argo-rollouts', 'none'] as const;
/**
 * Meshes whose client-side proxies count requests to a service that has no pods (Istio sidecars:
 * istio_requests_total reported by the source; Linkerd: outbound response_total), the signal that
 * wakes a service scaled to zero. Ambient ztunnel and no mesh see no request to count.
 */
export const SCALE_TO_ZERO_MESHES = ['istio-sidecar', 'linkerd'] as const;

/** How services scale: KEDA on their own load signal when installed, else the CPU HPA (docs/adr/0006). */
const Autoscaling = z
  .object({
    keda: z.boolean({ error: 'must be true or false (e.g. true)' }).default(false),
    // Services may ask for minReplicas 0; needs KEDA, which activates them on request rate.
    scaleToZero: z.boolean({ error: 'must be true or false (e.g. false)' }).default(false),
  })
  .strict()
  .refine((a) => a.keda || !a.scaleToZero, {
    path: ['scaleToZero'],
    message: 'needs keda: true, which wakes a service at zero replicas (e.g. {keda: true, scaleToZero: true})',
  });

/** How new versions ship: canary releases with analysis where a controller runs (docs/adr/0007). */
const Rollouts = z
  .object({
    controller: z
      .enum(ROLLOUT_CONTROLLERS, { error: `must be one of ${ROLLOUT_CONTROLLERS.join(', ')} (e.g. argo-rollouts)` })
      .default('none'),
  })
  .strict();

/**
 * The GPUs each team's namespace may request in this environment's cluster (infra's team
 * ResourceQuota `requests.nvidia.com/gpu`), keyed by namespace. Teams not listed are not checked.
 */
const TeamQuotas = recordOf(
  TeamName,
  z.object({ gpus: z.int('must be a whole number of GPUs (e.g. 8)').min(0, 'must be a whole number of GPUs (e.g. 8)') }).strict(),
);

const DNS_1123_LABEL = new RegExp(DNS_1123_PATTERN);
const k8sName = (what: string, example: string) =>
  z
    .string()
    .regex(DNS_1123_LABEL, `must be a Kubernetes ${what} name (e.g. ${example})`)
    .max(63, `must be at most 63 characters (e.g. ${example})`);

/**
 * Who may reach a service in this environment: the NetworkPolicy admits their pods and the mesh
 * authorisation their identities. Default-deny in team namespaces is infra's (TeamNamespace).
 */
export const NetworkPeers = z
  .object({
    /** The mesh's SPIFFE trust domain, the first part of every principal. */
    trustDomain: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a trust domain (e.g. cluster.local)')
      .default('cluster.local'),
    /** The ingress gateway in front of every service: its namespace, identity and pod labels. */
    ingressGateway: z
      .object({
        namespace: k8sName('namespace', 'istio-ingress'),
        serviceAccount: k8sName('service account', 'istio-ingressgateway'),
        podLabels: Labels.refine((l) => Object.keys(l).length > 0, 'must select the gateway pods (e.g. {istio: ingressgateway})'),
      })
      .strict()
      .default({ namespace: 'istio-ingress', serviceAccount: 'istio-ingressgateway', podLabels: { istio: 'ingressgateway' } }),
    /** Prometheus, which scrapes /metrics: its namespace and identity. */
    monitoring: z
      .object({
        namespace: k8sName('namespace', 'monitoring'),
        serviceAccount: k8sName('service account', 'kube-prometheus-stack-prometheus'),
      })
      .strict()
      .default({ namespace: 'monitoring', serviceAccount: 'kube-prometheus-stack-prometheus' }),
    /** Workloads that call model services directly; without a service account, all of the namespace. */
    callers: z
      .array(
        z
          .object({ namespace: k8sName('namespace', 'checkout'), serviceAccount: k8sName('service account', 'checkout-api').optional() })
          .strict(),
      )
      .default([]),
  })
  .strict();

const Environment = z
  .object({
    cluster: z
      .object({
        name: z.string().regex(new RegExp(DNS_1035_PATTERN), 'must be a DNS-1035 label (e.g. ml-staging)').max(63),
        provider: z.enum(CLUSTER_PROVIDERS),
        region: freeText({ rule: 'must be printable text', example: 'eu-west-1' }).min(1, 'must not be empty (e.g. eu-west-1)').optional(),
      })
      .strict(),
    registry: z
      .object({
        host: z
          .string()
          .regex(new RegExp(HOST_PORT_PATTERN), 'must be a registry host (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com)'),
        repositoryPrefix: z
          .string()
          .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'must be a lower-case repository path (e.g. ml-team)'),
      })
      .strict(),
    ciIdentity: CiIdentity,
    mesh: z.enum(MESH_KINDS),
    gpuPools: GpuPools,
    observability: z
      .object({
        // Labels the Prometheus Operator and Grafana select on, so our objects are picked up.
        serviceMonitorLabels: Labels.default({}),
        prometheusRuleLabels: Labels.default({}),
        dashboardLabels: Labels.default({ grafana_dashboard: '1' }),
        // Where autoscalers and rollout analysis query the service's metrics (in-cluster URL).
        prometheusUrl: z
          .string()
          .regex(
            /^https?:\/\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?(\/\S*)?$/,
            'must be an http(s) URL of Prometheus (e.g. http://kube-prometheus-stack-prometheus.monitoring.svc:9090)',
          )
          .default(DEFAULT_PROMETHEUS_URL),
      })
      .strict(),
    // What the cluster runs for delivery; absent in older contracts, which therefore keep the CPU
    // HorizontalPodAutoscaler and rolling updates.
    autoscaling: Autoscaling.default({ keda: false, scaleToZero: false }),
    rollouts: Rollouts.default({ controller: 'none' }),
    teamQuotas: TeamQuotas.default({}),
    network: NetworkPeers.prefault({}),
  })
  .strict()
  .refine((env) => !env.autoscaling.scaleToZero || (SCALE_TO_ZERO_MESHES as readonly string[]).includes(env.mesh), {
    path: ['autoscaling', 'scaleToZero'],
    message: `needs a mesh whose callers' proxies report requests to a service with no pods, which wake it: ${SCALE_TO_ZERO_MESHES.join(' or ')} (e.g. mesh: istio-sidecar)`,
  });

/**
 * Where services run: the infra program exports it (`pulumi stack output platformContract`), the
 * CLI and the portal pass it to templates as `values.platform`.
 */
export const PlatformContract = z
  .object({
    version: z.literal(1),
    github: z
      .object({
        host: z.string().regex(new RegExp(HOST_PORT_PATTERN), 'must be a host name (e.g. github.com)'),
        org: z.string().regex(new RegExp(GITHUB_OWNER_PATTERN), 'must be a GitHub organisation (e.g. acme)'),
      })
      .strict(),
    environments: z.object({ staging: Environment, production: Environment }).strict(),
  })
  .strict();

export type PlatformContract = z.output<typeof PlatformContract>;
export type PlatformContractInput = z.input<typeof PlatformContract>;
