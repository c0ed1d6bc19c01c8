// Names of things in GitHub and the clouds. The platform contract checks them, and so does infra's
// stack config that the contract is built from: one pattern each, so a stack infra accepts never
// exports a contract the spec refuses.

/** A GitHub user or organisation login: alphanumeric with single inner hyphens, at most 39 characters. */
export const GITHUB_OWNER_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$';

/** A GitHub Actions secret name as the platform writes them: upper case, digits and '_' (KUBECONFIG). */
export const GITHUB_SECRET_NAME_PATTERN = '^[A-Z][A-Z0-9_]*$';

/** A host name with an optional port (a registry, a GitHub Enterprise server). */
export const HOST_PORT_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\\d+)?$';

/** An AWS region (eu-west-1, us-gov-west-1). */
export const AWS_REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-\\d+$';

/** An IAM role ARN in any AWS partition. */
export const IAM_ROLE_ARN_PATTERN = '^arn:aws[a-z-]*:iam::\\d{12}:role\\/[\\w+=,.@/-]+$';

/** A GCP project id: 6 to 30 lower-case letters, digits and '-', starting with a letter. */
export const GCP_PROJECT_PATTERN = '^[a-z][-a-z0-9]{4,28}[a-z0-9]$';

/** A GCP region (europe-west4). */
export const GCP_REGION_PATTERN = '^[a-z]+-[a-z]+\\d$';
