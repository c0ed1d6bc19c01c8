import type { GpuSharing, GpuType } from '@idp/service-spec';
import * as pulumi from '@pulumi/pulumi';
import type { GpuPoolConfig } from '../config/clusterConfig.js';
import type { Cloud, ClusterHandle } from './clouds/cloud.js';
import { GPU_TAINT, gpuPoolLabels, gpuPoolPlacement } from './gpuScheduling.js';

export interface GpuNodePoolArgs {
  cloud: Cloud;
  cluster: ClusterHandle;
  /** gpuType, instance/machine type, min/max size, sharing (none, time-slicing N, MIG profile), extra labels. */
  pool: GpuPoolConfig;
}

/**
 * One pool of GPU nodes, the same interface on every cloud: tainted nvidia.com/gpu so only pods that
 * tolerate it land there, and labelled idp.dev/gpu-type=<gpuType> so the contract can target it.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  readonly gpuType: Exclude<GpuType, 'none'>;
  readonly sharing: GpuSharing;
  readonly labels: Record<string, string>;
  readonly taint = GPU_TAINT;
  /** The contract's entry for this pool: nodeSelector and tolerations. */
  readonly placement: ReturnType<typeof gpuPoolPlacement>;

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('idp:cluster:GpuNodePool', name, {}, opts);
    const { pool } = args;
    this.gpuType = pool.gpuType;
    this.sharing = pool.sharing;
    // Our labels win over user labels: the contract depends on them.
    this.labels = { ...pool.labels, ...gpuPoolLabels(pool.gpuType, pool.sharing) };
    this.placement = gpuPoolPlacement(pool.gpuType);
    args.cloud.gpuNodePool(pool, this.labels, args.cluster, this);
    this.registerOutputs({ gpuType: this.gpuType, labels: this.labels, taint: this.taint, sharing: this.sharing });
  }
}
