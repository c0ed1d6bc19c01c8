import { ENVIRONMENTS, type EnvironmentName, type PlatformContract } from '@idp/service-spec';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ClusterFacts, type ContractEnvironment } from '../components/clusterFacts.js';
import { GpuStack } from '../components/GpuStack.js';
import { Karpenter } from '../components/Karpenter.js';
import { Keda } from '../components/Keda.js';
import { RolloutController } from '../components/RolloutController.js';
import { Observability } from '../components/Observability.js';
import { ServiceMesh } from '../components/ServiceMesh.js';
import { TeamNamespace } from '../components/TeamNamespace.js';
import type { PlatformConfig } from '../config/platformConfig.js';
import { assembleContract, environmentEntry } from './buildContract.js';

export interface PlatformOutputs {
  /** This stack's environments of the contract; a peer stack reads them. */
  platformEnvironments: Partial<Record<EnvironmentName, ContractEnvironment>>;
  /** The whole contract, once every environment is known. */
  platformContract: PlatformContract | undefined;
}

/** Reads the cluster layer's facts, refusing ones that do not match the schema this program expects. */
async function readClusterFacts(ref: pulumi.StackReference, stack: string): Promise<ClusterFacts> {
  const raw = await ref.getOutputValue('cluster');
  if (raw === undefined)
    throw new Error(`Stack ${stack} exports no "cluster" output: run \`pulumi up\` in infra/cluster for that stack first`);
  const result = ClusterFacts.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  cluster.${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Stack ${stack}'s "cluster" output does not match this program (update the cluster layer first):\n${problems}`);
  }
  return result.data;
}

/** The platform layer: observability, GPU stack, mesh and team namespaces on the cluster layer's cluster. */
export async function platformProgram(config: PlatformConfig): Promise<PlatformOutputs> {
  const clusterRef = new pulumi.StackReference('cluster', { name: config.clusterStack });
  const facts = await readClusterFacts(clusterRef, config.clusterStack);
  const deployers = config.environments.map((env) => {
    const ci = facts.ci[env];
    if (!ci)
      throw new Error(
        `Stack ${config.clusterStack} has no CI identity for ${env}: add ${env} to its environments, or remove it from this stack's`,
      );
    return ci.subject;
  });

  const provider = new k8s.Provider('cluster', { kubeconfig: clusterRef.requireOutput('kubeconfig'), enableServerSideApply: true });
  const observability = new Observability('observability', config.observability, { provider });
  new GpuStack(
    'gpu-stack',
    { facts, serviceMonitorLabels: observability.serviceMonitorLabels, dependsOn: [observability.release] },
    { provider },
  );
  const mesh = new ServiceMesh('mesh', { kind: config.mesh, provider: facts.provider }, { provider });
  // GPU nodes on demand where the cluster layer prepared Karpenter (aws; docs/adr/0008).
  if (facts.nodeAutoscaler.kind === 'karpenter')
    new Karpenter('karpenter', { clusterName: facts.name, autoscaler: facts.nodeAutoscaler, gpuPools: facts.gpuPools }, { provider });
  // Delivery on GPUs: services scale on their own load and ship by canary (docs/adr/0006, 0007).
  if (config.autoscaling.keda)
    new Keda('keda', { serviceMonitorLabels: observability.serviceMonitorLabels, dependsOn: [observability.release] }, { provider });
  if (config.rollouts.controller === 'argo-rollouts') {
    new RolloutController(
      'rollouts',
      { serviceMonitorLabels: observability.serviceMonitorLabels, dependsOn: [observability.release] },
      { provider },
    );
  }
  for (const team of config.teams) {
    new TeamNamespace(
      `team-${team.name}`,
      {
        team,
        meshLabels: mesh.namespaceLabels,
        meshAnnotations: mesh.namespaceAnnotations,
        podSecurityLevel: mesh.podSecurityLevel,
        deployers,
        dependsOn: mesh.ready,
      },
      { provider },
    );
  }

  const labels = {
    serviceMonitorLabels: observability.serviceMonitorLabels,
    prometheusRuleLabels: observability.prometheusRuleLabels,
    dashboardLabels: observability.dashboardLabels,
    prometheusUrl: observability.prometheusUrl,
  };
  const delivery = {
    autoscaling: config.autoscaling,
    rollouts: config.rollouts,
    teamQuotas: Object.fromEntries(config.teams.map((team) => [team.name, { gpus: team.gpus }])),
  };
  const platformEnvironments = Object.fromEntries(
    config.environments.map((env) => [env, environmentEntry(facts, env, config.mesh, labels, delivery)]),
  ) as PlatformOutputs['platformEnvironments'];

  let peer: Partial<Record<EnvironmentName, unknown>> = {};
  if (config.peerPlatformStack) {
    peer =
      (await new pulumi.StackReference('peer-platform', { name: config.peerPlatformStack }).getOutputValue('platformEnvironments')) ?? {};
  }
  const complete = ENVIRONMENTS.every((env) => env in platformEnvironments || env in peer);
  if (!complete) {
    // First deployment of a pair: the peer has not exported its environments yet.
    await pulumi.log.warn(
      `platformContract is not exported yet: ${config.peerPlatformStack} has no platformEnvironments output; run \`pulumi up\` there, then here again`,
    );
    return { platformEnvironments, platformContract: undefined };
  }
  return { platformEnvironments, platformContract: assembleContract(facts.github, platformEnvironments, peer) };
}
