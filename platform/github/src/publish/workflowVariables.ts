import { ENVIRONMENTS, type PlatformContract } from '@idp/service-spec';

/**
 * The repository variables a service's workflows may read (`vars.IDP_STAGING_REGISTRY`), from
 * the platform contract: where images go, which cluster, and how CI logs in. Identities only —
 * the contract holds no credentials.
 */
export function workflowVariables(platform: PlatformContract): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const name of ENVIRONMENTS) {
    const env = platform.environments[name];
    const prefix = `IDP_${name.toUpperCase()}_`;
    variables[`${prefix}REGISTRY`] = `${env.registry.host}/${env.registry.repositoryPrefix}`;
    variables[`${prefix}CLUSTER`] = env.cluster.name;
    variables[`${prefix}CLUSTER_PROVIDER`] = env.cluster.provider;
    if (env.cluster.region) variables[`${prefix}CLUSTER_REGION`] = env.cluster.region;
    const identity = env.ciIdentity;
    variables[`${prefix}CI_IDENTITY`] = identity.kind;
    if (identity.kind === 'aws') {
      variables[`${prefix}AWS_ROLE_ARN`] = identity.roleArn;
      variables[`${prefix}AWS_REGION`] = identity.region;
    } else if (identity.kind === 'gcp') {
      variables[`${prefix}GCP_WORKLOAD_IDENTITY_PROVIDER`] = identity.workloadIdentityProvider;
      variables[`${prefix}GCP_SERVICE_ACCOUNT`] = identity.serviceAccount;
      variables[`${prefix}GCP_PROJECT_ID`] = identity.projectId;
      variables[`${prefix}GCP_REGION`] = identity.region;
    } else {
      variables[`${prefix}KUBECONFIG_SECRET`] = identity.secretName;
    }
  }
  return variables;
}
