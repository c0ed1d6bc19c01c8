import { ServiceSpec } from './serviceSpec.js';
import { ENVIRONMENTS, PlatformContract } from './platformContract.js';
import { pythonPackageName } from './names.js';
import { ownerTeam } from './ownerTeam.js';
import { sharedMemorySize } from './sharedMemory.js';
import { formatRepoUrl, githubHosts, repoHostProblem } from './repoUrl.js';
import { InvalidInputError, problemsFromZod, type Problem } from './problems.js';
import { gpuQuotaProblems } from './gpuQuota.js';
import { refuseReservedKeys } from './reservedKeys.js';

/** A spec with everything derived from it that templates need. */
export type ResolvedService = ServiceSpec & {
  repoUrl: string;
  pythonPackage: string;
  /** The owner team's Kubernetes namespace (infra's TeamNamespace), where the service deploys. */
  namespace: string;
  /** The size of /dev/shm, below the memory limit (sharedMemorySize). */
  sharedMemory: string;
};

/** The values a skeleton is rendered with: the same object from the CLI and from the portal. */
export type ServiceValues = ResolvedService & { platform: PlatformContract };

const SPEC_FIELDS = Object.keys(ServiceSpec.in.shape);

/** What a door knows beyond the contract. */
export interface ResolveOptions {
  /** GitHub Enterprise hosts the door has integrations for (see githubHosts). */
  enterpriseHosts?: readonly string[];
}

/**
 * Validates what a door submitted against the spec and the platform it will run on, and fills
 * in every default. Throws InvalidInputError listing every problem.
 */
export function resolveService(input: unknown, platform: PlatformContract, { enterpriseHosts = [] }: ResolveOptions = {}): ResolvedService {
  refuseReservedKeys(input, 'The service spec', { example: 'modelName' });
  const parsed = ServiceSpec.safeParse(input);
  if (!parsed.success) throw new InvalidInputError('The service spec', problemsFromZod(parsed.error, SPEC_FIELDS));
  const spec = parsed.data;
  const problems: Problem[] = [];
  const gpuType = spec.gpuType;
  if (gpuType !== 'none') {
    const missing = ENVIRONMENTS.filter((env) => !platform.environments[env].gpuPools[gpuType]);
    if (missing.length) {
      const offered = ENVIRONMENTS.map((env) => Object.keys(platform.environments[env].gpuPools)).reduce((a, b) =>
        a.filter((t) => b.includes(t)),
      );
      problems.push({
        field: 'gpuType',
        message: `must be a GPU type the platform has a pool for, but ${gpuType} has none in ${missing.join(', ')} (e.g. ${offered[0] ?? 'none'})`,
      });
    }
  }
  const { owner, namespace, problem: ownerProblem } = ownerTeam(spec.owner);
  if (ownerProblem) problems.push(ownerProblem);
  if (spec.minReplicas === 0) {
    const without = ENVIRONMENTS.filter((env) => !platform.environments[env].autoscaling.scaleToZero);
    if (without.length) {
      problems.push({
        field: 'minReplicas',
        message: `may be 0 only where the platform scales to zero (autoscaling.scaleToZero), which ${without.join(' and ')} does not (e.g. 1)`,
      });
    }
  }
  if (namespace) problems.push(...gpuQuotaProblems(spec, namespace, platform));
  const hostProblem =
    spec.repoUrl === undefined ? undefined : repoHostProblem(spec.repoUrl, githubHosts(platform.github.host, enterpriseHosts), spec.name);
  if (hostProblem) problems.push({ field: 'repoUrl', message: hostProblem });
  if (problems.length) throw new InvalidInputError('The service spec', problems);
  const repoUrl = spec.repoUrl ?? formatRepoUrl({ host: platform.github.host, owner: platform.github.org, repo: spec.name });
  return {
    ...spec,
    owner,
    repoUrl,
    pythonPackage: pythonPackageName(spec.name),
    namespace: namespace!,
    sharedMemory: sharedMemorySize(spec.memory, spec.gpuType),
  };
}

export function parsePlatformContract(input: unknown, source = 'The platform contract'): PlatformContract {
  refuseReservedKeys(input, source);
  const parsed = PlatformContract.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(source, problemsFromZod(parsed.error));
  return parsed.data;
}

/** The values a skeleton is rendered with, from what a door submitted; throws InvalidInputError. */
export function serviceValues(input: unknown, platform: PlatformContract, options: ResolveOptions = {}): ServiceValues {
  return { ...resolveService(input, platform, options), platform };
}
