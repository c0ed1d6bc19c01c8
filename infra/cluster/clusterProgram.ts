import * as pulumi from '@pulumi/pulumi';
import { CiIdentity } from '../components/CiIdentity.js';
import { ClusterFacts } from '../components/clusterFacts.js';
import type { Cloud } from '../components/clouds/cloud.js';
import { selectCloud } from '../components/clouds/selectCloud.js';
import { ContainerRegistry } from '../components/ContainerRegistry.js';
import { GpuNodePool } from '../components/GpuNodePool.js';
import { KubernetesCluster } from '../components/KubernetesCluster.js';
import { NodeAutoscaler } from '../components/NodeAutoscaler.js';
import type { ClusterConfig } from '../config/clusterConfig.js';

export interface ClusterOutputs {
  /** Everything the platform layer needs, parsed there with the same ClusterFacts schema. */
  cluster: pulumi.Output<ClusterFacts>;
  /** Secret. */
  kubeconfig: pulumi.Output<string>;
}

/** The cluster layer: control plane, system and GPU pools, registry, CI identities. */
export function clusterProgram(config: ClusterConfig, cloud: Cloud = selectCloud(config)): ClusterOutputs {
  const name = config.clusterName;
  const cluster = new KubernetesCluster(name, { cloud });
  const pools = config.gpuPools.map((pool) => new GpuNodePool(`${name}-${pool.gpuType}`, { cloud, cluster: cluster.handle, pool }));
  const autoscaler = new NodeAutoscaler(`${name}-node-autoscaler`, { cloud, cluster: cluster.handle });
  const registry = new ContainerRegistry(`${name}-registry`, { cloud, cluster: cluster.handle });
  const identities = config.environments.map(
    (environment) =>
      new CiIdentity(`${name}-ci-${environment}`, { cloud, cluster: cluster.handle, registry: registry.handle, environment }),
  );

  const facts = pulumi
    .all([cluster.clusterName, registry.host, registry.repositoryPrefix, pulumi.all(identities.map((i) => i.ci)), autoscaler.facts])
    .apply(([clusterName, host, repositoryPrefix, ci, nodeAutoscaler]) =>
      // Parsed here too, so a cluster stack never exports facts the platform layer would refuse.
      ClusterFacts.parse({
        name: clusterName,
        provider: config.provider,
        region: config.provider === 'aws' ? config.aws.region : config.provider === 'gcp' ? config.gcp.region : undefined,
        github: { host: config.github.host, org: config.github.org },
        registry: { host, repositoryPrefix },
        ci: Object.fromEntries(identities.map((identity, i) => [identity.environment, ci[i]])),
        gpuPools: config.gpuPools.map((pool, i) => ({
          gpuType: pools[i]!.gpuType,
          sharing: pools[i]!.sharing,
          ...(pool.instanceType ? { instanceType: pool.instanceType } : {}),
          ...(pool.memoryGiB === undefined ? {} : { memoryGiB: pool.memoryGiB }),
          minSize: pool.minSize,
          maxSize: pool.maxSize,
          gpusPerNode: pool.gpusPerNode,
          spot: pool.spot,
        })),
        nodeImageShipsDriver: cloud.nodeImageShipsDriver,
        providerManagesDevicePlugin: cloud.providerManagesDevicePlugin,
        nodeAutoscaler,
      }),
    );
  return { cluster: facts, kubeconfig: pulumi.secret(cluster.kubeconfig) };
}
