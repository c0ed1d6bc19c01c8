// Renders the model-service skeleton for the delivery tests: the default platform contract mutated
// per mesh kind and CI identity kind, so every branch of the templates is rendered and validated.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import {
  ENVIRONMENTS,
  parsePlatformContract,
  serviceValues,
  type EnvironmentName,
  type MeshKind,
  type PlatformContract,
  type ServiceSpecInput,
  type ServiceValues,
} from '@idp/service-spec';

export const TEMPLATE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const SKELETON_DIR = path.join(TEMPLATE_DIR, 'skeleton');

export type CiIdentityKind = 'aws' | 'gcp' | 'kubeconfig';

// Valid identities of each kind for a contract variant (the default contract has only aws).
const IDENTITIES: Record<CiIdentityKind, (env: EnvironmentName) => PlatformContract['environments'][EnvironmentName]['ciIdentity']> = {
  aws: (env) => ({ kind: 'aws', roleArn: `arn:aws:iam::123456789012:role/github-actions-${env}`, region: 'eu-west-1' }),
  gcp: (env) => ({
    kind: 'gcp',
    workloadIdentityProvider: 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github',
    serviceAccount: `deployer-${env}@ml-platform-${env}.iam.gserviceaccount.com`,
    projectId: `ml-platform-${env}`,
    region: 'europe-west4',
  }),
  kubeconfig: (env) => ({ kind: 'kubeconfig', secretName: `KUBECONFIG_${env.toUpperCase()}` }),
};

export interface ContractVariant {
  mesh: MeshKind;
  identity: Record<EnvironmentName, CiIdentityKind>;
  /**
   * The delivery features the platform runs (contract `autoscaling` and `rollouts`): `on` is KEDA
   * and Argo Rollouts (the default contract), `off` the CPU HPA and rolling updates, `scale-to-zero`
   * KEDA with scale to zero. Absent keeps the default contract's.
   */
  features?: 'on' | 'off' | 'scale-to-zero';
}

const FEATURES: Record<
  NonNullable<ContractVariant['features']>,
  Pick<PlatformContract['environments'][EnvironmentName], 'autoscaling' | 'rollouts'>
> = {
  on: { autoscaling: { keda: true, scaleToZero: false }, rollouts: { controller: 'argo-rollouts' } },
  off: { autoscaling: { keda: false, scaleToZero: false }, rollouts: { controller: 'none' } },
  'scale-to-zero': { autoscaling: { keda: true, scaleToZero: true }, rollouts: { controller: 'argo-rollouts' } },
};

/** The default contract with every environment on `mesh` and the given CI identity kinds. */
export async function contractVariant({ mesh, identity, features }: ContractVariant): Promise<PlatformContract> {
  const contract = structuredClone(await loadPlatformContract()) as PlatformContract;
  for (const env of ENVIRONMENTS) {
    const target = contract.environments[env];
    target.mesh = mesh;
    if (features) Object.assign(target, structuredClone(FEATURES[features]));
    target.ciIdentity = IDENTITIES[identity[env]](env);
    if (identity[env] === 'gcp') {
      target.cluster = { name: `ml-${env}`, provider: 'gcp', region: 'europe-west4' };
      target.registry = { host: 'europe-west4-docker.pkg.dev', repositoryPrefix: `ml-platform-${env}/models` };
    } else if (identity[env] === 'kubeconfig') {
      target.cluster = { name: `ml-${env}`, provider: 'existing' };
      target.registry = { host: 'ghcr.io', repositoryPrefix: 'acme' };
    }
    // Environments admit different peers, so the overlays must put in their own (base has production's).
    target.network.callers =
      env === 'staging'
        ? [{ namespace: 'checkout', serviceAccount: 'api' }, { namespace: 'checkout', serviceAccount: 'worker' }, { namespace: 'search' }]
        : [{ namespace: 'checkout', serviceAccount: 'api' }];
    if (env === 'staging')
      target.network.ingressGateway = {
        namespace: 'gateways',
        serviceAccount: 'public-gateway',
        podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
      };
  }
  return parsePlatformContract(contract, `The ${mesh} test contract`);
}

export interface RenderedService {
  dir: string;
  values: ServiceValues;
  cleanup: () => Promise<void>;
}

/** Writes the skeleton, rendered as template.yaml's fetch:template step renders it, into a fresh temporary directory. */
export async function renderService(spec: ServiceSpecInput, contract?: PlatformContract): Promise<RenderedService> {
  const values = serviceValues(spec, contract ?? (await loadPlatformContract()));
  const dir = await mkdtemp(path.join(tmpdir(), 'idp-delivery-'));
  const target = path.join(dir, values.name);
  await scaffold({ templateDir: SKELETON_DIR, targetDir: target, values });
  return { dir: target, values, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
