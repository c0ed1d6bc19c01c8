import type * as pulumi from '@pulumi/pulumi';
import type { ClusterConfig, GpuPoolConfig } from '../../config/clusterConfig.js';
import type { ClusterFacts, NodeAutoscalerFacts } from '../clusterFacts.js';

/**
 * One cloud behind one interface: the cluster layer's components ask it for provider-specific
 * resources and never branch on the provider themselves. Each method registers its resources as
 * children of `parent`.
 */
export interface Cloud {
  readonly provider: ClusterConfig['provider'];
  /** Whether the node image ships the NVIDIA driver and toolkit (the GPU Operator must not install them). */
  readonly nodeImageShipsDriver: boolean;
  readonly providerManagesDevicePlugin: boolean;
  /** The control plane and the CPU system pool; returns what node pools attach to. */
  cluster(parent: pulumi.Resource): ClusterHandle;
  /** One GPU pool: tainted, labelled, sized. */
  gpuNodePool(pool: GpuPoolConfig, labels: Record<string, string>, cluster: ClusterHandle, parent: pulumi.Resource): void;
  /** Whatever adds GPU nodes for pending pods, as far as the cloud is concerned (docs/adr/0008). */
  nodeAutoscaler(cluster: ClusterHandle, parent: pulumi.Resource): pulumi.Output<NodeAutoscalerFacts>;
  /** Image repositories with immutable tags, scanning, cleanup and encryption; nodes may pull. */
  registry(cluster: ClusterHandle, parent: pulumi.Resource): RegistryHandle;
  /** The CI identity of one environment: OIDC trust scoped to the org's repos and that environment, push rights. */
  ciIdentity(
    environment: 'staging' | 'production',
    registry: RegistryHandle,
    cluster: ClusterHandle,
    parent: pulumi.Resource,
  ): pulumi.Output<NonNullable<ClusterFacts['ci']['staging']>>;
}

export interface ClusterHandle {
  name: pulumi.Output<string>;
  /** A kubeconfig that authenticates with the cloud's CLI (no static credentials); secret. */
  kubeconfig: pulumi.Output<string>;
  /** Provider-specific values the other methods need (node role, OIDC issuer, ...). */
  extra: Record<string, pulumi.Output<string> | pulumi.Output<string[]>>;
}

export interface RegistryHandle {
  host: pulumi.Output<string>;
  repositoryPrefix: pulumi.Output<string>;
  /** ARNs or resource names CI may push to. */
  pushTargets: pulumi.Output<string[]>;
}
