import * as pulumi from '@pulumi/pulumi';
import type { Cloud, ClusterHandle } from './clouds/cloud.js';

export interface KubernetesClusterArgs {
  /** The cloud that builds the control plane and the CPU system pool. */
  cloud: Cloud;
}

/** A Kubernetes control plane with its CPU system pool, on whichever cloud the stack uses. */
export class KubernetesCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  /** Exec-based kubeconfig (no stored credential); secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /** What node pools, registries and CI identities attach to. */
  readonly handle: ClusterHandle;

  constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('idp:cluster:KubernetesCluster', name, {}, opts);
    this.handle = args.cloud.cluster(this);
    this.clusterName = this.handle.name;
    this.kubeconfig = this.handle.kubeconfig;
    this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig });
  }
}
