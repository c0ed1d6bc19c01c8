// The combinations the delivery tests render: every GPU type × every mesh kind × both
// environments × the platform's delivery features (KEDA, Argo Rollouts) on and off. Each mesh
// kind's contract variant also uses different CI identity kinds, so every login, registry and
// cluster branch of the workflows is rendered too.
import { GPU_TYPES, MESH_KINDS, type GpuType, type MeshKind, type ServiceSpecInput } from '@idp/service-spec';
import type { ContractVariant } from './deliveryRender.js';

export const IDENTITIES_BY_MESH: Record<MeshKind, ContractVariant['identity']> = {
  'istio-ambient': { staging: 'aws', production: 'aws' },
  'istio-sidecar': { staging: 'gcp', production: 'gcp' },
  linkerd: { staging: 'kubeconfig', production: 'kubeconfig' },
  none: { staging: 'gcp', production: 'aws' },
};

export const variantFor = (mesh: MeshKind, features?: ContractVariant['features']): ContractVariant => ({
  mesh,
  identity: IDENTITIES_BY_MESH[mesh],
  features,
});

/** Platform delivery features: KEDA + Argo Rollouts, or neither (the CPU HPA and rolling updates). */
export const FEATURE_SETS = ['on', 'off'] as const;

/** A spec per GPU type that exercises the interesting values (several GPUs, long model loads). */
export function specFor(gpuType: GpuType): ServiceSpecInput {
  if (gpuType === 'none') return { name: 'fraud-detector', cpu: '500m', memory: '1Gi', minReplicas: 2, maxReplicas: 6 };
  return {
    name: 'fraud-detector',
    gpuType,
    gpuCount: gpuType === 'nvidia-a100' ? 2 : 1,
    cpu: '4',
    memory: '16Gi',
    maxModelLoadSeconds: 1200,
  };
}

export const MATRIX: { gpuType: GpuType; mesh: MeshKind; features: (typeof FEATURE_SETS)[number] }[] = GPU_TYPES.flatMap((gpuType) =>
  MESH_KINDS.flatMap((mesh) => FEATURE_SETS.map((features) => ({ gpuType, mesh, features }))),
);

/** A digest CD would pin: any 64 hex digits (the image is never pulled here). */
export const FAKE_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
