import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from './charts.js';
import type { ClusterFacts, NodeAutoscalerFacts } from './clusterFacts.js';
import { KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT } from './clouds/awsKarpenter.js';
import { gpuNodeClass, gpuNodePools, karpenterValues } from './karpenterNodePools.js';
import { pinnedRelease } from './pinnedRelease.js';

export interface KarpenterArgs {
  clusterName: string;
  /** The cluster layer's Karpenter facts: interruption queue, node role, subnets. */
  autoscaler: Extract<NodeAutoscalerFacts, { kind: 'karpenter' }>;
  gpuPools: ClusterFacts['gpuPools'];
}

/**
 * GPU nodes on demand on EKS (docs/adr/0008): the Karpenter controller (its IAM role comes from the
 * cluster layer through EKS Pod Identity), one EC2NodeClass and a NodePool per GPU pool.
 */
export class Karpenter extends pulumi.ComponentResource {
  constructor(name: string, args: KarpenterArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
    super('idp:platform:Karpenter', name, {}, opts);
    const childOpts = { parent: this, provider: opts.provider };
    const release = pinnedRelease(
      'karpenter',
      {
        chart: CHARTS.karpenter,
        name: KARPENTER_SERVICE_ACCOUNT,
        namespace: KARPENTER_NAMESPACE,
        values: karpenterValues(args.clusterName, args.autoscaler),
      },
      childOpts,
    );
    // The chart brings the CRDs.
    const after = { ...childOpts, dependsOn: [release] };
    const nodeClass = new k8s.apiextensions.CustomResource(
      'karpenter-gpu-node-class',
      gpuNodeClass(args.clusterName, args.autoscaler),
      after,
    );
    for (const pool of gpuNodePools(args.gpuPools)) {
      new k8s.apiextensions.CustomResource(`karpenter-${pool.metadata.name}`, pool, { ...childOpts, dependsOn: [release, nodeClass] });
    }
    this.registerOutputs({});
  }
}
