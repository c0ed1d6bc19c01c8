import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { TeamConfig } from '../config/platformConfig.js';
import type { CiSubject } from './clusterFacts.js';

export interface TeamNamespaceArgs {
  team: TeamConfig;
  /** Mesh enrolment: labels and annotations from ServiceMesh. */
  meshLabels: Record<string, string>;
  meshAnnotations: Record<string, string>;
  /** Enforced Pod Security level; `restricted` is always at least warned about. */
  podSecurityLevel: 'restricted' | 'privileged';
  /** The CI identities (one per environment served) that deploy into this namespace. */
  deployers: CiSubject[];
  /** The mesh must be running before namespaces enrol. */
  dependsOn?: pulumi.Resource[];
}

// Everything but deletecollection: what CI needs to apply, replace and prune its own objects.
const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

// What CI applies when it deploys a scaffolded service: workloads, their config and the
// monitoring and network objects that ship with them. No RBAC, no secrets read, no namespaces.
const DEPLOYER_RULES: k8s.types.input.rbac.v1.PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['services', 'configmaps', 'serviceaccounts'],
    verbs: MANAGE,
  },
  { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['pods', 'pods/log', 'events'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'replicasets'],
    verbs: MANAGE,
  },
  {
    apiGroups: ['autoscaling'],
    resources: ['horizontalpodautoscalers'],
    verbs: MANAGE,
  },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: MANAGE },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['networkpolicies'],
    verbs: MANAGE,
  },
  {
    apiGroups: ['monitoring.coreos.com'],
    resources: ['servicemonitors', 'prometheusrules'],
    verbs: MANAGE,
  },
  // The service template's Istio overlay: its own STRICT PeerAuthentication, AuthorizationPolicy and timeouts.
  {
    apiGroups: ['security.istio.io'],
    resources: ['peerauthentications', 'authorizationpolicies'],
    verbs: MANAGE,
  },
  {
    apiGroups: ['networking.istio.io'],
    resources: ['virtualservices'],
    verbs: MANAGE,
  },
  // Load-based autoscaling (KEDA) and canary releases (Argo Rollouts): CD applies them, promotes
  // and aborts a canary (`kubectl argo rollouts` patches the status), and reads analysis runs.
  { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: MANAGE },
  {
    apiGroups: ['argoproj.io'],
    resources: ['rollouts', 'rollouts/status', 'analysistemplates'],
    verbs: MANAGE,
  },
  { apiGroups: ['argoproj.io'], resources: ['analysisruns', 'experiments'], verbs: ['get', 'list', 'watch'] },
];

/**
 * A team's namespace: a GPU and compute quota, default container limits, mesh enrolment, a
 * default-deny ingress policy (services open what they need) and the CI deployer role.
 */
export class TeamNamespace extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: TeamNamespaceArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
    super('idp:platform:TeamNamespace', name, {}, opts);
    const { team } = args;
    const childOpts = { parent: this, provider: opts.provider };
    const ns = new k8s.core.v1.Namespace(
      team.name,
      {
        metadata: {
          name: team.name,
          labels: {
            ...args.meshLabels,
            'idp.dev/team': team.name,
            'pod-security.kubernetes.io/enforce': args.podSecurityLevel,
            'pod-security.kubernetes.io/warn': 'restricted',
          },
          annotations: args.meshAnnotations,
        },
      },
      { ...childOpts, dependsOn: args.dependsOn },
    );
    const namespace = ns.metadata.name;
    new k8s.core.v1.ResourceQuota(
      `${team.name}-quota`,
      {
        metadata: { name: 'team-quota', namespace },
        spec: { hard: { 'requests.nvidia.com/gpu': String(team.gpus), 'requests.cpu': team.cpu, 'requests.memory': team.memory } },
      },
      childOpts,
    );
    new k8s.core.v1.LimitRange(
      `${team.name}-limits`,
      {
        metadata: { name: 'container-defaults', namespace },
        spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '256Mi' }, default: { cpu: '1', memory: '1Gi' } }] },
      },
      childOpts,
    );
    // Default-deny for ingress: a service opens its serving port itself (the template's
    // NetworkPolicy). Egress stays open, because services download their model from MODEL_URI (S3,
    // GCS, HTTPS) at start-up and the cluster's egress CIDRs are not known here.
    new k8s.networking.v1.NetworkPolicy(
      `${team.name}-default-deny`,
      { metadata: { name: 'default-deny-ingress', namespace }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
      childOpts,
    );
    const role = new k8s.rbac.v1.Role(
      `${team.name}-ci-deployer`,
      { metadata: { name: 'ci-deployer', namespace }, rules: DEPLOYER_RULES },
      childOpts,
    );
    new k8s.rbac.v1.RoleBinding(
      `${team.name}-ci-deployer`,
      {
        metadata: { name: 'ci-deployer', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
        subjects: args.deployers.map((s) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: s.kind, name: s.name })),
      },
      childOpts,
    );
    this.namespace = namespace;
    this.registerOutputs({ namespace });
  }
}
