import * as pulumi from '@pulumi/pulumi';
import type { Cloud, ClusterHandle } from './clouds/cloud.js';
import type { NodeAutoscalerFacts } from './clusterFacts.js';

export interface NodeAutoscalerArgs {
  /** The cloud whose side of node autoscaling this registers (IAM, queues), if it has one. */
  cloud: Cloud;
  cluster: ClusterHandle;
}

/**
 * Whatever adds GPU nodes when GPU pods are pending (docs/adr/0008): on aws the cloud side of
 * Karpenter, whose controller and NodePools the platform layer installs from `facts`; on gcp GKE's
 * own autoscaler; on existing clusters nothing.
 */
export class NodeAutoscaler extends pulumi.ComponentResource {
  readonly facts: pulumi.Output<NodeAutoscalerFacts>;

  constructor(name: string, args: NodeAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('idp:cluster:NodeAutoscaler', name, {}, opts);
    this.facts = args.cloud.nodeAutoscaler(args.cluster, this);
    this.registerOutputs({ facts: this.facts });
  }
}
