import * as pulumi from '@pulumi/pulumi';
import type { Cloud, ClusterHandle, RegistryHandle } from './clouds/cloud.js';

export interface ContainerRegistryArgs {
  cloud: Cloud;
  /** Nodes of this cluster get pull access. */
  cluster: ClusterHandle;
}

/**
 * Where service images live: ECR repositories (per service, created on push from a template),
 * an Artifact Registry repository, or an in-cluster registry. Immutable tags, scan on push,
 * cleanup and encryption wherever the backend offers them.
 */
export class ContainerRegistry extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;
  readonly repositoryPrefix: pulumi.Output<string>;
  readonly handle: RegistryHandle;

  constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('idp:cluster:ContainerRegistry', name, {}, opts);
    this.handle = args.cloud.registry(args.cluster, this);
    this.host = this.handle.host;
    this.repositoryPrefix = this.handle.repositoryPrefix;
    this.registerOutputs({ host: this.host, repositoryPrefix: this.repositoryPrefix });
  }
}
