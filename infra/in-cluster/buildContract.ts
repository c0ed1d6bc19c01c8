import {
  ENVIRONMENTS,
  type EnvironmentName,
  InvalidInputError,
  type MeshKind,
  NetworkPeers,
  PlatformContract,
  problemsFromZod,
} from '@idp/service-spec';
import type { ClusterFacts, ContractEnvironment } from '../components/clusterFacts.js';
import { gpuPoolMemoryGiB } from '../components/gpuPoolMemory.js';
import { gpuPoolPlacement } from '../components/gpuScheduling.js';
import { MONITORING_NAMESPACE, PROMETHEUS_RELEASE } from '../components/Observability.js';

export interface ObservabilityLabels {
  serviceMonitorLabels: Record<string, string>;
  prometheusRuleLabels: Record<string, string>;
  dashboardLabels: Record<string, string>;
  prometheusUrl: string;
}

/** What this cluster runs for delivery, and each team's GPU quota (the TeamNamespace ResourceQuota). */
export interface DeliveryFacts {
  autoscaling: ContractEnvironment['autoscaling'];
  rollouts: ContractEnvironment['rollouts'];
  teamQuotas: ContractEnvironment['teamQuotas'];
}

/** One environment's entry of the contract, from what this cluster actually runs. */
export function environmentEntry(
  facts: ClusterFacts,
  environment: EnvironmentName,
  mesh: MeshKind,
  observability: ObservabilityLabels,
  delivery: DeliveryFacts,
): ContractEnvironment {
  const ci = facts.ci[environment];
  if (!ci) {
    throw new Error(
      `The cluster stack has no CI identity for ${environment}: add it to the cluster layer's environments (pulumi config set --path 'environments[1]' ${environment}) or remove it from this stack's environments`,
    );
  }
  return {
    cluster: { name: facts.name, provider: facts.provider, ...(facts.region ? { region: facts.region } : {}) },
    registry: facts.registry,
    ciIdentity: ci.identity,
    mesh,
    // Where a service's pods go, and what they find there: what LLM sizing reads (docs/adr/0021).
    gpuPools: Object.fromEntries(
      facts.gpuPools.map((pool) => [
        pool.gpuType,
        { ...gpuPoolPlacement(pool.gpuType), memoryGiB: gpuPoolMemoryGiB(pool), gpusPerNode: pool.gpusPerNode, sharing: pool.sharing },
      ]),
    ),
    observability,
    ...delivery,
    // Prometheus is ours (Observability), so its namespace and identity are known; the ingress
    // gateway and the callers keep the contract's defaults unless a stack sets them.
    network: NetworkPeers.parse({ monitoring: { namespace: MONITORING_NAMESPACE, serviceAccount: `${PROMETHEUS_RELEASE}-prometheus` } }),
  };
}

/**
 * The contract `idp new --contract` reads: this stack's environments plus the peer stack's, parsed
 * with the same PlatformContract schema the templates use. Throws naming the missing environment
 * or the field that broke the schema.
 */
export function assembleContract(
  github: ClusterFacts['github'],
  own: Partial<Record<EnvironmentName, ContractEnvironment>>,
  peer: Partial<Record<EnvironmentName, unknown>> = {},
): PlatformContract {
  const environments = { ...peer, ...own };
  const missing = ENVIRONMENTS.filter((env) => !environments[env]);
  if (missing.length > 0) {
    throw new Error(
      `The platform contract needs ${missing.join(' and ')}: serve it from this stack (environments) or point peerPlatformStack at the stack that does`,
    );
  }
  const result = PlatformContract.safeParse({ version: 1, github, environments });
  if (!result.success) throw new InvalidInputError('The exported platformContract', problemsFromZod(result.error));
  return result.data;
}
