import type { ResourceProps } from './resourceProps.js';
import type { ResourceValidationPolicy } from '@pulumi/policy';

// Immutable tags make a deployed digest reproducible (a tag cannot be re-pointed under a running
// service); scanning on push catches known CVEs before the image is promoted.

const SCANS_ON_PUSH = new Set(['SCAN_ON_PUSH', 'CONTINUOUS_SCAN']);

export function registryProblems(type: string, props: ResourceProps): string[] {
  const problems: string[] = [];
  switch (type) {
    case 'aws:ecr/repository:Repository':
      if (props.imageTagMutability !== 'IMMUTABLE') problems.push('ECR repository needs imageTagMutability: IMMUTABLE');
      if (props.imageScanningConfiguration?.scanOnPush !== true)
        problems.push('ECR repository needs imageScanningConfiguration.scanOnPush: true');
      break;
    case 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate':
      if (props.imageTagMutability !== 'IMMUTABLE') problems.push('ECR repository creation template needs imageTagMutability: IMMUTABLE');
      break;
    case 'aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration':
      if (!(props.rules ?? []).some((r: { scanFrequency?: string }) => SCANS_ON_PUSH.has(r?.scanFrequency ?? '')))
        problems.push('ECR registry scanning needs a rule with scanFrequency SCAN_ON_PUSH');
      break;
    case 'gcp:artifactregistry/repository:Repository':
      if (props.format === 'DOCKER' && props.dockerConfig?.immutableTags !== true)
        problems.push('Artifact Registry repository needs dockerConfig.immutableTags: true');
      if (props.format === 'DOCKER' && props.vulnerabilityScanningConfig?.enablementConfig === 'DISABLED')
        problems.push('Artifact Registry repository must not disable vulnerability scanning');
      break;
  }
  return problems;
}

export const registriesImmutableAndScanned: ResourceValidationPolicy = {
  name: 'registries-immutable-and-scanned',
  description: 'Image repositories have immutable tags and scan images on push.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    for (const problem of registryProblems(args.type, args.props)) reportViolation(problem);
  },
};
