import type { EnvironmentName } from '@idp/service-spec';
import * as pulumi from '@pulumi/pulumi';
import type { Cloud, ClusterHandle, RegistryHandle } from './clouds/cloud.js';
import type { ClusterFacts } from './clusterFacts.js';

export interface CiIdentityArgs {
  cloud: Cloud;
  cluster: ClusterHandle;
  registry: RegistryHandle;
  /** The GitHub environment whose workflows may assume this identity. */
  environment: EnvironmentName;
}

/**
 * How GitHub Actions of one environment deploys: an identity federated with GitHub's OIDC issuer
 * (trust scoped to the org's repositories and that environment), allowed to push images and to
 * reach the cluster, where it is a Kubernetes subject TeamNamespace binds.
 */
export class CiIdentity extends pulumi.ComponentResource {
  readonly environment: EnvironmentName;
  readonly ci: pulumi.Output<NonNullable<ClusterFacts['ci']['staging']>>;

  constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('idp:cluster:CiIdentity', name, {}, opts);
    this.environment = args.environment;
    this.ci = args.cloud.ciIdentity(args.environment, args.registry, args.cluster, this);
    this.registerOutputs({ environment: this.environment, ci: this.ci });
  }
}
